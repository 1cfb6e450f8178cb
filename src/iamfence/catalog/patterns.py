"""Action patterns as written in `Action` / `NotAction` (IAM User Guide, "IAM JSON policy elements:
Action"): "service:ActionName", case-insensitive, where `*` matches any run of characters
(including none) and `?` exactly one character. The whole string is matched, so "s3:Get*" does not
match "s3express:GetObject" but "s3*" does. No other character is special (unlike fnmatch, `[` is
literal)."""

from __future__ import annotations

import re
from functools import lru_cache


def has_wildcard(text: str) -> bool:
    return "*" in text or "?" in text


@lru_cache(maxsize=8192)
def compile_glob(pattern: str) -> re.Pattern[str]:
    """A case-insensitive full-string regular expression for an IAM glob."""
    out: list[str] = []
    for ch in pattern:
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL)


def glob_matches(pattern: str, text: str) -> bool:
    return compile_glob(pattern).fullmatch(text) is not None


def split_action(pattern: str) -> tuple[str, str] | None:
    """("service", "name") for "service:name"; None when there is no ':' ("*" alone is handled
    by the caller)."""
    service, sep, name = pattern.partition(":")
    if not sep:
        return None
    return service, name

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


_TEMPLATE_VAR = re.compile(r"\$\{([^}]*)\}|<([^>]*)>")

NO_SLASH_RUN = "\x01"
"""In a glob given to `globs_intersect`: any run of characters without '/'."""

SLASH_FREE_VARIABLES = frozenset({"BucketName"})
"""Template variables whose values never hold '/': S3 bucket names are lower-case letters,
digits, dots and hyphens (Amazon S3 User Guide, "General purpose bucket naming rules")."""


def template_to_glob(template: str) -> str:
    """A catalog template ("arn:${Partition}:s3:::${BucketName}", "s3:ExistingObjectTag/<key>")
    as a glob in which every variable is `*` (any text, '/' included: the catalog does not say
    which characters a variable may hold, so this errs on matching), except the variables of
    SLASH_FREE_VARIABLES, which become NO_SLASH_RUN."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2) or ""
        return NO_SLASH_RUN if name in SLASH_FREE_VARIABLES else "*"

    return _TEMPLATE_VAR.sub(repl, template)


def template_to_plain_glob(template: str) -> str:
    """`template_to_glob` with every variable as `*` (for `glob_matches`)."""
    return template_to_glob(template).replace(NO_SLASH_RUN, "*")


def policy_variables_to_glob(text: str) -> str:
    """A policy string with `${aws:username}`-style variables as a glob matching any value.
    `${*}`, `${?}` and `${$}` stand for the literal characters; they become `?` here (one char)."""
    return re.sub(
        r"\$\{[^}]*\}", lambda m: "?" if m.group(0) in ("${*}", "${?}", "${$}") else "*", text
    )


_RUNS = ("*", NO_SLASH_RUN)


def _step(ca: str, cb: str) -> bool:
    """Whether one character can be read by both pattern positions."""
    if ca in _RUNS or ca == "?":
        return not (ca == NO_SLASH_RUN and cb == "/")
    if cb in _RUNS or cb == "?":
        return not (cb == NO_SLASH_RUN and ca == "/")
    return ca == cb


def globs_intersect(a: str, b: str, ignore_case: bool = True) -> bool:
    """Whether some string matches both IAM globs `a` and `b` (`*` any run, `?` one character,
    NO_SLASH_RUN any run without '/'): a search over pairs of positions of the two patterns
    (their product automaton)."""
    if ignore_case:
        a, b = a.lower(), b.lower()
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        i, j = stack.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(a) and j == len(b):
            return True
        ca = a[i] if i < len(a) else None
        cb = b[j] if j < len(b) else None
        if ca in _RUNS:
            stack.append((i + 1, j))
        if cb in _RUNS:
            stack.append((i, j + 1))
        if ca is None or cb is None or not _step(ca, cb):
            continue
        stack.append((i if ca in _RUNS else i + 1, j if cb in _RUNS else j + 1))
    return False


def arn_globs_intersect(a: str, b: str) -> bool:
    """`globs_intersect` for ARN patterns, segment by segment when both have all six parts
    (arn:partition:service:region:account:resource): a wildcard in one of the first five segments
    does not reach into the next (IAM User Guide, "IAM JSON policy elements: Resource"). Patterns
    with fewer parts are compared as whole strings."""
    pa, pb = a.split(":", 5), b.split(":", 5)
    if len(pa) < 6 or len(pb) < 6:
        return globs_intersect(a, b)
    return all(globs_intersect(x, y) for x, y in zip(pa, pb, strict=True))

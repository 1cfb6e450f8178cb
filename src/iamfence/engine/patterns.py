"""Wildcard patterns and policy-variable templates, compiled once.

IAM User Guide, "IAM JSON policy elements: Action" / "Resource" / "Condition operators"
(StringLike): `*` matches any run of characters, `?` any single character.
IAM User Guide, "IAM policy elements: Variables and tags": `${key}` is replaced by the request's
value of `key`; `${*}`, `${?}` and `${$}` are the literal characters; `${key, 'default'}` gives a
default; variables are substituted only under Version 2012-10-17 (otherwise the text is literal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

STAR = "\x00*"
QMARK = "\x00?"
"""Part markers for the wildcards (distinct from a literal `*` written as `${*}`)."""

_VAR = re.compile(r"\$\{([^}]*)\}")
_DEFAULT = re.compile(r"^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$")


@dataclass(frozen=True, slots=True)
class Var:
    key: str
    """Lower-cased context key name."""
    default: str | None = None


Part = str | Var
"""A literal text, STAR, QMARK, or a variable."""


@dataclass(frozen=True, slots=True)
class Template:
    """A policy string split into parts. `static` holds the text when there are no variables."""

    parts: tuple[Part, ...]
    has_vars: bool

    @property
    def static(self) -> str:
        return "".join(_text(p) for p in self.parts if not isinstance(p, Var))


def _text(part: str) -> str:
    if part == STAR:
        return "*"
    if part == QMARK:
        return "?"
    return part


def _literal_parts(text: str) -> list[Part]:
    out: list[Part] = []
    buf: list[str] = []
    for ch in text:
        if ch in "*?":
            if buf:
                out.append("".join(buf))
                buf = []
            out.append(STAR if ch == "*" else QMARK)
        else:
            buf.append(ch)
    if buf:
        out.append("".join(buf))
    return out


@lru_cache(maxsize=65536)
def parse_template(text: str, variables: bool) -> Template:
    """Split `text` into parts; `${...}` is a variable only when `variables` is True."""
    if not variables or "${" not in text:
        return Template(tuple(_literal_parts(text)), False)
    parts: list[Part] = []
    pos = 0
    has_vars = False
    for match in _VAR.finditer(text):
        parts.extend(_literal_parts(text[pos : match.start()]))
        inner = match.group(1)
        if inner in ("*", "?", "$"):
            parts.append(inner)  # IAM UG, Variables: ${*}, ${?}, ${$} are literal characters
        else:
            dflt = _DEFAULT.match(inner)
            if dflt:
                parts.append(Var(dflt.group(1).lower(), dflt.group(2)))
            else:
                parts.append(Var(inner.strip().lower()))
            has_vars = True
        pos = match.end()
    parts.extend(_literal_parts(text[pos:]))
    return Template(tuple(parts), has_vars)


def glob_regex_source(parts: tuple[Part, ...] | list[Part], star: str = ".*") -> str:
    """Regex source for a wildcard pattern made of literal parts (variables already resolved)."""
    out = []
    for part in parts:
        if part == STAR:
            out.append(star)
        elif part == QMARK:
            out.append("." if star == ".*" else "[^:]")
        else:
            assert isinstance(part, str)
            out.append(re.escape(part))
    return "".join(out)


@lru_cache(maxsize=65536)
def glob_regex(text: str, ignore_case: bool = False) -> re.Pattern[str]:
    """A whole-string regex for a wildcard pattern with no variables."""
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(glob_regex_source(_literal_parts(text)) + r"\Z", flags)


class _Unknown:
    """The value of a key AWS always sets but the request does not carry."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()

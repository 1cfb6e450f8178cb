"""Wildcard patterns (actions, ARNs, StringLike values) as z3 regular expressions.

Semantics follow the IAM User Guide:
- "IAM JSON policy elements: Action": action names are case-insensitive, `*` and `?` wildcards.
  Actions are normalised to lower case on both sides.
- "IAM JSON policy elements: Resource" and "IAM identifiers" (ARN format): an ARN pattern is matched
  part by part (partition, service, region, account, resource); wildcards in the first five parts
  do not cross a `:`; in the resource part `*` spans `/` and `:`. Partition, service, region and
  account compare case-insensitively, the resource part case-sensitively (as the engine does).
- "Condition operators": StringLike is case-sensitive with `*` and `?`; StringEqualsIgnoreCase
  folds case; ArnEquals/ArnLike match the six colon-delimited parts separately, case-sensitively.

A pattern is first turned into items: a literal character (a 1-character string) or a wildcard
(STAR / QMARK). Policy variables such as `${*}` produce literal `*` items, never wildcards."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from iamfence.symbolic.z3_backend import Expr, re_literal, z3

STAR = "**"
QMARK = "??"
Items = tuple[str, ...]
"""A pattern as items: a 1-character literal, or STAR / QMARK."""


def glob_items(text: str) -> Items:
    """Items of a pattern without policy variables: `*` and `?` are wildcards."""
    return tuple(STAR if ch == "*" else QMARK if ch == "?" else ch for ch in text)


def literal_items(text: str) -> Items:
    return tuple(text)


@lru_cache(maxsize=8192)
def _glob_regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    rx = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    return re.compile(rx, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def glob_match(pattern: str, text: str, *, ignore_case: bool) -> bool:
    """Concrete match of a `*`/`?` pattern against a whole string (used for fixed actions)."""
    return _glob_regex(pattern, ignore_case).fullmatch(text) is not None


@dataclass(frozen=True, slots=True)
class Alphabet:
    """The characters string values are drawn from: printable ASCII plus every character that occurs
    in a policy literal (both cases). Any other character behaves like a `neutral` one (a
    non-letter that occurs in no literal), so restricting models to the alphabet loses no answer;
    when no neutral character exists the alphabet is every character."""

    extra: tuple[str, ...]
    restricted: bool

    @staticmethod
    def for_literals(literals: Sequence[str]) -> Alphabet:
        used: set[str] = set()
        for ch in set("".join(literals)):
            used.update(case_variants(ch))
        ascii_chars = {chr(c) for c in range(0x21, 0x7F)}
        structural = set(":/*?$")
        neutral = [
            ch for ch in sorted(ascii_chars) if not ch.isalpha() and ch not in used | structural
        ]
        extra = tuple(sorted(ch for ch in used if ch not in ascii_chars and len(ch) == 1))
        return Alphabet(extra, restricted=bool(neutral))

    def char(self) -> Expr:
        """One character of the alphabet."""
        return _char(self)

    def char_except(self, excluded: str) -> Expr:
        """One character of the alphabet other than `excluded`."""
        return _char_except(self, excluded)

    def strings(self) -> Expr:
        return _strings(self)


@lru_cache(maxsize=1024)
def _char(alphabet: Alphabet) -> Expr:
    if not alphabet.restricted:
        return z3.AllChar(z3.ReSort(z3.StringSort()))
    parts = [z3.Range("!", "~"), *(re_literal(ch) for ch in alphabet.extra)]
    return parts[0] if len(parts) == 1 else z3.Union(*parts)


@lru_cache(maxsize=1024)
def _char_except(alphabet: Alphabet, excluded: str) -> Expr:
    """Ranges, not a complement: the solver is much faster on plain ranges."""
    if not alphabet.restricted:
        return z3.Intersect(alphabet.char(), z3.Complement(re_literal(excluded)))
    parts: list[Expr] = []
    low, high = 0x21, 0x7E
    code = ord(excluded)
    if low <= code <= high:
        if code > low:
            parts.append(z3.Range(chr(low), chr(code - 1)))
        if code < high:
            parts.append(z3.Range(chr(code + 1), chr(high)))
    else:
        parts.append(z3.Range(chr(low), chr(high)))
    parts.extend(re_literal(ch) for ch in alphabet.extra if ch != excluded)
    return parts[0] if len(parts) == 1 else z3.Union(*parts)


@lru_cache(maxsize=1024)
def _strings(alphabet: Alphabet) -> Expr:
    return z3.Star(alphabet.char())


_FOLDS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}
"""Characters outside ASCII that Python's case-insensitive matching (the engine's) equates with
an ASCII letter."""


@lru_cache(maxsize=4096)
def case_variants(ch: str) -> tuple[str, ...]:
    """`ch` and the single characters that match it when letter case is ignored."""
    found = {ch}
    found.update(c for c in (ch.lower(), ch.upper()) if len(c) == 1)
    found.update(_FOLDS.get(ch.lower(), ""))
    return tuple(sorted(found))


@lru_cache(maxsize=4096)
def lower_variants(ch: str) -> tuple[str, ...]:
    """The single characters whose lower case equals `ch`'s (StringEqualsIgnoreCase compares
    lower-cased text)."""
    low = ch.lower()
    found = {c for c in (ch, low, ch.upper(), *_FOLDS.get(low, "")) if c.lower() == low}
    return tuple(sorted(found))


def _char_re(ch: str, ignore_case: bool) -> Expr:
    if not ignore_case:
        return re_literal(ch)
    variants = case_variants(ch)
    if len(variants) == 1:
        return re_literal(ch)
    return z3.Union(*(re_literal(v) for v in variants))


def items_re(items: Items, wild_char: Expr, *, ignore_case: bool) -> Expr:
    """A regex for a sequence of items: STAR -> wild_char*, QMARK -> wild_char; with
    `ignore_case`, a letter matches every character that lower-cases like it."""
    parts: list[Expr] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            parts.append(re_literal("".join(run)))
            run.clear()

    for item in items:
        if item == STAR:
            flush()
            parts.append(z3.Star(wild_char))
        elif item == QMARK:
            flush()
            parts.append(wild_char)
        elif ignore_case and len(lower_variants(item)) > 1:
            flush()
            parts.append(z3.Union(*(re_literal(v) for v in lower_variants(item))))
        else:
            run.append(item)
    flush()
    if not parts:
        return z3.Re(z3.StringVal(""))
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


@lru_cache(maxsize=65536)
def items_regex(items: Items, alphabet: Alphabet, wild: str, fold: str | None) -> Expr:
    """Cached regex for items. `wild`: "any" (wildcards span everything) or "segment" (not ':').
    `fold`: None (case-sensitive), "lower" (StringEqualsIgnoreCase: characters that lower-case
    alike) or "regex" (the engine's case-insensitive regex matching, for ARN parts)."""
    wild_char = alphabet.char() if wild == "any" else alphabet.char_except(":")
    if fold == "regex":
        return _items_re_regex_fold(items, wild_char)
    return items_re(items, wild_char, ignore_case=fold == "lower")


def _items_re_regex_fold(items: Items, wild_char: Expr) -> Expr:
    parts: list[Expr] = []
    run: list[str] = []
    for item in items:
        if item in (STAR, QMARK) or len(case_variants(item)) > 1:
            if run:
                parts.append(re_literal("".join(run)))
                run.clear()
            if item == STAR:
                parts.append(z3.Star(wild_char))
            elif item == QMARK:
                parts.append(wild_char)
            else:
                parts.append(z3.Union(*(re_literal(v) for v in case_variants(item))))
        else:
            run.append(item)
    if run:
        parts.append(re_literal("".join(run)))
    if not parts:
        return z3.Re(z3.StringVal(""))
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


@lru_cache(maxsize=65536)
def arn_condition_re(items: Items, alphabet: Alphabet) -> Expr:
    """A regex for an ArnEquals/ArnLike value: case-sensitive; wildcards before the fifth ':' stay
    inside a part (even a trailing `*`), after it they span everything."""
    segment_char = alphabet.char_except(":")
    parts: list[Expr] = []
    segment = 0
    for item in items:
        if item == STAR:
            parts.append(z3.Star(alphabet.char() if segment >= 5 else segment_char))
        elif item == QMARK:
            parts.append(alphabet.char() if segment >= 5 else segment_char)
        else:
            parts.append(re_literal(item))
            if item == ":" and segment < 5:
                segment += 1
    return _concat(parts)


@lru_cache(maxsize=1024)
def arn_like_value(alphabet: Alphabet) -> Expr:
    """Context values the ARN operators accept: "arn" and at least five ':' (six parts)."""
    seg = alphabet.char_except(":")
    colon = re_literal(":")
    return z3.Concat(
        re_literal("arn:"), *(z3.Concat(z3.Star(seg), colon) for _ in range(4)), alphabet.strings()
    )


def _concat(parts: list[Expr]) -> Expr:
    if not parts:
        return z3.Re(z3.StringVal(""))
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)

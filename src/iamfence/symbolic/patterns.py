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


def glob_match(pattern: str, text: str, *, ignore_case: bool) -> bool:
    """Concrete match of a `*`/`?` pattern against a whole string (used for fixed actions)."""
    rx = "".join(".*" if ch == "*" else "." if ch == "?" else re.escape(ch) for ch in pattern)
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.fullmatch(rx, text, flags) is not None


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
        for text in literals:
            for ch in text:
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
        if not self.restricted:
            return z3.AllChar(z3.ReSort(z3.StringSort()))
        parts = [z3.Range("!", "~"), *(re_literal(ch) for ch in self.extra)]
        return parts[0] if len(parts) == 1 else z3.Union(*parts)

    def char_except(self, excluded: str) -> Expr:
        """One character of the alphabet other than `excluded` (ranges, not a complement: the
        solver is much faster on plain ranges)."""
        if not self.restricted:
            return z3.Intersect(self.char(), z3.Complement(re_literal(excluded)))
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
        parts.extend(re_literal(ch) for ch in self.extra if ch != excluded)
        return parts[0] if len(parts) == 1 else z3.Union(*parts)

    def strings(self) -> Expr:
        return z3.Star(self.char())


_FOLDS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}
"""Characters outside ASCII that Python's case-insensitive matching (the engine's) equates with
an ASCII letter."""


def case_variants(ch: str) -> tuple[str, ...]:
    """`ch` and the single characters that match it when letter case is ignored."""
    found = {ch}
    found.update(c for c in (ch.lower(), ch.upper()) if len(c) == 1)
    found.update(_FOLDS.get(ch.lower(), ""))
    return tuple(sorted(found))


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


def resource_re(items: Items, alphabet: Alphabet) -> Expr:
    """A regex for a Resource ARN pattern, as the engine reads it: a lone `*` is everything; the
    text is walked with a count of literal ':' seen; before the fifth, letters ignore case and
    wildcards stay inside a part, except a `*` that ends the pattern, which spans everything;
    from the fifth ':' on (the resource part) letters are case-sensitive and `*` spans all."""
    if items == (STAR,):
        return alphabet.strings()
    segment_char = alphabet.char_except(":")
    parts: list[Expr] = []
    segment = 0
    last = len(items) - 1
    for index, item in enumerate(items):
        if item == STAR:
            wide = segment >= 5 or index == last
            parts.append(z3.Star(alphabet.char() if wide else segment_char))
        elif item == QMARK:
            parts.append(alphabet.char() if segment >= 5 else segment_char)
        else:
            parts.append(_char_re(item, segment < 5))
            if item == ":" and segment < 5:
                segment += 1
    return _concat(parts)


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


def arn_shape(alphabet: Alphabet) -> Expr:
    """Every ARN: arn:partition:service:region:account:resource (partition and service non-empty)."""
    seg = alphabet.char_except(":")
    colon = re_literal(":")
    return z3.Concat(
        re_literal("arn:"),
        z3.Plus(seg),
        colon,
        z3.Plus(seg),
        colon,
        z3.Star(seg),
        colon,
        z3.Star(seg),
        colon,
        alphabet.strings(),
    )

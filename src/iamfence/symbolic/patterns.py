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
                used.update((ch, ch.lower(), ch.upper()))
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
        return z3.Intersect(self.char(), z3.Complement(re_literal(excluded)))

    def strings(self) -> Expr:
        return z3.Star(self.char())


def _char_re(ch: str, ignore_case: bool) -> Expr:
    if ignore_case and ch.lower() != ch.upper():
        variants = sorted({ch, ch.lower(), ch.upper()})
        if len(variants) == 1:
            return re_literal(variants[0])
        return z3.Union(*(re_literal(v) for v in variants))
    return re_literal(ch)


def items_re(items: Items, wild_char: Expr, *, ignore_case: bool) -> Expr:
    """A regex for a sequence of items: STAR -> wild_char*, QMARK -> wild_char."""
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
        elif ignore_case and item.lower() != item.upper():
            flush()
            parts.append(_char_re(item, True))
        else:
            run.append(item)
    flush()
    if not parts:
        return z3.Re(z3.StringVal(""))
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


def split_arn_items(items: Items) -> list[Items] | None:
    """Split items into the six ARN parts at the first five literal ':'; None when fewer."""
    parts: list[list[str]] = [[]]
    for item in items:
        if item == ":" and len(parts) < 6:
            parts.append([])
        else:
            parts[-1].append(item)
    if len(parts) != 6:
        return None
    return [tuple(p) for p in parts]


def arn_re(items: Items, alphabet: Alphabet, *, ignore_case_prefix: bool) -> Expr | None:
    """A regex for an ARN pattern (a lone `*` matches everything); None when the pattern does not
    have six parts (the caller reports that as unsupported)."""
    if items == (STAR,):
        return alphabet.strings()
    parts = split_arn_items(items)
    if parts is None:
        return None
    segment_char = alphabet.char_except(":")
    regexes: list[Expr] = []
    for index, part in enumerate(parts):
        if index:
            regexes.append(re_literal(":"))
        if index == 5:
            regexes.append(items_re(part, alphabet.char(), ignore_case=False))
        else:
            ci = ignore_case_prefix and index > 0
            regexes.append(items_re(part, segment_char, ignore_case=ci))
    return z3.Concat(*regexes)


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

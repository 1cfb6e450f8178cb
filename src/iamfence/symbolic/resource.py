"""The request's resource as z3 variables, one per ARN part.

A resource is "*" or arn:partition:service:region:account:resource (AWS General Reference, "Amazon
Resource Names"). Each of the first five parts is a separate string (fixed to a constant when the
query's target fixes it, and then matched in Python), the resource part is one more: the solver
never has to find the colons of a long string, which keeps queries fast. Pattern semantics are
the engine's (IAM User Guide, "IAM JSON policy elements: Resource"): a lone `*` is everything;
letters in the first five parts ignore case and wildcards there stay inside the part, except a `*`
that ends the whole pattern, which spans everything; in the resource part letters are
case-sensitive and `*` spans `/` and `:`."""

from __future__ import annotations

import re
from functools import lru_cache

from iamfence.symbolic.patterns import QMARK, STAR, Alphabet, Items, glob_items, items_regex
from iamfence.symbolic.types import ResourceTarget
from iamfence.symbolic.values import Unsupported
from iamfence.symbolic.z3_backend import (
    Expr,
    Formula,
    conj,
    disj,
    literal,
    neg,
    re_literal,
    string_value,
    z3,
)

_PARTS = 5


def _split(items: Items) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for item in items:
        if item == ":" and len(parts) <= _PARTS:
            parts.append([])
        else:
            parts[-1].append(item)
    return parts


@lru_cache(maxsize=65536)
def _segment_regex_py(items: tuple[str, ...], *, span_end: bool) -> re.Pattern[str]:
    out = []
    for index, item in enumerate(items):
        if item == STAR:
            out.append(".*" if span_end and index == len(items) - 1 else "[^:]*")
        elif item == QMARK:
            out.append("[^:]")
        else:
            out.append("(?i:" + re.escape(item) + ")")
    return re.compile("".join(out) + r"\Z", re.DOTALL)


class ResourceModel:
    def __init__(self, alphabet: Alphabet, target: ResourceTarget | None) -> None:
        self.alphabet = alphabet
        self.segment_char = alphabet.char_except(":")
        self.star = z3.Bool("resource|star")
        self.fixed: list[str | None] = [None] * _PARTS
        self.domain: list[Expr] = []
        target_parts = None
        if target is not None and target.glob != "*":
            target_parts = _split(glob_items(target.glob))
            if len(target_parts) != _PARTS + 1:
                raise ValueError(f"resource target {target.glob!r} is not an ARN pattern")
            self.domain.append(neg(self.star))
        self.segments: list[Expr] = []
        for index in range(_PARTS):
            part = target_parts[index] if target_parts is not None else None
            if part is not None and STAR not in part and QMARK not in part:
                self.fixed[index] = "".join(part)
                self.segments.append(literal("".join(part)))
                continue
            var = z3.String(f"resource|{index}")
            self.segments.append(var)
            body = z3.Plus(self.segment_char) if index in (1, 2) else z3.Star(self.segment_char)
            if index == 0:
                body = re_literal("arn")
            self.domain.append(z3.InRe(var, body))
            if part is not None:
                self.domain.append(z3.InRe(var, _items_re(part, alphabet, "segment", False)))
        self.rest = z3.String("resource|rest")
        self.domain.append(z3.InRe(self.rest, alphabet.strings()))
        if target_parts is not None:
            rest_re = _items_re(target_parts[_PARTS], alphabet, "any", False)
            self.domain.append(z3.InRe(self.rest, rest_re))
        if self.fixed[0] not in (None, "arn"):
            raise ValueError("resource target must start with arn:")

    def matches(self, items: Items) -> Expr:
        """The resource matches a Resource pattern (variables already substituted)."""
        if items == (STAR,):
            return True
        parts = _split(items)
        if len(parts) <= _PARTS and any(part and part[-1] == STAR for part in parts[:-1]):
            # IAM UG, Resource (wildcards in resource ARNs): in a pattern with fewer than six
            # segments a `*` that ends a segment expands past the colons (the engine follows this:
            # engine/matchers.py). Not encoded here: unknown, never a wrong "holds".
            raise Unsupported("a short ARN pattern whose inner segment ends with * (spans colons)")
        terms: list[Expr] = []
        for index, part in enumerate(parts[:_PARTS]):
            last_part = index == len(parts) - 1
            spans = last_part and bool(part) and part[-1] == STAR
            if spans:  # a trailing `*` before the resource part spans the rest of the ARN
                terms.append(self._segment(index, part[:-1], prefix_only=True))
                return conj(neg(self.star), *terms)
            terms.append(self._segment(index, part, prefix_only=False))
        if len(parts) <= _PARTS:
            return False  # fewer parts and no spanning `*`: no six-part ARN matches
        terms.append(z3.InRe(self.rest, _items_re(parts[_PARTS], self.alphabet, "any", False)))
        return conj(neg(self.star), *terms)

    def prefix_matches(self, parts: list[list[str]]) -> Formula:
        """The first five parts match (no spanning `*`: the resource part follows)."""
        terms = [self._segment(i, part, prefix_only=False) for i, part in enumerate(parts)]
        return conj(neg(self.star), *terms)

    def _segment(self, index: int, part: list[str], *, prefix_only: bool) -> Expr:
        fixed = self.fixed[index]
        if fixed is not None:
            rx = _segment_regex_py((*part, STAR) if prefix_only else tuple(part), span_end=False)
            return rx.match(fixed) is not None
        regex = _items_re(part, self.alphabet, "segment", True)
        if prefix_only:
            regex = z3.Concat(regex, z3.Star(self.segment_char))
        return z3.InRe(self.segments[index], regex)

    def preferences(self, service: str, account: str | None) -> list[Expr]:
        """Readable-example hints (tried first, dropped when unsatisfiable): partition "aws", the
        action's service, no region, the principal's account."""
        wanted = ["arn", "aws", service, "", account or ""]
        if self.fixed[4] is None:  # no account (S3) reads as well as the principal's own
            segment = self.segments[4]
            account_ok = disj(segment == literal(""), segment == literal(account or ""))
        else:
            account_ok = True
        name = z3.Plus(z3.Union(z3.Range("a", "z"), z3.Range("0", "9"), re_literal("-")))
        named = z3.Union(z3.Concat(z3.Star(self.alphabet.char()), re_literal("/"), name), name)
        plain = z3.Star(z3.Union(z3.Range("a", "z"), z3.Range("0", "9"), re_literal("-"),
                                 re_literal("/"), re_literal(".")))  # fmt: skip
        return [
            z3.InRe(self.rest, named),
            z3.InRe(self.rest, plain),
            *(
                seg == literal(value)
                for seg, fixed, value in zip(self.segments[:4], self.fixed, wanted, strict=False)
                if fixed is None
            ),
            account_ok,
        ]

    def equals(self, arn: str) -> Expr:
        pieces = arn.split(":", _PARTS)
        if arn == "*":
            return self.star
        if len(pieces) != _PARTS + 1:
            return False
        terms = [seg == literal(p) for seg, p in zip(self.segments, pieces[:_PARTS], strict=True)]
        return conj(neg(self.star), *terms, self.rest == literal(pieces[_PARTS]))

    def contains(self, needle: str) -> Formula:
        """`needle` (which starts with ':') occurs in the resource, written per part so that the
        solver never searches a concatenation: the ':' is either the separator before a part
        (the needle then spells that part and the following ones) or inside the resource part."""
        assert needle.startswith(":")
        any_char = self.alphabet.char()
        inside = z3.InRe(
            self.rest, z3.Concat(z3.Star(any_char), re_literal(needle), z3.Star(any_char))
        )
        options: list[Formula] = [inside]
        pieces = needle[1:].split(":")
        for start in range(1, _PARTS + 1):
            terms: list[Formula] = []
            for offset, piece in enumerate(pieces):
                index = start + offset
                if index == _PARTS:  # the rest of the needle begins the resource part
                    tail = ":".join(pieces[offset:])
                    terms.append(z3.InRe(self.rest, z3.Concat(re_literal(tail), z3.Star(any_char))))
                    break
                last = offset == len(pieces) - 1
                terms.append(self._part_is(index, piece, prefix=last))
            options.append(conj(*terms))
        return conj(neg(self.star), disj(*options))

    def _part_is(self, index: int, text: str, *, prefix: bool) -> Formula:
        fixed = self.fixed[index]
        if fixed is not None:
            return fixed.startswith(text) if prefix else fixed == text
        segment = self.segments[index]
        if prefix:
            return z3.InRe(segment, z3.Concat(re_literal(text), z3.Star(self.segment_char)))
        return segment == literal(text)

    def account_is(self, account: str) -> Expr:
        return conj(neg(self.star), self.segments[4] == literal(account))

    def full(self) -> Expr:
        colon = literal(":")
        pieces: list[Expr] = []
        for seg in self.segments:
            pieces.extend((seg, colon))
        return z3.If(self.star, literal("*"), z3.Concat(*pieces, self.rest))

    def value(self, model: object) -> str:
        from iamfence.symbolic.z3_backend import bool_value

        if bool_value(model, self.star):
            return "*"
        segs = [
            f if f is not None else string_value(model, s)
            for f, s in zip(self.fixed, self.segments, strict=True)
        ]
        return ":".join([*segs, string_value(model, self.rest)])


def _items_re(items: list[str] | Items, alphabet: Alphabet, wild: str, ignore_case: bool) -> Expr:
    return items_regex(tuple(items), alphabet, wild, "regex" if ignore_case else None)

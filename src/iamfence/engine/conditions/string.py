"""String operators (IAM UG, Condition operators, "String condition operators"): StringEquals,
StringNotEquals, ...IgnoreCase, StringLike / StringNotLike with `*` and `?` (case-sensitive)."""

from __future__ import annotations

import re

from iamfence.engine.conditions.base import Operator, pair, plain_text
from iamfence.engine.patterns import Part, glob_regex_source


def _identity(value: str) -> object | None:
    return value


def _lower(value: str) -> object | None:
    return value.lower()


def _prep_text(parts: tuple[Part, ...]) -> object | None:
    return plain_text(parts)


def _prep_lower(parts: tuple[Part, ...]) -> object | None:
    return plain_text(parts).lower()


def _prep_like(parts: tuple[Part, ...]) -> object | None:
    return re.compile(glob_regex_source(parts) + r"\Z", re.DOTALL)


def _eq(ctx: object, pol: object) -> bool:
    return ctx == pol


def _like(ctx: object, pol: object) -> bool:
    assert isinstance(pol, re.Pattern) and isinstance(ctx, str)
    return pol.match(ctx) is not None


OPERATORS: tuple[Operator, ...] = (
    *pair("StringEquals", "StringNotEquals", _prep_text, _identity, _eq),
    *pair("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", _prep_lower, _lower, _eq),
    *pair("StringLike", "StringNotLike", _prep_like, _identity, _like),
)

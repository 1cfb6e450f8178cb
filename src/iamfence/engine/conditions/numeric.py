"""Numeric operators (IAM UG, Condition operators, "Numeric condition operators"). A value that is
not a number never matches."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from functools import lru_cache

from iamfence.engine.conditions.base import Operator, pair, plain_text
from iamfence.engine.patterns import Part

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
"""An integer or decimal in ASCII digits: Python's float() would also take "1_000", "inf",
"nan" and non-ASCII digits, which are not numbers in a policy (IAM UG, Condition operators,
"Numeric condition operators": "an integer or decimal value")."""


@lru_cache(maxsize=16384)
def to_number(text: str) -> object | None:
    text = text.strip()
    if _NUMBER.fullmatch(text) is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _prep(parts: tuple[Part, ...]) -> object | None:
    return to_number(plain_text(parts))


def _cmp(fn: Callable[[float, float], bool]) -> Callable[[object, object], bool]:
    def test(ctx: object, pol: object) -> bool:
        assert isinstance(ctx, float) and isinstance(pol, float)
        return fn(ctx, pol)

    return test


OPERATORS: tuple[Operator, ...] = (
    *pair("NumericEquals", "NumericNotEquals", _prep, to_number, _cmp(operator.eq)),
    *pair("NumericLessThan", None, _prep, to_number, _cmp(operator.lt)),
    *pair("NumericLessThanEquals", None, _prep, to_number, _cmp(operator.le)),
    *pair("NumericGreaterThan", None, _prep, to_number, _cmp(operator.gt)),
    *pair("NumericGreaterThanEquals", None, _prep, to_number, _cmp(operator.ge)),
)

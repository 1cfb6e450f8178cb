"""Date operators (IAM UG, Condition operators, "Date condition operators"): values are W3C/ISO
8601 dates ("2026-01-01", "2026-01-01T12:00:00Z") or epoch (UNIX) seconds. A date without a time
zone is read as UTC."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

from iamfence.engine.conditions.base import Operator, pair, plain_text
from iamfence.engine.patterns import Part

_EPOCH = re.compile(r"^-?\d+(\.\d+)?$", re.ASCII)


@lru_cache(maxsize=16384)
def to_epoch(text: str) -> object | None:
    """Seconds since the epoch as a float, or None when `text` is not a date."""
    value = text.strip()
    if _EPOCH.match(value):
        # AWS-DEVIATION: none; epoch values are seconds (IAM UG, Date condition operators).
        seconds = float(value)
        return seconds if math.isfinite(seconds) else None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def _prep(parts: tuple[Part, ...]) -> object | None:
    return to_epoch(plain_text(parts))


def _cmp(fn: Callable[[float, float], bool]) -> Callable[[object, object], bool]:
    def test(ctx: object, pol: object) -> bool:
        assert isinstance(ctx, float) and isinstance(pol, float)
        return fn(ctx, pol)

    return test


OPERATORS: tuple[Operator, ...] = (
    *pair("DateEquals", "DateNotEquals", _prep, to_epoch, _cmp(operator.eq)),
    *pair("DateLessThan", None, _prep, to_epoch, _cmp(operator.lt)),
    *pair("DateLessThanEquals", None, _prep, to_epoch, _cmp(operator.le)),
    *pair("DateGreaterThan", None, _prep, to_epoch, _cmp(operator.gt)),
    *pair("DateGreaterThanEquals", None, _prep, to_epoch, _cmp(operator.ge)),
)

"""Bool (IAM UG, Condition operators, "Boolean condition operators"): "true" / "false", letter
case ignored; any other value never matches."""

from __future__ import annotations

from iamfence.engine.conditions.base import Operator, pair, plain_text
from iamfence.engine.patterns import Part


def to_bool(text: str) -> object | None:
    value = text.strip().lower()
    return value if value in ("true", "false") else None


def _prep(parts: tuple[Part, ...]) -> object | None:
    return to_bool(plain_text(parts))


def _eq(ctx: object, pol: object) -> bool:
    return ctx == pol


OPERATORS: tuple[Operator, ...] = pair("Bool", None, _prep, to_bool, _eq)

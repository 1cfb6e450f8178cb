"""Null (IAM UG, Condition operators, "Condition operator to check existence of condition keys"):
`true` matches when the key is absent (or, for a multivalued key, has no values), `false` when it
is present. The evaluator handles Null itself; this module registers its name."""

from __future__ import annotations

from iamfence.engine.conditions.base import Operator, pair, plain_text
from iamfence.engine.conditions.boolean import to_bool
from iamfence.engine.patterns import Part


def _prep(parts: tuple[Part, ...]) -> object | None:
    return to_bool(plain_text(parts))


def _eq(ctx: object, pol: object) -> bool:
    return ctx == pol


OPERATORS: tuple[Operator, ...] = pair("Null", None, _prep, to_bool, _eq)

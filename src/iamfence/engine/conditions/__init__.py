"""Condition operators as a registry, one module per family (IAM User Guide, "IAM JSON policy
elements: Condition operators"). `lookup` splits ForAllValues:/ForAnyValue: and IfExists."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from iamfence.engine.conditions import arn, binary, boolean, date, ip, null, numeric, string
from iamfence.engine.conditions.base import Operator

REGISTRY: dict[str, Operator] = {
    op.name.lower(): op
    for family in (string, numeric, date, boolean, binary, ip, arn, null)
    for op in family.OPERATORS
}


class SetQualifier(Enum):
    NONE = "none"
    FOR_ALL_VALUES = "ForAllValues"
    FOR_ANY_VALUE = "ForAnyValue"


@dataclass(frozen=True, slots=True)
class ParsedOperator:
    text: str
    base: Operator | None
    """None when the operator is unknown (the condition's result is then unknown)."""
    qualifier: SetQualifier
    if_exists: bool
    is_null: bool


def lookup(text: str) -> ParsedOperator:
    rest = text.strip()
    qualifier = SetQualifier.NONE
    lowered = rest.lower()
    if lowered.startswith("forallvalues:"):
        qualifier, rest = SetQualifier.FOR_ALL_VALUES, rest[len("ForAllValues:") :]
    elif lowered.startswith("foranyvalue:"):
        qualifier, rest = SetQualifier.FOR_ANY_VALUE, rest[len("ForAnyValue:") :]
    if_exists = rest.lower().endswith("ifexists") and rest.lower() != "ifexists"
    if if_exists:
        rest = rest[: -len("IfExists")]
    base = REGISTRY.get(rest.lower())
    return ParsedOperator(text, base, qualifier, if_exists, rest.lower() == "null")


__all__ = ["REGISTRY", "Operator", "ParsedOperator", "SetQualifier", "lookup"]

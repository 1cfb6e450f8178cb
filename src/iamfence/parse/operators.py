"""The condition operators IAM accepts, for validating Condition blocks and suggesting fixes.

Source: IAM User Guide, "IAM JSON policy elements: Condition operators" (string, numeric, date and
time, Boolean, binary, IP address, ARN, ...IfExists, Null) and "Single-valued vs. multivalued
context keys" (the ForAllValues: and ForAnyValue: set operators). The engine's operator registry
gives them meaning; this module only knows their spelling.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

BASE_OPERATORS: tuple[str, ...] = (
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
)
SET_PREFIXES: tuple[str, ...] = ("ForAllValues:", "ForAnyValue:")
IF_EXISTS = "IfExists"


@dataclass(frozen=True, slots=True)
class OperatorName:
    """An operator split into its parts: e.g. ForAnyValue:StringLikeIfExists ->
    (set_prefix="ForAnyValue:", base="StringLike", if_exists=True)."""

    set_prefix: str | None
    base: str
    if_exists: bool


def _all_spellings() -> tuple[str, ...]:
    names: list[str] = []
    for prefix in ("", *SET_PREFIXES):
        for base in BASE_OPERATORS:
            names.append(prefix + base)
            if base != "Null":
                names.append(prefix + base + IF_EXISTS)
    return tuple(names)


ALL_OPERATORS: tuple[str, ...] = _all_spellings()
_BY_LOWER: dict[str, str] = {name.lower(): name for name in ALL_OPERATORS}


def split_operator(text: str) -> OperatorName | None:
    """Split a correctly spelled operator (exact case) into its parts; None when unknown.
    A "NullIfExists" splits (so callers can say IfExists is not allowed there)."""
    prefix = next((p for p in SET_PREFIXES if text.startswith(p)), None)
    rest = text[len(prefix) :] if prefix else text
    if_exists = rest.endswith(IF_EXISTS) and rest != IF_EXISTS
    base = rest[: -len(IF_EXISTS)] if if_exists else rest
    if base not in BASE_OPERATORS:
        return None
    return OperatorName(prefix, base, if_exists)


def canonical_case(text: str) -> str | None:
    """The AWS spelling of an operator written with different letter case, if there is one."""
    return _BY_LOWER.get(text.lower())


def suggest(text: str) -> str | None:
    """The closest known operator name, for a "did you mean" hint; None when nothing is close."""
    lowered = {name.lower(): name for name in ALL_OPERATORS}
    found = difflib.get_close_matches(text.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None

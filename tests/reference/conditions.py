"""Condition operators, naively (IAM User Guide, "IAM JSON policy elements: Condition operators",
"Condition with multiple context keys or values", "Single-valued vs. multivalued context keys",
"IAM policy elements: Variables and tags" § Policy variables with no value).

A clause evaluates to True, False or None (None: the documentation does not say what AWS does, i.e.
a single-valued operator applied to a multivalued context key; the caller then decides by trying
both outcomes)."""

from __future__ import annotations

import base64
import binascii
import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tests.reference.matching import (
    Lookup,
    UnknownValue,
    Unresolved,
    arn_condition_matches,
    tokenize,
    tokens_match,
)


@dataclass(frozen=True)
class Ctx:
    values: tuple[str, ...]
    multi: bool


def to_wire(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def context_from_json(raw: dict[str, Any]) -> dict[str, Ctx]:
    out: dict[str, Ctx] = {}
    for key, value in raw.items():
        if isinstance(value, dict):  # {"type": ..., "values"/"value": ...}
            v = value.get("values", value.get("value"))
            multi = isinstance(v, list)
            vals = tuple(to_wire(x) for x in (v if isinstance(v, list) else [v]))
            out[key.lower()] = Ctx(vals, bool(value.get("multi", multi)))
        elif isinstance(value, list):
            out[key.lower()] = Ctx(tuple(to_wire(x) for x in value), True)
        elif value is not None:
            out[key.lower()] = Ctx((to_wire(value),), False)
    return out


ALWAYS_PRESENT = {"aws:currenttime", "aws:epochtime", "aws:securetransport", "aws:requestedregion"}
"""Keys AWS includes in every request (IAM User Guide, "AWS global condition context keys",
Availability); when a request does not give them their value is unknown, never invented."""

UNKNOWN = Ctx(("<unknown>",), False)
"""A key AWS sets whose value the request does not give (aws:PrincipalArn of a role session: the role
ARN with its path, which the session ARN does not carry)."""

NEGATED = {
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "NumericNotEquals",
    "DateNotEquals",
    "NotIpAddress",
    "ArnNotEquals",
    "ArnNotLike",
}
POSITIVE_OF = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "NotIpAddress": "IpAddress",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


def _number(text: str) -> Decimal | None:
    try:
        d = Decimal(text.strip())
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _date(text: str) -> datetime | None:
    """ISO 8601 (date, or date and time with Z/offset) or epoch seconds."""
    t = text.strip()
    if t.lstrip("-").isdigit():
        try:
            return datetime.fromtimestamp(int(t), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    try:
        d = datetime.fromisoformat(t.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return d if d.tzinfo is not None else d.replace(tzinfo=UTC)


def _compare(kind: str, op: str, ctx: str, pol: str) -> bool:
    conv = _number if kind == "Numeric" else _date
    a, b = conv(ctx), conv(pol)
    if a is None or b is None:
        return False
    rel = op[len(kind) :]
    return {
        "Equals": a == b,
        "LessThan": a < b,
        "LessThanEquals": a <= b,
        "GreaterThan": a > b,
        "GreaterThanEquals": a >= b,
    }[rel]


def _binary(ctx: str, pol: str) -> bool:
    try:
        return base64.b64decode(ctx, validate=True) == base64.b64decode(pol, validate=True)
    except (binascii.Error, ValueError):
        return ctx == pol


def _ip(ctx: str, pol: str) -> bool:
    try:
        addr = ipaddress.ip_address(ctx.strip())
        net = ipaddress.ip_network(pol.strip(), strict=False)
    except ValueError:
        return False
    return addr.version == net.version and addr in net


def positive_match(op: str, ctx: str, pol: Any, *, variables: bool, lookup: Lookup) -> bool:
    """One context value against one policy value, for a non-negated base operator."""
    pol_text = to_wire(pol)
    if op.startswith("String"):
        try:
            tokens = tokenize(
                pol_text, variables=variables, lookup=lookup, wildcards=op == "StringLike"
            )
        except Unresolved:
            return False
        return tokens_match(tokens, ctx, ignore_case=op == "StringEqualsIgnoreCase")
    if op in ("ArnEquals", "ArnLike"):
        try:
            tokens = tokenize(pol_text, variables=variables, lookup=lookup, wildcards=False)
        except Unresolved:
            return False
        return arn_condition_matches("".join(t[1] for t in tokens), ctx)
    if op.startswith("Numeric"):
        return _compare("Numeric", op, ctx, pol_text)
    if op.startswith("Date"):
        return _compare("Date", op, ctx, pol_text)
    if op == "Bool":
        try:
            tokens = tokenize(pol_text, variables=variables, lookup=lookup, wildcards=False)
        except Unresolved:
            return False
        return ctx.lower() == "".join(t[1] for t in tokens).lower() and ctx.lower() in (
            "true",
            "false",
        )
    if op == "BinaryEquals":
        return _binary(ctx, pol_text)
    if op == "IpAddress":
        return _ip(ctx, pol_text)
    raise ValueError(f"unknown condition operator {op}")


def value_matches(
    base: str, ctx: str, pol_values: list[Any], *, variables: bool, lookup: Lookup
) -> bool:
    """OR across the policy's values; a negated operator is NOT(OR of the positive matches)."""
    if base in NEGATED:
        pos = POSITIVE_OF[base]
        return not any(
            positive_match(pos, ctx, p, variables=variables, lookup=lookup) for p in pol_values
        )
    return any(positive_match(base, ctx, p, variables=variables, lookup=lookup) for p in pol_values)


def clause(
    operator: str,
    key: str,
    pol_values: list[Any],
    context: dict[str, Ctx],
    *,
    variables: bool,
    lookup: Lookup,
) -> bool | None:
    set_op = None
    op = operator
    if ":" in op:
        set_op, op = op.split(":", 1)
    if_exists = op.endswith("IfExists") and op != "IfExists"
    if if_exists:
        op = op[: -len("IfExists")]
    present = context.get(key.lower())
    if (present is None and key.lower() in ALWAYS_PRESENT) or present is UNKNOWN:
        # In every AWS request, value not given: presence is known, the comparison is not.
        return (op == "Null" and all(to_wire(p).lower() == "false" for p in pol_values)) or None
    if op == "Null":
        absent = present is None or (present.multi and not present.values)
        return any(to_wire(p).lower() == ("true" if absent else "false") for p in pol_values)
    if present is None or (present.multi and not present.values):
        if if_exists:
            return True
        if set_op == "ForAllValues":
            return True
        if set_op == "ForAnyValue":
            return False
        return op in NEGATED
    try:
        results = [
            value_matches(op, v, pol_values, variables=variables, lookup=lookup)
            for v in present.values
        ]
    except UnknownValue:
        return None  # a policy value uses a variable whose value is unknown
    if set_op == "ForAllValues":
        return all(results)
    if set_op == "ForAnyValue":
        return any(results)
    if present.multi:
        return None  # AWS-DEVIATION: undocumented (single-valued operator on a multivalued key)
    return results[0]

"""Typed condition values: parsing policy constants and rendering model values in wire form.

Sources: IAM User Guide, "IAM JSON policy elements: Condition operators" (numeric, date, IP address
and Boolean condition operators) and "Policy variables" (`${key}`, `${key, 'default'}`, and the
escapes `${*}`, `${?}`, `${$}`, substituted only under Version 2012-10-17)."""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation

from iamfence.symbolic.patterns import QMARK, STAR, Items

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_DATE_MS = 253402300800000
"""Year 10000: dates are modelled from 1970 on, in milliseconds (AWS stamps request times in whole
seconds; policy constants must be whole seconds so that the millisecond grid loses no interval)."""

_EPOCH = re.compile(r"-?\d+")
_VARIABLE = re.compile(r"\$\{([^}]*)\}")


class Unsupported(Exception):
    """A policy feature the encoder does not model; the query's verdict becomes UNKNOWN."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_number(text: str) -> Decimal | None:
    """A numeric condition value, read as the engine reads it (a finite float literal); None when
    it is not a number (it then matches nothing)."""
    try:
        as_float = float(text.strip())
        value = Decimal(text.strip())
    except (ValueError, InvalidOperation):
        return None
    return value if math.isfinite(as_float) and value.is_finite() else None


def number_decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent > 12:
        raise Unsupported(f"numeric condition value {value} has more than 12 decimals")
    return max(0, -exponent)


def scaled_number(value: Decimal, scale: int) -> int:
    """`value` times 10**scale (an integer by construction of `scale`)."""
    return int(value * (Decimal(10) ** scale))


def render_number(value: int, scale: int) -> str:
    text = str(Decimal(value) / (Decimal(10) ** scale))
    if "E" in text or "e" in text:
        text = format(Decimal(value) / (Decimal(10) ** scale), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def date_ms(text: str) -> int | None:
    """A policy date (ISO 8601 or epoch seconds) in epoch milliseconds; None when it is not a date
    (it then matches nothing). Whole seconds only: finer constants are unsupported."""
    raw = text.strip()
    if _EPOCH.fullmatch(raw):
        return int(raw) * 1000
    if re.fullmatch(r"-?\d+\.\d+", raw):
        raise Unsupported(f"date condition value {text!r} has sub-second precision")
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if parsed.microsecond:
        raise Unsupported(f"date condition value {text!r} has sub-second precision")
    delta = parsed - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000


def render_date(ms: int) -> str:
    moment = EPOCH + timedelta(milliseconds=ms)
    if ms % 1000:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class IpRange:
    v6: bool
    low: int
    high: int


def ip_range(text: str) -> IpRange | None:
    """A policy CIDR (or address); None when it is neither (it then matches nothing)."""
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
    return IpRange(
        network.version == 6, int(network.network_address), int(network.broadcast_address)
    )


def render_ip(value: int, v6: bool) -> str:
    return str(ipaddress.IPv6Address(value) if v6 else ipaddress.IPv4Address(value))


def bool_text(value: object) -> str | None:
    """ "true"/"false" for a Bool condition value, None for anything else (never matches)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip().lower()
    return text if text in ("true", "false") else None


def scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True, slots=True)
class VarRef:
    """A policy variable whose value the solver chooses (a context key the query does not fix)."""

    key: str
    default: str | None


Part = str | VarRef
"""A 1-character literal, STAR, QMARK or a VarRef."""


def template(
    text: str,
    *,
    variables: bool,
    wildcards: bool,
    known: Mapping[str, str | None],
) -> tuple[Part, ...] | None:
    """Parts of a policy string: wildcards (when `wildcards`) and, when `variables` (the policy's
    Version allows them), policy variables: replaced by their value when `known` fixes it (keys
    derived from the principal; None when such a key has no value), else kept as VarRef. None when
    a fixed variable has no value and no default ("Policy variables with no value": the value then
    matches nothing)."""
    parts: list[Part] = []
    position = 0
    matches = list(_VARIABLE.finditer(text)) if variables else []
    for match in matches:
        parts.extend(_plain(text[position : match.start()], wildcards))
        value = _variable_value(match.group(1), known)
        if value is None:
            return None
        parts.extend(value)
        position = match.end()
    parts.extend(_plain(text[position:], wildcards))
    return tuple(parts)


def substitute(
    text: str,
    *,
    variables: bool,
    wildcards: bool,
    known: Mapping[str, str | None],
) -> Items | None:
    """Like `template`, for places that need every variable fixed (unsupported otherwise)."""
    parts = template(text, variables=variables, wildcards=wildcards, known=known)
    if parts is None:
        return None
    for part in parts:
        if isinstance(part, VarRef):
            raise Unsupported(f"policy variable ${{{part.key}}} here (its value is not fixed)")
    return tuple(p for p in parts if isinstance(p, str))


def split_parts(parts: tuple[Part, ...]) -> list[tuple[Part, ...]]:
    """Parts split into ARN parts at the first five literal ':'."""
    out: list[list[Part]] = [[]]
    for part in parts:
        if part == ":" and len(out) < 6:
            out.append([])
        else:
            out[-1].append(part)
    return [tuple(p) for p in out]


def variable_keys(text: str, known: Mapping[str, str | None]) -> tuple[str, ...]:
    """Lower-cased keys of the variables in `text` that `known` does not fix."""
    out: list[str] = []
    for match in _VARIABLE.finditer(text):
        body = match.group(1)
        if body in ("*", "?", "$"):
            continue
        key = body.partition(",")[0].strip().lower()
        if key not in known:
            out.append(key)
    return tuple(out)


def _plain(text: str, wildcards: bool) -> Items:
    if not wildcards:
        return tuple(text)
    return tuple(STAR if ch == "*" else QMARK if ch == "?" else ch for ch in text)


def _variable_value(body: str, known: Mapping[str, str | None]) -> tuple[Part, ...] | None:
    if body in ("*", "?", "$"):
        return (body,)
    name, comma, default = body.partition(",")
    key = name.strip().lower()
    fallback: str | None = None
    if comma:
        fallback = default.strip()
        if len(fallback) >= 2 and fallback[0] == fallback[-1] == "'":
            fallback = fallback[1:-1]
        else:
            raise Unsupported(f"policy variable default in ${{{body}}} is not quoted")
    if key not in known:
        return (VarRef(key, fallback),)
    value = known[key]
    if value is None:
        value = fallback
    return None if value is None else tuple(value)

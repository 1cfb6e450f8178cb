"""IpAddress / NotIpAddress (IAM UG, Condition operators, "IP address condition operators"): an
IPv4 or IPv6 address against CIDR blocks (RFC 4632); an address never matches a block of the other
IP version, and a value that is not an address never matches."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from iamfence.engine.conditions.base import Operator, pair, plain_text
from iamfence.engine.patterns import Part

IpNet = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16384)
def to_address(text: str) -> object | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _prep(parts: tuple[Part, ...]) -> object | None:
    try:
        return ipaddress.ip_network(plain_text(parts).strip(), strict=False)
    except ValueError:
        return None


def _contains(ctx: object, pol: object) -> bool:
    assert isinstance(pol, IpNet)
    if not isinstance(ctx, ipaddress.IPv4Address | ipaddress.IPv6Address):
        return False
    return ctx.version == pol.version and ctx in pol


OPERATORS: tuple[Operator, ...] = pair("IpAddress", "NotIpAddress", _prep, to_address, _contains)

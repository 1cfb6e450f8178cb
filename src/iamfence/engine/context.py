"""The request context as the evaluator sees it: given keys, keys derived from the principal, and
keys AWS always sets that the request does not carry (their value is unknown, never guessed).

IAM User Guide, "AWS global condition context keys": aws:CurrentTime, aws:EpochTime and
aws:SecureTransport are included in every request; aws:userid in every request by an IAM
principal; aws:PrincipalOrgID whenever the principal's account is in an organization (here: when
SCP levels are given)."""

from __future__ import annotations

from iamfence.engine.patterns import UNKNOWN, _Unknown
from iamfence.engine.principal import PrincipalInfo, classify, derived_context
from iamfence.model import ContextValue, Request

ALWAYS_PRESENT = frozenset({"aws:currenttime", "aws:epochtime", "aws:securetransport"})
IAM_PRINCIPAL_ALWAYS = frozenset({"aws:userid"})
ORG_ALWAYS = frozenset({"aws:principalorgid"})

_DERIVED: dict[str, tuple[PrincipalInfo, dict[str, ContextValue]]] = {}


def _principal(principal: str) -> tuple[PrincipalInfo, dict[str, ContextValue]]:
    cached = _DERIVED.get(principal)
    if cached is None:
        info = classify(principal)
        cached = (info, derived_context(info))
        if len(_DERIVED) > 4096:
            _DERIVED.clear()
        _DERIVED[principal] = cached
    return cached


class EvalContext:
    """Lookup by lower-cased key: a ContextValue, None (absent) or UNKNOWN."""

    __slots__ = ("derived", "info", "unknown", "values")

    def __init__(self, request: Request, in_organization: bool) -> None:
        info, derived = _principal(request.principal)
        self.info = info
        values = dict(derived)
        for key, value in request.context:
            values[key.lower()] = value
        self.values = values
        self.derived = tuple(k for k in derived if k not in {c.lower() for c, _ in request.context})
        unknown = ALWAYS_PRESENT
        if info.is_iam:
            unknown = unknown | IAM_PRINCIPAL_ALWAYS
            if in_organization:
                unknown = unknown | ORG_ALWAYS
        self.unknown = unknown

    def get(self, key: str) -> ContextValue | None | _Unknown:
        value = self.values.get(key)
        if value is not None:
            return value
        if key in self.unknown:
            return UNKNOWN
        return None

    def variable(self, key: str) -> str | None | _Unknown:
        """A policy variable's value: single-valued keys only (IAM UG, "Single-valued vs.
        multivalued context keys": multivalued keys cannot be policy variables)."""
        value = self.get(key)
        if value is None or isinstance(value, _Unknown):
            return value
        if value.multi or len(value.values) != 1:
            return None
        return value.values[0]

    @property
    def principal_arn(self) -> str | None:
        value = self.values.get("aws:principalarn")
        if value is None or len(value.values) != 1:
            return None
        return value.values[0]

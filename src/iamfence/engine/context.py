"""The request context as the evaluator sees it: given keys, keys derived from the principal, and
keys AWS always sets that the request does not carry (their value is unknown, never guessed).

IAM User Guide, "AWS global condition context keys": aws:CurrentTime, aws:EpochTime,
aws:SecureTransport and aws:RequestedRegion ("This key is always included in the request context")
are included in every request; aws:userid in every request by an IAM
principal; aws:PrincipalOrgID whenever the principal's account is in an organization (here: when
SCP levels are given)."""

from __future__ import annotations

from iamfence.engine.patterns import UNKNOWN, _Unknown
from iamfence.engine.principal import PrincipalClass, PrincipalInfo, classify, derived_context
from iamfence.model import ContextValue, Request

ALWAYS_PRESENT = frozenset(
    {"aws:currenttime", "aws:epochtime", "aws:securetransport", "aws:requestedregion"}
)
IAM_PRINCIPAL_ALWAYS = frozenset({"aws:userid"})
ORG_ALWAYS = frozenset({"aws:principalorgid"})

_IAM = ALWAYS_PRESENT | IAM_PRINCIPAL_ALWAYS
_IAM_ORG = _IAM | ORG_ALWAYS
SESSION_ALWAYS = frozenset({"aws:principalarn"})
"""For a role session, aws:PrincipalArn is the role's ARN with its path, which the session ARN does
not carry: set by AWS, unknown here unless the request gives it (never guessed with path "/")."""
_SESSION = _IAM | SESSION_ALWAYS
_SESSION_ORG = _IAM_ORG | SESSION_ALWAYS

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

    __slots__ = ("_derived", "_values", "info", "unknown")

    def __init__(self, request: Request, in_organization: bool) -> None:
        info, derived = _principal(request.principal)
        self.info = info
        self._values: dict[str, ContextValue] | None = None
        self._derived = (derived, request)
        if info.kind is PrincipalClass.SESSION:
            self.unknown = _SESSION_ORG if in_organization else _SESSION
        elif info.is_iam:
            self.unknown = _IAM_ORG if in_organization else _IAM
        else:
            self.unknown = ALWAYS_PRESENT

    @property
    def derived(self) -> tuple[str, ...]:
        """Keys derived from the principal and not given in the request."""
        derived, request = self._derived
        given = {key.lower() for key, _ in request.context}
        return tuple(k for k in derived if k not in given)

    @property
    def values(self) -> dict[str, ContextValue]:
        """Every known key (lower-cased): derived keys, overridden by the request's (built on
        first use: most requests are decided without reading the context)."""
        values = self._values
        if values is None:
            derived, request = self._derived
            values = dict(derived)
            for key, value in request.context:
                values[key.lower()] = value
            self._values = values
        return values

    def get(self, key: str) -> ContextValue | _Unknown | None:
        value = self.values.get(key)
        if value is not None:
            return value
        if key in self.unknown:
            return UNKNOWN
        return None

    def variable(self, key: str) -> str | _Unknown | None:
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

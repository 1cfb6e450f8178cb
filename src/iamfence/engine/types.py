"""The engine's inputs and answers (the contract every other package codes against).

Policies by type follow the IAM User Guide, "Policy evaluation logic": identity-based policies,
a permissions boundary, session policies, a resource-based policy (with the account that owns the
resource), and organization SCPs and RCPs given as levels (root, OUs..., account), every level of
which must allow."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from iamfence.model import NamedPolicy, PolicyType


class Decision(Enum):
    ALLOW = "Allow"
    EXPLICIT_DENY = "ExplicitDeny"
    IMPLICIT_DENY = "ImplicitDeny"
    INDETERMINATE = "Indeterminate"
    """The engine cannot decide soundly (e.g. a condition on a key whose value is not known and
    on which the outcome depends); `AuthorizationResult.reason` says why. Never an Allow."""

    @property
    def denied(self) -> bool:
        return self in (Decision.EXPLICIT_DENY, Decision.IMPLICIT_DENY)


@dataclass(frozen=True, slots=True)
class PolicySet:
    identity: tuple[NamedPolicy, ...] = ()
    permissions_boundary: NamedPolicy | None = None
    session: tuple[NamedPolicy, ...] = ()
    resource: NamedPolicy | None = None
    resource_account: str | None = None
    scp: tuple[tuple[NamedPolicy, ...], ...] = ()
    """Levels from the root down to the account; () means no SCPs apply."""
    rcp: tuple[tuple[NamedPolicy, ...], ...] = ()
    """Levels from the root down to the account; () means no RCPs apply."""
    management_account: str | None = None
    """The organization's management account: SCPs do not restrict its principals and RCPs do
    not restrict its resources (AWS Organizations User Guide, SCPs / RCPs)."""


@dataclass(frozen=True, slots=True)
class StatementRef:
    """Evidence: which statement of which policy."""

    policy_type: PolicyType
    policy: str
    statement_index: int
    sid: str | None = None


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a decision came out as it did: `blocked_by` lists the policy types that denied (explicitly
    or by not allowing); `deciding` the statements that decided (the denies for an explicit deny, the
    allows for an allow); `details` per-statement and per-condition results as reason codes."""

    blocked_by: tuple[PolicyType, ...] = ()
    deciding: tuple[StatementRef, ...] = ()
    details: tuple[tuple[StatementRef, tuple[str, ...]], ...] = field(default=())
    derived_keys: tuple[str, ...] = ()
    """Context keys the engine derived from the principal (not given in the request)."""
    unresolved: tuple[str, ...] = ()
    """For Indeterminate: the statements and reason codes whose value is unknown."""


@dataclass(frozen=True, slots=True)
class AuthorizationResult:
    decision: Decision
    explanation: Explanation | None = None
    reason: str | None = None

    @property
    def allowed(self) -> bool:
        return self.decision is Decision.ALLOW

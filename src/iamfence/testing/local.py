"""The local backend: the battery evaluated by the engine, offline.

Who is who: the developer carries the developer policy (and the boundary when the design is
self-propagating); an app role carries the boundary and the widest identity policy a developer could
attach to it (Allow * on *), so that what it may do is exactly what the boundary lets through
(IAM User Guide, "Permissions boundaries for IAM entities": effective permissions are the
intersection of identity-based policies and the boundary)."""

from __future__ import annotations

from collections.abc import Iterable

from iamfence.engine import Decision, PolicySet, compile_policies
from iamfence.model import (
    BoundaryDesign,
    NamedPolicy,
    PolicyType,
    allow_everything,
)
from iamfence.testing.cases import (
    APP_ROLE,
    DEVELOPER,
    Status,
    TestCase,
    TestOutcome,
    TestReport,
)

WIDEST_IDENTITY = NamedPolicy(
    "app-role-identity (Allow * on *)",
    allow_everything(),
    PolicyType.IDENTITY,
)


def principal_kind(design: BoundaryDesign, who: str) -> str:
    """DEVELOPER or APP_ROLE. An ARN principal is an app role when its role name has the design's
    prefix, and the developer otherwise."""
    if who in (DEVELOPER, APP_ROLE):
        return who
    name = who.rsplit("/", 2)[-2] if ":assumed-role/" in who else who.rsplit("/", 1)[-1]
    return APP_ROLE if name.startswith(design.role_prefix) else DEVELOPER


def policy_set_for(design: BoundaryDesign, who: str) -> PolicySet:
    """The policies a test principal carries."""
    boundary = NamedPolicy(
        design.boundary_policy_arn, design.boundary_policy, PolicyType.PERMISSIONS_BOUNDARY
    )
    if principal_kind(design, who) == APP_ROLE:
        return PolicySet(identity=(WIDEST_IDENTITY,), permissions_boundary=boundary)
    developer = NamedPolicy(
        design.developer_policy_arn, design.developer_policy, PolicyType.IDENTITY
    )
    return PolicySet(
        identity=(developer,),
        permissions_boundary=boundary if design.self_propagating else None,
    )


def judge(case: TestCase, decision: Decision) -> Status:
    met = case.expect.met_by(decision)
    if met is None:
        return Status.ERROR
    return Status.PASSED if met else Status.FAILED


def run_local(design: BoundaryDesign, cases: Iterable[TestCase]) -> TestReport:
    """Evaluate every case with the engine; explanations carry the deciding statements."""
    engines = {
        kind: compile_policies(policy_set_for(design, kind)) for kind in (DEVELOPER, APP_ROLE)
    }
    outcomes: list[TestOutcome] = []
    for case in cases:
        result = engines[principal_kind(design, case.principal)].authorize(
            case.request, explain=True
        )
        explanation = result.explanation
        outcomes.append(
            TestOutcome(
                case,
                judge(case, result.decision),
                result.decision,
                explanation.deciding if explanation else (),
                explanation.blocked_by if explanation else (),
                result.reason or "",
            )
        )
    return TestReport("local", tuple(outcomes))

"""The developer's pre-flight check for a new role (seed: "Developer role creation workflow"):
may the developer create it (with the boundary attached) and put its policies, and why not; and does
its trust policy let principals outside the account, or everyone, assume it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from iamfence.engine import Decision, StatementRef
from iamfence.model import (
    BoundaryDesign,
    ContextType,
    ContextValue,
    PolicyDocument,
    PrincipalKind,
    Request,
)
from iamfence.testing.local import policy_set_for
from iamfence.testing.names import DesignNames, session_arn


class Problem(Enum):
    PREFIX = "name-outside-prefix"
    PATH = "path-not-allowed"
    DENIED = "denied-by-developer-policy"


class TrustIssue(Enum):
    EVERYONE = "trusts-everyone"
    OTHER_ACCOUNT = "trusts-another-account"
    FEDERATED = "trusts-a-federated-identity-provider"


@dataclass(frozen=True, slots=True)
class StepResult:
    action: str
    resource: str
    decision: Decision
    deciding: tuple[StatementRef, ...]


@dataclass(frozen=True, slots=True)
class TrustWarning:
    issue: TrustIssue
    principal: str
    statement_index: int
    conditioned: bool
    """The statement has conditions, which may narrow who can really assume the role."""


@dataclass(frozen=True, slots=True)
class RoleCheck:
    role_arn: str
    steps: tuple[StepResult, ...]
    problems: tuple[Problem, ...]
    trust_warnings: tuple[TrustWarning, ...]

    @property
    def allowed(self) -> bool:
        return not self.problems and all(s.decision is Decision.ALLOW for s in self.steps)


def _role_arn(names: DesignNames, name: str) -> tuple[str, str]:
    """(path, ARN) for a role name that may carry a path ("team/app-api")."""
    if "/" in name.strip("/"):
        path_part, _, base = name.strip("/").rpartition("/")
        path = f"/{path_part}/"
    else:
        path, base = names.role_path, name.strip("/")
    return path, names.role(base, path)


def check_role(
    design: BoundaryDesign,
    name: str,
    policies: tuple[tuple[str, PolicyDocument], ...],
    trust: PolicyDocument | None = None,
) -> RoleCheck:
    """Whether the developer may create role `name` with the boundary and put each policy on it."""
    from iamfence.engine import authorize

    names = DesignNames(design, (design.allowed_regions or ("us-east-1",))[0])
    path, arn = _role_arn(names, name)
    base = arn.rsplit("/", 1)[-1]
    problems: list[Problem] = []
    if not base.startswith(design.role_prefix):
        problems.append(Problem.PREFIX)
    if path != names.role_path:
        problems.append(Problem.PATH)
    developer = session_arn(names.role("iamfence-developer", "/"))
    boundary = (
        ("iam:PermissionsBoundary", ContextValue(ContextType.ARN, (design.boundary_policy_arn,))),
        ("aws:RequestedRegion", ContextValue.string("us-east-1")),
    )
    policy_set = policy_set_for(design, "developer")
    actions = ["iam:CreateRole"] + ["iam:PutRolePolicy" for _ in policies]
    steps = []
    for action in actions:
        result = authorize(Request(developer, action, arn, boundary), policy_set)
        deciding = result.explanation.deciding if result.explanation else ()
        steps.append(StepResult(action, arn, result.decision, deciding))
    if any(s.decision is not Decision.ALLOW for s in steps) and not problems:
        problems.append(Problem.DENIED)
    return RoleCheck(arn, tuple(steps), tuple(problems), trust_warnings(trust, design.account_id))


def trust_warnings(trust: PolicyDocument | None, account_id: str) -> tuple[TrustWarning, ...]:
    """Allow statements of a trust policy that let principals outside the account assume the role
    (IAM User Guide, "IAM JSON policy elements: Principal")."""
    if trust is None:
        return ()
    warnings: list[TrustWarning] = []
    for index, statement in enumerate(trust.statements):
        if statement.effect.value != "Allow" or statement.principal is None:
            continue
        spec = statement.principal
        conditioned = bool(statement.conditions)
        if spec.negated or spec.everyone:
            warnings.append(TrustWarning(TrustIssue.EVERYONE, "*", index, conditioned))
            continue
        for entry in spec.entries:
            if entry.kind is PrincipalKind.AWS:
                if entry.value == "*":
                    warnings.append(TrustWarning(TrustIssue.EVERYONE, "*", index, conditioned))
                elif _account_of(entry.value) != account_id:
                    warnings.append(
                        TrustWarning(TrustIssue.OTHER_ACCOUNT, entry.value, index, conditioned)
                    )
            elif entry.kind is PrincipalKind.FEDERATED:
                warnings.append(TrustWarning(TrustIssue.FEDERATED, entry.value, index, conditioned))
            elif entry.kind is PrincipalKind.CANONICAL_USER:
                warnings.append(
                    TrustWarning(TrustIssue.OTHER_ACCOUNT, entry.value, index, conditioned)
                )
    return tuple(warnings)


def _account_of(principal: str) -> str:
    if principal.isdigit():
        return principal
    parts = principal.split(":")
    return parts[4] if len(parts) > 4 else ""

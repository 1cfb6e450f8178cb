"""Remediation plan: attach the expected permissions boundary to each flagged role (IF701, and
IF702 when replacing another boundary is asked for). Muted findings are never remediated; applying
the plan is the adapters' job (PutRolePermissionsBoundary), and each role's outcome is recorded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from iamfence.audit import findings as fc
from iamfence.audit.findings import Finding


class StepAction(Enum):
    ATTACH = "attach"
    REPLACE = "replace"


class StepOutcome(Enum):
    PLANNED = "planned"
    APPLIED = "applied"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RemediationStep:
    account: str
    role_name: str
    role_arn: str
    boundary_arn: str
    action: StepAction
    current_boundary: str = ""
    outcome: StepOutcome = StepOutcome.PLANNED
    detail: str = ""

    def to_json(self) -> dict[str, str]:
        return {
            "account": self.account,
            "role_name": self.role_name,
            "role_arn": self.role_arn,
            "boundary_arn": self.boundary_arn,
            "action": self.action.value,
            "current_boundary": self.current_boundary,
            "outcome": self.outcome.value,
            "detail": self.detail,
        }


def plan(findings: Iterable[Finding], replace_other: bool = False) -> tuple[RemediationStep, ...]:
    steps: list[RemediationStep] = []
    seen: set[str] = set()
    for f in findings:
        if f.muted or f.subject_arn in seen:
            continue
        if f.code == fc.ROLE_WITHOUT_BOUNDARY.code:
            action = StepAction.ATTACH
        elif f.code == fc.ROLE_OTHER_BOUNDARY.code and replace_other:
            action = StepAction.REPLACE
        else:
            continue
        seen.add(f.subject_arn)
        steps.append(
            RemediationStep(
                f.account,
                str(f.get("role_name")),
                f.subject_arn,
                str(f.get("expected_boundary")),
                action,
                str(f.get("actual_boundary")),
            )
        )
    return tuple(sorted(steps, key=lambda s: (s.account, s.role_arn)))

"""The `--against aws` backend of `iamfence test`: the battery evaluated by IAM itself in a sandbox
account, and tamper probes made as real API calls.

- Evaluation: SimulateCustomPolicy for the developer (the developer policy, with the boundary as
  PermissionsBoundaryPolicyInputList when self-propagating) and SimulatePrincipalPolicy on a temporary
  role that carries the deployed boundary, with an Allow-* identity policy added as PolicyInputList
  (IAM API Reference: SimulatePrincipalPolicy, SimulateCustomPolicy).
- Tamper probes: the temporary role is assumed and tries to unbound itself or edit the boundary; each
  must fail with AccessDenied. A probe that succeeds is rolled back at once and reported as critical.
- The temporary role is always deleted, also on Ctrl-C.
Credentials are never printed or stored."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from iamfence.engine import Decision
from iamfence.model import BoundaryDesign, ContextType, ContextValue, Request
from iamfence.parse import policy_to_json
from iamfence.testing.cases import Category, Expectation, Status, TestCase, TestOutcome, TestReport
from iamfence.testing.local import WIDEST_IDENTITY, judge, principal_kind
from iamfence.testing.names import OTHER_BOUNDARY

_TYPES = {
    ContextType.STRING: "string",
    ContextType.ARN: "string",
    ContextType.NUMBER: "numeric",
    ContextType.BOOL: "boolean",
    ContextType.DATE: "date",
    ContextType.IP: "ip",
    ContextType.BINARY: "binary",
}
_DECISIONS = {
    "allowed": Decision.ALLOW,
    "explicitdeny": Decision.EXPLICIT_DENY,
    "implicitdeny": Decision.IMPLICIT_DENY,
}
DENIED_CODES = ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation")


def context_entries(context: tuple[tuple[str, ContextValue], ...]) -> list[dict[str, Any]]:
    entries = []
    for key, value in context:
        kind = _TYPES[value.type] + ("List" if value.multi else "")
        entries.append(
            {"ContextKeyName": key, "ContextKeyValues": list(value.values), "ContextKeyType": kind}
        )
    return entries


def _outcome(case: TestCase, result: dict[str, Any]) -> TestOutcome:
    decision = _DECISIONS.get(str(result.get("EvalDecision", "")).lower(), Decision.INDETERMINATE)
    missing = result.get("MissingContextValues") or []
    detail = f"missing context values: {', '.join(missing)}" if missing else ""
    if missing and decision is not Decision.ALLOW:
        decision = Decision.INDETERMINATE
    matched = ", ".join(
        f"{m.get('SourcePolicyType', '?')}:{m.get('SourcePolicyId', '?')}"
        for m in result.get("MatchedStatements") or []
    )
    if matched:
        detail = f"{detail}; matched {matched}" if detail else f"matched {matched}"
    return TestOutcome(case, judge(case, decision), decision, detail=detail)


def simulate_cases(
    iam: Any,
    design: BoundaryDesign,
    role_arn: str,
    cases: tuple[TestCase, ...],
    progress: Callable[[int], None] | None = None,
) -> tuple[TestOutcome, ...]:
    """One simulate call per case; an API error makes that case an error, never a pass.
    `progress(n)` is called after each case with the number done."""
    boundary = policy_to_json(design.boundary_policy)
    developer = policy_to_json(design.developer_policy)
    widest = policy_to_json(WIDEST_IDENTITY.document)
    outcomes: list[TestOutcome] = []
    for case in cases:
        if progress is not None:
            progress(len(outcomes))
        r = case.request
        base: dict[str, Any] = {
            "ActionNames": [r.action],
            "ContextEntries": context_entries(r.context),
        }
        if r.resource != "*":
            base["ResourceArns"] = [r.resource]
        try:
            if principal_kind(design, case.principal) == "app-role":
                reply = iam.simulate_principal_policy(
                    PolicySourceArn=role_arn, PolicyInputList=[widest], **base
                )
            else:
                extra = (
                    {"PermissionsBoundaryPolicyInputList": [boundary]}
                    if design.self_propagating
                    else {}
                )
                reply = iam.simulate_custom_policy(PolicyInputList=[developer], **base, **extra)
        except Exception as exc:  # botocore ClientError and transport errors alike
            outcomes.append(
                TestOutcome(case, Status.ERROR, Decision.INDETERMINATE, detail=_error(exc))
            )
            continue
        results = reply.get("EvaluationResults") or []
        if not results:
            outcomes.append(
                TestOutcome(
                    case, Status.ERROR, Decision.INDETERMINATE, detail="no evaluation result"
                )
            )
            continue
        outcomes.append(_outcome(case, results[0]))
    return tuple(outcomes)


def _error(exc: Exception) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", type(exc).__name__))
    return type(exc).__name__


@dataclass(frozen=True, slots=True)
class SandboxRole:
    name: str
    arn: str


@contextmanager
def sandbox_role(iam: Any, design: BoundaryDesign, caller_arn: str) -> Iterator[SandboxRole]:
    """A temporary role `<prefix>iamfence-test-<random>` with the boundary, trusted by the caller
    only, with an Allow-* inline policy (bounded by the boundary); deleted on exit, Ctrl-C included."""
    name = f"{design.role_prefix}iamfence-test-{secrets.token_hex(4)}"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": caller_arn}, "Action": "sts:AssumeRole"}
        ],
    }
    role = iam.create_role(
        RoleName=name,
        Path=design.role_path or "/",
        AssumeRolePolicyDocument=json.dumps(trust),
        PermissionsBoundary=design.boundary_policy_arn,
        Tags=[{"Key": "iamfence", "Value": "temporary-test-role"}],
    )["Role"]
    try:
        iam.put_role_policy(
            RoleName=name,
            PolicyName="iamfence-widest",
            PolicyDocument=policy_to_json(WIDEST_IDENTITY.document),
        )
        yield SandboxRole(name, role["Arn"])
    finally:
        delete_role(iam, name)


def delete_role(iam: Any, name: str) -> None:
    for policy in iam.list_role_policies(RoleName=name).get("PolicyNames", []):
        iam.delete_role_policy(RoleName=name, PolicyName=policy)
    for attached in iam.list_attached_role_policies(RoleName=name).get("AttachedPolicies", []):
        iam.detach_role_policy(RoleName=name, PolicyArn=attached["PolicyArn"])
    iam.delete_role(RoleName=name)


Probe = tuple[str, str, Callable[[Any], Any], Callable[[Any, Any], None]]
"""(name, why, attempt(iam_as_role) -> result, rollback(admin_iam, result))."""


def tamper_probes(design: BoundaryDesign, role: SandboxRole) -> tuple[Probe, ...]:
    other = OTHER_BOUNDARY.format(partition=design.partition)
    probe_role = f"{design.role_prefix}iamfence-probe-{secrets.token_hex(3)}"
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )

    def restore_boundary(admin: Any, _result: Any) -> None:
        admin.put_role_permissions_boundary(
            RoleName=role.name, PermissionsBoundary=design.boundary_policy_arn
        )

    def drop_version(admin: Any, result: Any) -> None:
        admin.delete_policy_version(
            PolicyArn=design.boundary_policy_arn, VersionId=result["PolicyVersion"]["VersionId"]
        )

    return (
        ("probe: role removes its own boundary", "the boundary cannot be modified by those it bounds",
         lambda iam: iam.delete_role_permissions_boundary(RoleName=role.name), restore_boundary),
        ("probe: role swaps its own boundary", "the boundary cannot be replaced by those it bounds",
         lambda iam: iam.put_role_permissions_boundary(RoleName=role.name, PermissionsBoundary=other), restore_boundary),
        ("probe: role edits the boundary policy", "the boundary policy cannot be edited by those it bounds",
         lambda iam: iam.create_policy_version(
             PolicyArn=design.boundary_policy_arn, PolicyDocument=policy_to_json(WIDEST_IDENTITY.document), SetAsDefault=False),
         drop_version),
        ("probe: role creates an unbounded role", "an unbounded role escapes the boundary",
         lambda iam: iam.create_role(RoleName=probe_role, AssumeRolePolicyDocument=trust),
         lambda admin, _r: delete_role(admin, probe_role)),
    )  # fmt: skip


def run_probes(
    admin_iam: Any, role_iam: Any, design: BoundaryDesign, role: SandboxRole
) -> tuple[TestOutcome, ...]:
    """Each probe must fail with AccessDenied; one that succeeds is rolled back and is critical."""
    outcomes = []
    for name, why, attempt, rollback in tamper_probes(design, role):
        case = TestCase(
            name,
            why,
            Category.SELF_MODIFICATION,
            role.arn,
            Request(role.arn, name, role.arn),
            Expectation.DENY,
        )
        try:
            result = attempt(role_iam)
        except Exception as exc:
            code = _error(exc)
            if code in DENIED_CODES:
                outcomes.append(
                    TestOutcome(case, Status.PASSED, Decision.EXPLICIT_DENY, detail=code)
                )
            else:
                outcomes.append(
                    TestOutcome(case, Status.ERROR, Decision.INDETERMINATE, detail=code)
                )
            continue
        try:
            rollback(admin_iam, result)
            detail = "the call succeeded; rolled back"
        except Exception as exc:
            detail = f"the call succeeded; ROLLBACK FAILED ({_error(exc)}): fix by hand"
        outcomes.append(
            TestOutcome(case, Status.FAILED, Decision.ALLOW, detail=detail, critical=True)
        )
    return tuple(outcomes)


def _assume(sts: Any, role_arn: str, sleep: Callable[[float], None], tries: int = 10) -> Any:
    """AssumeRole on a role IAM has just created: IAM is eventually consistent, so a new role may be
    refused for some seconds (IAM User Guide, "Troubleshooting IAM": changes that I make are not
    always immediately visible)."""
    for attempt in range(tries):
        try:
            return sts.assume_role(RoleArn=role_arn, RoleSessionName="iamfence-probe")[
                "Credentials"
            ]
        except Exception as exc:
            if _error(exc) not in DENIED_CODES or attempt == tries - 1:
                raise
            sleep(2.0)
    raise AssertionError("unreachable")


def run_against_aws(
    session: Any,
    design: BoundaryDesign,
    cases: tuple[TestCase, ...],
    *,
    endpoint_url: str | None = None,
    sleep: Callable[[float], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> TestReport:
    """The whole `--against aws` run with a boto3 session."""
    import time

    sleep = sleep or time.sleep
    iam = session.client("iam", endpoint_url=endpoint_url)
    sts = session.client("sts", endpoint_url=endpoint_url)
    caller = sts.get_caller_identity()["Arn"]
    with sandbox_role(iam, design, caller) as role:
        outcomes = list(simulate_cases(iam, design, role.arn, cases, progress))
        creds = _assume(sts, role.arn, sleep)
        role_iam = session.client(
            "iam",
            endpoint_url=endpoint_url,
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )
        outcomes.extend(run_probes(iam, role_iam, design, role))
    return TestReport("aws", tuple(outcomes))

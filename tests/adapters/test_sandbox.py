"""The `--against aws` backend: role lifecycle and tamper probes against a moto server on 127.0.0.1;
the simulate APIs (which moto does not implement) through botocore's Stubber with responses in the
shape of the IAM API Reference (SimulatePrincipalPolicy / SimulateCustomPolicy)."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import ANY, Stubber

from iamfence.adapters.sandbox import run_probes, sandbox_role, simulate_cases
from iamfence.engine import Decision
from iamfence.model import ContextType, ContextValue, Request
from iamfence.parse import policy_to_json
from iamfence.testing import APP_ROLE, DEVELOPER, Category, Expectation, Status, TestCase

from ..testing.designs import BOUNDARY, BOUNDARY_ARN, hand_design

pytestmark = pytest.mark.moto


def _iam(endpoint: str):  # type: ignore[no-untyped-def]
    return boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1")


def _deploy_boundary(iam) -> str:  # type: ignore[no-untyped-def]
    arn = iam.create_policy(PolicyName="iamfence-boundary", PolicyDocument=json.dumps(BOUNDARY))[
        "Policy"
    ]["Arn"]
    assert arn == BOUNDARY_ARN.replace("111122223333", arn.split(":")[4])
    return arn


def _design_for(iam):  # type: ignore[no-untyped-def]
    arn = _deploy_boundary(iam)
    account = arn.split(":")[4]
    return hand_design(account_id=account, boundary_policy_arn=arn)


def test_sandbox_role_carries_the_boundary_and_is_always_deleted(moto_server: str) -> None:
    iam = _iam(moto_server)
    design = _design_for(iam)
    with (
        pytest.raises(KeyboardInterrupt),
        sandbox_role(iam, design, "arn:aws:iam::123456789012:user/me") as role,
    ):
        assert role.name.startswith("app-iamfence-test-")
        got = iam.get_role(RoleName=role.name)["Role"]
        assert got["PermissionsBoundary"]["PermissionsBoundaryArn"] == design.boundary_policy_arn
        assert iam.list_role_policies(RoleName=role.name)["PolicyNames"] == ["iamfence-widest"]
        raise KeyboardInterrupt  # Ctrl-C in the middle of a run
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == []


def test_probes_that_succeed_are_rolled_back_and_critical(moto_server: str) -> None:
    # moto does not enforce IAM, so every probe "succeeds": the rollback path must restore the account.
    iam = _iam(moto_server)
    design = _design_for(iam)
    with sandbox_role(iam, design, "arn:aws:iam::123456789012:user/me") as role:
        outcomes = run_probes(iam, iam, design, role)
        assert len(outcomes) == 4
        assert all(o.status is Status.FAILED and o.critical for o in outcomes)
        assert all("rolled back" in o.detail for o in outcomes)
        got = iam.get_role(RoleName=role.name)["Role"]
        assert got["PermissionsBoundary"]["PermissionsBoundaryArn"] == design.boundary_policy_arn
        versions = iam.list_policy_versions(PolicyArn=design.boundary_policy_arn)["Versions"]
        assert [v["VersionId"] for v in versions] == ["v1"]
        names = [r["RoleName"] for r in iam.list_roles()["Roles"]]
        assert names == [role.name]


class _Denied:
    """An IAM client whose every call is refused, as a well-guarded account refuses probes."""

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        from botocore.exceptions import ClientError

        def refuse(**_: object) -> None:
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, name)

        return refuse


def test_probes_refused_with_access_denied_pass(moto_server: str) -> None:
    iam = _iam(moto_server)
    design = _design_for(iam)
    with sandbox_role(iam, design, "arn:aws:iam::123456789012:user/me") as role:
        outcomes = run_probes(iam, _Denied(), design, role)
    assert [o.status for o in outcomes] == [Status.PASSED] * 4
    assert not any(o.critical for o in outcomes)


def _case(who: str, action: str, expect: Expectation) -> TestCase:
    ctx = (("iam:PermissionsBoundary", ContextValue(ContextType.ARN, (BOUNDARY_ARN,))),)
    return TestCase(
        action,
        "test",
        Category.GUARD,
        who,
        Request("p", action, "arn:aws:iam::111122223333:role/app-x", ctx),
        expect,
    )


def _result(action: str, decision: str, missing: list[str] | None = None) -> dict:
    return {
        "EvaluationResults": [
            {
                "EvalActionName": action,
                "EvalResourceName": "arn:aws:iam::111122223333:role/app-x",
                "EvalDecision": decision,
                "MatchedStatements": [
                    {"SourcePolicyId": "PolicyInputList.1", "SourcePolicyType": "IAM Policy"}
                ],
                "MissingContextValues": missing or [],
            }
        ],
        "IsTruncated": False,
    }


def test_simulate_cases_maps_decisions_and_sends_the_boundary() -> None:
    design = hand_design()
    iam = boto3.client("iam", region_name="us-east-1")
    stub = Stubber(iam)
    ctx = [
        {
            "ContextKeyName": "iam:PermissionsBoundary",
            "ContextKeyValues": [BOUNDARY_ARN],
            "ContextKeyType": "string",
        }
    ]
    stub.add_response(
        "simulate_custom_policy",
        _result("iam:CreateRole", "allowed"),
        {
            "PolicyInputList": [policy_to_json(design.developer_policy)],
            "PermissionsBoundaryPolicyInputList": [policy_to_json(design.boundary_policy)],
            "ActionNames": ["iam:CreateRole"],
            "ResourceArns": ["arn:aws:iam::111122223333:role/app-x"],
            "ContextEntries": ctx,
        },
    )
    stub.add_response(
        "simulate_principal_policy",
        _result("iam:DeletePolicy", "explicitDeny"),
        {
            "PolicySourceArn": "arn:aws:iam::111122223333:role/app-t",
            "PolicyInputList": ANY,
            "ActionNames": ["iam:DeletePolicy"],
            "ResourceArns": ANY,
            "ContextEntries": ctx,
        },
    )
    stub.add_response(
        "simulate_custom_policy", _result("iam:PassRole", "implicitDeny", ["iam:PassedToService"])
    )
    stub.add_client_error("simulate_custom_policy", service_error_code="Throttling")
    cases = (
        _case(DEVELOPER, "iam:CreateRole", Expectation.ALLOW),
        _case(APP_ROLE, "iam:DeletePolicy", Expectation.DENY),
        _case(DEVELOPER, "iam:PassRole", Expectation.DENY),
        _case(DEVELOPER, "iam:AttachRolePolicy", Expectation.DENY),
    )
    with stub:
        outcomes = simulate_cases(iam, design, "arn:aws:iam::111122223333:role/app-t", cases)
        stub.assert_no_pending_responses()
    assert [o.decision for o in outcomes] == [
        Decision.ALLOW,
        Decision.EXPLICIT_DENY,
        Decision.INDETERMINATE,  # a deny that may be due to a missing context value is not a pass
        Decision.INDETERMINATE,
    ]
    assert [o.status for o in outcomes] == [
        Status.PASSED,
        Status.PASSED,
        Status.ERROR,
        Status.ERROR,
    ]
    assert "iam:PassedToService" in outcomes[2].detail
    assert outcomes[3].detail == "Throttling"


def test_a_whole_aws_run_against_moto_cleans_up(moto_server: str) -> None:
    """The full `--against aws` flow on moto: simulate calls are not implemented there, so they are
    errors (never passes); probes succeed on moto and are rolled back as critical; nothing is left."""
    from iamfence.adapters.sandbox import run_against_aws

    iam = _iam(moto_server)
    design = _design_for(iam)
    session = boto3.Session(region_name="us-east-1")
    cases = (_case(DEVELOPER, "iam:CreateRole", Expectation.ALLOW),)
    report = run_against_aws(
        session, design, cases, endpoint_url=moto_server, sleep=lambda _s: None
    )
    assert report.backend == "aws" and not report.ok
    assert report.outcomes[0].status is Status.ERROR
    assert sum(o.critical for o in report.outcomes) == 4
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == []

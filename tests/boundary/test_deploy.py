"""`deploy` against a moto server on 127.0.0.1: create, update, idempotent re-run, version pruning,
plan-only changes nothing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from iamfence.adapters.deploy import Change, apply_deploy, caller_account, plan_deploy
from iamfence.boundary import build_design, load_spec
from iamfence.model import BoundaryDesign

from .helpers import catalog

pytestmark = pytest.mark.moto

SPEC = """\
version: iamfence/v1
boundary_policy: {name: iamfence-boundary, path: /iamfence/}
services:
  - service: sqs
    access: [read]
"""


def _clients(endpoint: str) -> tuple[Any, Any]:
    import boto3

    session = boto3.Session(region_name="us-east-1")
    return session.client("iam", endpoint_url=endpoint), session.client(
        "sts", endpoint_url=endpoint
    )


def _design(sts: Any, extra: str = "") -> BoundaryDesign:
    spec = load_spec(SPEC + extra, "deploy.yaml")
    return build_design(spec.with_account_id(caller_account(sts)), catalog())


def _changes(plan: tuple[Any, ...]) -> list[Change]:
    return [p.change for p in plan]


def test_create_update_idempotent_and_prune(moto_server: str) -> None:
    iam, sts = _clients(moto_server)
    first = _design(sts)
    plan = plan_deploy(iam, first)
    assert _changes(plan) == [Change.CREATE, Change.CREATE]
    assert iam.list_policies(Scope="Local")["Policies"] == []  # planning changes nothing
    apply_deploy(iam, plan)
    arns = {p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"]}
    assert arns == {first.boundary_policy_arn, first.developer_policy_arn}
    assert first.boundary_policy_arn.endswith(":policy/iamfence/iamfence-boundary")

    again = plan_deploy(iam, first)
    assert _changes(again) == [Change.UNCHANGED, Change.UNCHANGED]
    apply_deploy(iam, again)
    versions = iam.list_policy_versions(PolicyArn=first.boundary_policy_arn)["Versions"]
    assert len(versions) == 1

    for n in range(2, 7):  # five updates: the sixth version forces pruning twice
        d = _design(sts, f"role_prefix: app{n}-\n")
        plan = plan_deploy(iam, d)
        assert _changes(plan) == [Change.UPDATE, Change.UPDATE]
        expect_prune = n >= 6
        assert (plan[0].prune_version is not None) is expect_prune
        apply_deploy(iam, plan)
        versions = iam.list_policy_versions(PolicyArn=d.boundary_policy_arn)["Versions"]
        assert len(versions) == min(n, 5)
        default = next(v for v in versions if v["IsDefaultVersion"])
        doc = iam.get_policy_version(
            PolicyArn=d.boundary_policy_arn, VersionId=default["VersionId"]
        )
        assert f"role/app{n}-*" in str(doc["PolicyVersion"]["Document"])
    ids = {v["VersionId"] for v in versions}
    assert "v1" not in ids and "v6" in ids
    assert _changes(plan_deploy(iam, d)) == [Change.UNCHANGED, Change.UNCHANGED]


def test_unreachable_endpoint_is_an_infrastructure_error() -> None:
    from iamfence.errors import InfrastructureError

    iam, sts = _clients("http://127.0.0.1:9")
    with pytest.raises(InfrastructureError):
        caller_account(sts)
    d = build_design(load_spec(SPEC, "x.yaml").with_account_id("111122223333"), catalog())
    with pytest.raises(InfrastructureError):
        plan_deploy(iam, replace(d))

"""Behaviour cases for `can_allow` (tests/symbolic/data/queries.yaml), each citing the AWS doc
section it follows. A VIOLATED verdict's counterexample has been replayed through the engine."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.engine import Decision, authorize
from iamfence.engine.types import PolicySet
from iamfence.model import NamedPolicy, PolicyType
from iamfence.parse import load_policy
from iamfence.symbolic import (
    ContextRequirement,
    Query,
    Requirement,
    ResourceTarget,
    Verdict,
    can_allow,
)

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "queries.yaml").read_text()
)


def named(doc: dict[str, Any], name: str, kind: PolicyType) -> NamedPolicy:
    return NamedPolicy(name, load_policy(doc, kind=kind), kind)


def policy_set(raw: dict[str, Any]) -> PolicySet:
    boundary = raw.get("permissions_boundary")
    resource = raw.get("resource")
    rtype = PolicyType.TRUST if raw.get("resource_type") == "trust" else PolicyType.RESOURCE
    return PolicySet(
        identity=tuple(
            named(d, f"identity[{i}]", PolicyType.IDENTITY)
            for i, d in enumerate(raw.get("identity", []))
        ),
        permissions_boundary=named(boundary, "boundary", PolicyType.PERMISSIONS_BOUNDARY)
        if boundary
        else None,
        session=tuple(
            named(d, f"session[{i}]", PolicyType.SESSION)
            for i, d in enumerate(raw.get("session", []))
        ),
        resource=named(resource, "resource", rtype) if resource else None,
        resource_account=raw.get("resource_account"),
        scp=tuple(
            tuple(named(d, f"scp[{i}][{j}]", PolicyType.SCP) for j, d in enumerate(level))
            for i, level in enumerate(raw.get("scp", []))
        ),
    )


def query(raw: dict[str, Any]) -> Query:
    requirements = tuple(
        ContextRequirement(r[0], Requirement(r[1]), r[2], bool(r[3]) if len(r) > 3 else False)
        for r in raw.get("requirements", [])
    )
    target = ResourceTarget(
        raw["target"], raw.get("name_outside_prefix"), tuple(raw.get("exclude", []))
    )
    principal = raw.get("principal", "arn:aws:iam::111122223333:role/dev")
    return Query(principal, tuple(raw["actions"]), target, requirements)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_query(case: dict[str, Any]) -> None:
    assert case.get("citation"), "every case cites the AWS doc section it follows"
    policies = policy_set(case["policies"])
    result = can_allow(policies, query(case["query"]), timeout=20.0)
    assert result.verdict is Verdict(case["expect"]), result
    if result.verdict is Verdict.VIOLATED:
        assert result.counterexample is not None
        assert authorize(result.counterexample, policies).decision is Decision.ALLOW
        if "action" in case:
            assert re.search(case["action"], result.counterexample.action), result.counterexample
        if "context_key" in case:
            assert case["context_key"] in result.counterexample.context_dict()
        if "resource" in case:
            assert re.search(case["resource"], result.counterexample.resource), (
                result.counterexample
            )
    if "reason" in case:
        assert result.reason is not None and case["reason"] in result.reason

"""Engine checks: each generated design denies every escalation case (the seed's five attempts and
more) and allows what the spec allows. Cases: data/escalations.yaml."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.model import (
    ActionSpec,
    BoundaryDesign,
    ContextValue,
    Effect,
    NamedPolicy,
    PolicyDocument,
    PolicyType,
    PrincipalEntry,
    PrincipalKind,
    PrincipalSpec,
    Request,
    Statement,
)

from .helpers import ADMIN, DATA_SPECS, PROFILES, design, design_of, policy_sets, principal_arn

engine = pytest.importorskip("iamfence.engine")

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "escalations.yaml").read_text()
)["cases"]


def _fill(text: str, d: BoundaryDesign) -> str:
    path = d.role_path
    return text.format(
        account=d.account_id,
        boundary=d.boundary_policy_arn,
        developer=d.developer_policy_arn,
        role=f"role{path}{d.role_prefix}",
        policy=f"policy/{d.role_prefix}",
        prefix=d.role_prefix,
        pass_to=d.pass_role_services[0],
    )


def _request(case: dict[str, Any], d: BoundaryDesign) -> Request:
    context = []
    for key, value in (case.get("context") or {}).items():
        if isinstance(value, list):
            context.append((key, ContextValue.strings([_fill(v, d) for v in value])))
        else:
            context.append((key, ContextValue.string(_fill(str(value), d))))
    return Request(
        principal_arn(d, case["principal"]),
        case["action"],
        _fill(case["resource"], d),
        tuple(context),
    )


def _trust(d: BoundaryDesign) -> NamedPolicy:
    doc = PolicyDocument(
        (
            Statement(
                Effect.ALLOW,
                ActionSpec(("sts:AssumeRole",)),
                None,
                principal=PrincipalSpec(
                    (PrincipalEntry(PrincipalKind.AWS, f"arn:aws:iam::{d.account_id}:root"),)
                ),
            ),
        )
    )
    return NamedPolicy("trust", doc, PolicyType.TRUST)


def _policies(case: dict[str, Any], d: BoundaryDesign) -> Any:
    chosen = policy_sets(d)[case["principal"]]
    if case.get("trust"):
        return replace(chosen, resource=_trust(d), resource_account=d.account_id)
    return chosen


def test_every_seed_attempt_is_covered() -> None:
    assert {c["seed"] for c in CASES if "seed" in c} == {1, 2, 3, 4, 5}
    assert sum(1 for c in CASES if c["expect"] == "deny") >= 25


@pytest.mark.parametrize("profile", PROFILES + DATA_SPECS)
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_escalation_case(profile: str, case: dict[str, Any]) -> None:
    d = design(profile)
    result = engine.authorize(_request(case, d), _policies(case, d))
    want_allow = case["expect"] == "allow"
    assert result.decision is not engine.Decision.INDETERMINATE, result.reason
    assert result.allowed is want_allow, (case["name"], result)


GUARD_CASES = [c for c in CASES if "guard" in c]
GUARD_SIDS = {c["guard"] for c in GUARD_CASES}


@pytest.mark.parametrize("profile", PROFILES + DATA_SPECS)
@pytest.mark.parametrize("case", GUARD_CASES, ids=[c["name"] for c in GUARD_CASES])
def test_guard_denies_explicitly_even_beside_admin(profile: str, case: dict[str, Any]) -> None:
    """The Deny guards hold on their own: the developer policy beside an allow-everything policy,
    with no boundary, still denies each guard case, and the named guard is among the deciders."""
    d = design(profile)
    developer = policy_sets(d)["developer"]
    admin = NamedPolicy("admin", ADMIN, PolicyType.IDENTITY)
    unbounded = replace(developer, identity=(*developer.identity, admin), permissions_boundary=None)
    if case.get("trust"):
        unbounded = replace(unbounded, resource=_trust(d), resource_account=d.account_id)
    result = engine.authorize(_request(case, d), unbounded)
    assert result.decision is engine.Decision.EXPLICIT_DENY, (case["name"], result.decision)
    deciding = {ref.sid for ref in result.explanation.deciding}
    assert case["guard"] in deciding, (case["name"], deciding)


@pytest.mark.parametrize("profile", PROFILES)
def test_profile_inline_tests_hold(profile: str) -> None:
    """The `tests:` each built-in profile ships with pass against its own design."""
    d = design(profile)
    assert d.tests
    for test in d.tests:
        resource = test.resource.replace("111122223333", d.account_id)
        request = Request(principal_arn(d, test.principal), test.action, resource, test.context)
        result = engine.authorize(request, policy_sets(d)[test.principal])
        assert result.allowed is test.expect_allow, (profile, test.name, result.decision)


def test_packed_spec_really_packs_the_guards() -> None:
    d = design("packed")
    bounded = next(s for s in d.developer_policy.statements if s.sid == "BoundedRoles")
    assert bounded.action is not None and any("*" in a for a in bounded.action.patterns)


@st.composite
def _spec_texts(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(["app-", "svc-", "team1.", "x"]))
    path = draw(st.sampled_from(["/", "/team/", "/a/b/"]))
    tags = draw(st.lists(st.sampled_from(["owner", "cost-center", "env"]), min_size=1, unique=True))
    passes = draw(
        st.lists(
            st.sampled_from(["lambda.amazonaws.com", "ecs-tasks.amazonaws.com"]),
            min_size=1,
            unique=True,
        )
    )
    self_propagating = draw(st.booleans())
    boundary_path = draw(st.sampled_from(["/", "/iamfence/"]))
    return (
        "version: iamfence/v1\n"
        'account_id: "111122223333"\n'
        f"role_prefix: {prefix}\nrole_path: {path}\n"
        f"boundary_policy: {{name: guard-rail, path: {boundary_path}}}\n"
        f"self_propagating: {str(self_propagating).lower()}\n"
        f"protected_tag_keys: [{', '.join(tags)}]\n"
        f"pass_role_services: [{', '.join(passes)}]\n"
        "allowed_regions: [eu-west-1]\n"
        "services:\n  - {service: logs, access: [list, read, write]}\n"
    )


@settings(max_examples=12, deadline=None)
@given(_spec_texts())
def test_guards_hold_for_generated_specs(text: str) -> None:
    """Across prefixes, paths, boundary paths and propagation: every guard case is an explicit
    deny by its guard, and every allow case is allowed."""
    d = design_of(text)
    for case in CASES:
        tagged = str(case.get("context")).lower()
        if any(k in tagged and k not in d.protected_tag_keys for k in ("owner", "cost-center")):
            continue  # a tag case for a key this spec does not protect
        request = _request(case, d)
        if "guard" in case:
            developer = policy_sets(d)["developer"]
            admin = NamedPolicy("admin", ADMIN, PolicyType.IDENTITY)
            policies = replace(
                developer, identity=(*developer.identity, admin), permissions_boundary=None
            )
            if case.get("trust"):
                policies = replace(policies, resource=_trust(d), resource_account=d.account_id)
            result = engine.authorize(request, policies)
            assert result.decision is engine.Decision.EXPLICIT_DENY, (case["name"], text)
            # Which guard decides may shift with the prefix (role/x/app-y is nested under "x").
            assert {r.sid for r in result.explanation.deciding} & GUARD_SIDS, case["name"]
        result = engine.authorize(request, _policies(case, d))
        assert result.allowed is (case["expect"] == "allow"), (case["name"], text)

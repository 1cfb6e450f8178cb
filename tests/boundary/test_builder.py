"""The design builder: service grants, compression, size, guards' coverage of the catalog."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.boundary import MANAGED_POLICY_LIMIT, load_spec, policy_size, profile_text
from iamfence.boundary.grants import compress, service_actions
from iamfence.boundary.guards import IAM_WRITE_PATTERNS, IDENTITY_MANAGEMENT_PATTERNS
from iamfence.catalog import AccessLevel
from iamfence.diagnostics import Diagnostic
from iamfence.errors import InvalidInputError
from iamfence.model import Effect, PolicyDocument, Statement
from iamfence.parse import policy_to_json

from .helpers import ACCOUNT, PROFILES, catalog, design, design_of

SMALL = """\
version: iamfence/v1
account_id: "111122223333"
services:
  - service: sqs
    access: [read]
    allow: [sqs:SendMessage]
    deny: [sqs:GetQueueAttributes]
"""


def _statement(doc: PolicyDocument, sid: str) -> Statement:
    return next(s for s in doc.statements if s.sid == sid)


def _actions(doc: PolicyDocument, sid: str) -> tuple[str, ...]:
    spec = _statement(doc, sid).action
    assert spec is not None
    return spec.patterns


def _sids(doc: PolicyDocument) -> list[str | None]:
    return [s.sid for s in doc.statements]


def test_small_design_is_explicit_and_exact() -> None:
    d = design_of(SMALL)
    allow = _actions(d.boundary_policy, "AllowedServices")
    read = {a.full_name for a in catalog().actions_by_level("sqs", AccessLevel.READ)}
    want = (read | {"sqs:SendMessage"}) - {"sqs:GetQueueAttributes"}
    assert set(allow) == want  # explicit names: no wildcard needed to fit
    assert not any("*" in p for p in allow)
    assert (
        _statement(d.boundary_policy, "AllowedServices").conditions == ()
    )  # no allowed_regions: no region condition
    deny = _statement(d.boundary_policy, "DenyListedActions")
    assert deny.effect is Effect.DENY
    assert _actions(d.boundary_policy, "DenyListedActions") == ("sqs:GetQueueAttributes",)
    assert d.boundary_policy_arn == f"arn:aws:iam::{ACCOUNT}:policy/iamfence-boundary"
    assert d.services[0].access_levels == ("Read",)


def test_self_propagation_decides_where_delegation_lives() -> None:
    on = design_of(SMALL)
    off = design_of(SMALL + "self_propagating: false\n")
    assert "BoundedRoles" in _sids(on.boundary_policy)
    assert "BoundedRoles" not in _sids(off.boundary_policy)
    assert "BoundedRoles" in _sids(off.developer_policy)
    for doc in (on.boundary_policy, off.boundary_policy, off.developer_policy):
        assert {"DenyWithoutBoundary", "DenyBoundaryRemoval", "DenyPolicyTampering"} <= set(
            _sids(doc)
        )


def test_user_management_switches_guards() -> None:
    d = design_of(SMALL + "user_management: true\n")
    sids = [s.sid for s in d.developer_policy.statements]
    assert "BoundedUsers" in sids and "PrefixUsers" in sids
    assert _actions(d.developer_policy, "DenyIdentityManagement") == ("iam:*Group*",)
    assert "iam:CreateUser" in _actions(d.developer_policy, "DenyWithoutBoundary")
    outside = _statement(d.developer_policy, "DenyOutsidePrefix")
    assert outside.resource is not None and outside.resource.negated
    assert f"arn:aws:iam::{ACCOUNT}:user/app-*" in outside.resource.patterns


def test_role_path_moves_every_pattern() -> None:
    d = design_of(SMALL + "role_path: /team/\nrole_prefix: svc-\n")
    text = policy_to_json(d.developer_policy)
    assert f"arn:aws:iam::{ACCOUNT}:role/team/svc-*" in text
    assert f"arn:aws:iam::{ACCOUNT}:role/team/svc-*/*" in text
    assert "role/app-" not in text and "role/svc-" not in text


def test_placeholder_account_without_account_id() -> None:
    d = design("serverless-app", None)
    assert d.account_id == "${AWS::AccountId}"
    assert "arn:aws:iam::${AWS::AccountId}:role/app-*" in policy_to_json(d.boundary_policy)


def test_same_spec_same_bytes() -> None:
    a = design_of(SMALL)
    b = design_of(SMALL)
    assert policy_to_json(a.boundary_policy) == policy_to_json(b.boundary_policy)


@pytest.mark.parametrize("profile", PROFILES)
def test_profiles_fit_the_managed_policy_limit(profile: str) -> None:
    d = design(profile)
    assert policy_size(d.boundary_policy) <= MANAGED_POLICY_LIMIT
    assert policy_size(d.developer_policy) <= MANAGED_POLICY_LIMIT
    assert d.tests and d.tests[0].name


def test_too_large_is_a_clear_error() -> None:
    services = "".join(
        f"  - service: {s}\n    access: [list, read, write, tagging]\n"
        for s in ("ec2", "s3", "lambda", "dynamodb", "rds", "glue", "sagemaker", "iot")
    )
    with pytest.raises(InvalidInputError) as info:
        design_of("version: iamfence/v1\nservices:\n" + services, "big.yaml")
    codes = {getattr(d, "code", None) for d in info.value.diagnostics}
    assert codes == {"IF420", "IF421"}
    first = info.value.diagnostics[0]
    assert isinstance(first, Diagnostic)
    assert first.location.pointer == "/services" and first.location.line == 3
    assert "limit 6144" in first.message


def test_size_counts_no_white_space() -> None:
    d = design_of(SMALL)
    pretty = policy_to_json(d.boundary_policy, indent=4)
    assert policy_size(d.boundary_policy) == sum(1 for c in pretty if not c.isspace())


def test_iam_write_patterns_match_exactly_the_non_read_actions() -> None:
    cat = catalog()
    writes = {
        a.full_name
        for a in cat.service_actions("iam")
        if a.access_level.value not in ("List", "Read")
    }
    matched = set(cat.expand_all(IAM_WRITE_PATTERNS))
    assert writes <= matched, sorted(writes - matched)
    assert matched <= writes, sorted(matched - writes)  # no read is denied


def test_identity_management_patterns_cover_users_groups_and_keys() -> None:
    cat = catalog()
    matched = set(cat.expand_all(IDENTITY_MANAGEMENT_PATTERNS))
    for action in cat.service_actions("iam"):
        name = action.name
        touches = any(w in name for w in ("User", "Group", "AccessKey", "LoginProfile"))
        if touches and action.access_level.value not in ("List", "Read"):
            assert action.full_name in matched, action.full_name


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["s3", "lambda", "dynamodb", "logs", "ec2", "sqs"]), st.data())
def test_compression_grants_exactly_the_set(service: str, data: st.DataObject) -> None:
    cat = catalog()
    names = sorted(a.full_name for a in cat.service_actions(service))
    chosen = data.draw(st.sets(st.sampled_from(names), min_size=1))
    patterns = compress(service, tuple(sorted(chosen)), cat)
    granted = {a for a in names if any(fnmatchcase(a.lower(), p.lower()) for p in patterns)}
    assert granted == chosen
    assert set(cat.expand_all(patterns)) == chosen


def test_compression_used_only_when_needed() -> None:
    big = design("serverless-app")
    allow = _actions(big.boundary_policy, "AllowedServices")
    assert any(p.endswith("*") for p in allow)  # the profile needs wildcards
    expanded = set(catalog().expand_all(allow))
    spec = load_spec(profile_text("serverless-app", ACCOUNT), "p")
    grants, _ = service_actions(spec, catalog())
    assert expanded == {a for g in grants for a in g.allowed}


def test_design_json_is_valid_policy_text() -> None:
    d = design("container-app")
    doc = json.loads(policy_to_json(d.developer_policy))
    assert doc["Version"] == "2012-10-17" and len(doc["Statement"]) == len(
        d.developer_policy.statements
    )


def test_bounded_actions_carry_the_boundary_key() -> None:
    """Allow+StringEquals and Deny+StringNotEquals on iam:PermissionsBoundary only make sense for
    actions whose request carries the key (Service Authorization Reference, IAM); and every IAM
    write that carries it is guarded by it (or, for users, denied unless user management is on)."""
    from iamfence.boundary.guards import BOUNDED_ROLE_ACTIONS, BOUNDED_USER_ACTIONS

    cat = catalog()
    key = "iam:PermissionsBoundary"
    for name in BOUNDED_ROLE_ACTIONS + BOUNDED_USER_ACTIONS:
        info = cat.action(name)
        assert info is not None and key in info.all_condition_keys, name
    carrying = {
        a.full_name
        for a in cat.service_actions("iam")
        if key in a.all_condition_keys and a.access_level.value not in ("List", "Read")
    }
    removal = {"iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"}
    assert carrying == set(BOUNDED_ROLE_ACTIONS + BOUNDED_USER_ACTIONS) | removal

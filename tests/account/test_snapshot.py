"""The snapshot loader: shapes the AWS CLI and boto3 write, paging, located errors."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.account import (
    boundary_known,
    boundary_policy,
    identity_policies,
    load_snapshot,
    policies_attached_to,
)
from iamfence.adapters.files import read_json_file
from iamfence.diagnostics import Severity
from iamfence.errors import InvalidInputError
from iamfence.model import PolicyType

DATA = Path(__file__).parent / "data"


def small() -> dict[str, Any]:
    return json.loads((DATA / "small_account.json").read_text())


def test_loads_every_list_and_field() -> None:
    snap = load_snapshot(small(), file="small.json")
    assert snap.account_id == "111122223333"
    assert snap.partition == "aws"
    assert [u.name for u in snap.users] == ["alice"]
    assert [g.name for g in snap.groups] == ["devs"]
    assert [r.name for r in snap.roles] == ["app"]
    assert [p.name for p in snap.policies] == ["dev-managed", "boundary"]
    alice = snap.user("alice")
    assert alice is not None
    assert alice.group_names == ("devs",)
    assert alice.permissions_boundary_arn == "arn:aws:iam::111122223333:policy/boundary"
    assert alice.tags == (("team", "blue"),)
    role = snap.role("arn:aws:iam::111122223333:role/app/app")
    assert role is not None and role.path == "/app/"
    assert role.trust_policy is not None
    assert role.trust_policy.statements[0].principal is not None
    assert role.instance_profile_arns == ("arn:aws:iam::111122223333:instance-profile/app-profile",)
    assert snap.instance_profiles[0].role_names == ("app",)
    assert role.last_used == "2024-06-01T00:00:00+00:00"


def test_default_version_is_the_evaluated_one() -> None:
    snap = load_snapshot(small(), file="small.json")
    managed = snap.policy("arn:aws:iam::111122223333:policy/dev-managed")
    assert managed is not None and managed.default_version_id == "v2"
    assert managed.document is not None
    assert managed.document.statements[0].action is not None
    assert managed.document.statements[0].action.patterns == ("dynamodb:GetItem",)
    assert len(managed.versions) == 2


def test_url_encoded_documents_are_decoded() -> None:
    snap = load_snapshot(small(), file="small.json")
    group = snap.group("devs")
    assert group is not None
    action = group.inline_policies[0].document.statements[0].action
    assert action is not None and action.patterns == ("s3:ListAllMyBuckets",)


def test_identity_policies_include_groups_and_skip_unknown_managed() -> None:
    snap = load_snapshot(small(), file="small.json")
    alice = snap.user("alice")
    assert alice is not None
    names = [p.name for p in identity_policies(snap, alice)]
    # own inline, (ReadOnlyAccess is not in the snapshot: skipped), group inline, group managed
    assert names == [
        "arn:aws:iam::111122223333:user/alice#self-read",
        "arn:aws:iam::111122223333:group/devs#devs-inline",
        "arn:aws:iam::111122223333:policy/dev-managed",
    ]
    assert [p.arn for p in policies_attached_to(snap, alice)] == [
        "arn:aws:iam::111122223333:policy/dev-managed"
    ]
    bnd = boundary_policy(snap, alice)
    assert bnd is not None and bnd.type is PolicyType.PERMISSIONS_BOUNDARY
    assert boundary_known(snap, alice)
    warnings = [(d.code, d.severity) for d in snap.diagnostics]
    assert warnings == [("IF517", Severity.WARNING)]


def test_pages_are_merged_in_order() -> None:
    data = small()
    first = {k: data[k] for k in ("UserDetailList", "GroupDetailList")}
    first.update(IsTruncated=True, Marker="page2")
    second = {k: data[k] for k in ("RoleDetailList", "Policies")}
    second["IsTruncated"] = False
    merged = load_snapshot([first, second], file="pages.json")
    whole = load_snapshot(data, file="pages.json")
    assert (merged.users, merged.groups, merged.roles, merged.policies) == (
        whole.users,
        whole.groups,
        whole.roles,
        whole.policies,
    )
    assert [d.location.pointer for d in merged.diagnostics] == ["/0/UserDetailList/0"]


def test_boto3_datetimes_are_accepted() -> None:
    import datetime as dt

    data = small()
    data["RoleDetailList"][0]["CreateDate"] = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)
    role = load_snapshot(data).role("app")
    assert role is not None and role.create_date == "2024-01-02T00:00:00+00:00"


def test_missing_boundary_document_is_not_no_boundary() -> None:
    data = small()
    data["Policies"] = [p for p in data["Policies"] if p["PolicyName"] != "boundary"]
    snap = load_snapshot(data)
    alice = snap.user("alice")
    assert alice is not None
    assert boundary_policy(snap, alice) is None
    assert not boundary_known(snap, alice)


CASES = yaml.safe_load((DATA / "bad_snapshots.yaml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input_is_located(case: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError) as info:
        load_snapshot(copy.deepcopy(case["snapshot"]), file="bad.json")
    found = {(d.code, d.location.pointer) for d in info.value.diagnostics}  # type: ignore[attr-defined]
    assert found == {tuple(e) for e in case["errors"]}
    assert all(d.location.file == "bad.json" for d in info.value.diagnostics)  # type: ignore[attr-defined]


def test_read_json_file_plain_and_gzip(tmp_path: Path) -> None:
    text = (DATA / "small_account.json").read_text()
    plain = tmp_path / "a.json"
    plain.write_text(text)
    packed = tmp_path / "a.json.gz"
    packed.write_bytes(gzip.compress(text.encode()))
    assert read_json_file(str(plain)) == read_json_file(str(packed)) == json.loads(text)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("missing.json", None, "IF500"),
        ("bad.json.gz", b"not gzip", "IF501"),
        ("latin.json", b'{"a": "\xff"}', "IF502"),
        ("broken.json", b'{"a": ', "IF503"),
        ("nan.json", b'{"a": NaN}', "IF503"),
    ],
)
def test_read_json_file_errors_are_one_line(
    tmp_path: Path, name: str, content: bytes | None, code: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InvalidInputError) as info:
        read_json_file(str(path))
    (diag,) = info.value.diagnostics
    assert diag.code == code  # type: ignore[attr-defined]
    assert "\n" not in str(diag) and str(path) in str(diag)

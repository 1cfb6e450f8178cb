"""CloudTrail review over the log fixtures (a .json file and a delivered .json.gz object)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from iamfence.adapters.cloudtrail import read_path, records_from_bytes
from iamfence.audit import AuditConfig, TrailWindow, review_records
from iamfence.audit.cloudtrail import parse_time
from iamfence.errors import InvalidInputError

FIXTURES = Path(__file__).parent / "fixtures"
TRAIL = FIXTURES / "cloudtrail"
EXPECTED = yaml.safe_load((FIXTURES / "cloudtrail_expected.yaml").read_text())["expected"]
CONFIG = AuditConfig("arn:aws:iam::${AccountId}:policy/DevBoundary")


def test_review_reports_exactly_the_expected_events() -> None:
    found = list(review_records(read_path(str(TRAIL)), CONFIG.boundary_arn_for))
    got = {
        str(f.get("event_id")): {"code": f.code, "subject": f.subject_arn, "actor": f.get("actor")}
        for f in found
    }
    assert got == EXPECTED
    assert len(found) == len(EXPECTED)


def test_evidence_says_who_when_what_where() -> None:
    found = {
        str(f.get("event_id")): f
        for f in review_records(read_path(str(TRAIL)), CONFIG.boundary_arn_for)
    }
    f = found["ev-0002-put-other-boundary"]
    assert f.get("event_time") == "2026-11-02T09:20:00Z"
    assert f.get("source_ip") == "203.0.113.10"
    assert f.get("event_name") == "PutRolePermissionsBoundary"
    assert f.get("requested_boundary") == "arn:aws:iam::aws:policy/AdministratorAccess"
    assert f.account == "222222222222"
    denied = found["ev-0008-create-role-denied"]
    assert denied.get("error_code") == "AccessDenied"
    created = found["ev-0004-create-policy-version"]
    assert created.get("set_as_default") is True


def test_window_limits_events() -> None:
    window = TrailWindow(parse_time("2026-11-02T10:00:00Z"), parse_time("2026-11-21T00:00:00Z"))
    found = list(review_records(read_path(str(TRAIL)), CONFIG.boundary_arn_for, window))
    assert sorted(str(f.get("event_id")) for f in found) == [
        "ev-0004-create-policy-version",
        "ev-0006-create-role-unbounded",
        "ev-0008-create-role-denied",
        "ev-0011-set-default",
    ]


def test_gzip_file_read_directly() -> None:
    [gz] = list(TRAIL.rglob("*.json.gz"))
    records = list(read_path(str(gz)))
    assert [r["eventID"] for r in records] == ["ev-0011-set-default", "ev-0012-delete-policy"]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"records": []}', "no 'Records' array"),
        (b"\x1f\x8b\x08\x00broken", "gzip"),
    ],
)
def test_bad_log_files_are_invalid_input(data: bytes, needle: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        records_from_bytes(data, "trail.json")
    assert needle in str(info.value) and "trail.json" in str(info.value)


def test_missing_path_is_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError):
        list(read_path(str(tmp_path / "nope")))

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from iamfence.audit import CatalogSnapshot, Finding, catalog_drift, compute_trend, drift_findings
from iamfence.audit.drift import grants
from iamfence.audit.trend import PreviousFinding
from iamfence.diagnostics import Severity
from tests.audit.helpers import document

BASE = CatalogSnapshot("2026.10", (("s3:GetObject", "Read"), ("s3:PutObject", "Write")))
NOW = CatalogSnapshot(
    "2026.11",
    (
        ("s3:GetObject", "Read"),
        ("s3:PutObject", "Write"),
        ("s3:PutBucketVectors", "Write"),
        ("s3:ListVectors", "List"),
        ("iam:CreateServiceCredential", "Permissions management"),
        ("ec2:DescribeThing", "List"),
    ),
)


def test_added_and_granted_by_access_level() -> None:
    boundary = document({"Allow": ["s3:*", "iam:Create*"], "Deny": ["iam:*"]})
    drift = catalog_drift(BASE, NOW, boundary)
    assert {a for a, _ in drift.added} == {
        "s3:PutBucketVectors",
        "s3:ListVectors",
        "iam:CreateServiceCredential",
        "ec2:DescribeThing",
    }
    # iam:* is denied unconditionally on *, ec2 is not allowed.
    assert drift.granted_by_level() == {
        "List": ("s3:ListVectors",),
        "Write": ("s3:PutBucketVectors",),
    }
    codes = {f.get("action"): f.code for f in drift_findings(drift, "1", "arn:b")}
    assert codes == {"s3:ListVectors": "IF720", "s3:PutBucketVectors": "IF721"}


def test_notaction_allow_grants_everything_else() -> None:
    boundary = document({"NotAllow": ["iam:*"]})
    assert grants(boundary, "ec2:DescribeThing")
    assert not grants(boundary, "IAM:CreateServiceCredential")


def test_no_boundary_document_grants_nothing() -> None:
    assert catalog_drift(BASE, NOW, None).granted == ()


def test_snapshot_json_round_trip() -> None:
    snap = CatalogSnapshot("v", tuple(sorted(NOW.actions)))
    assert CatalogSnapshot.from_json(snap.to_json()) == snap
    assert CatalogSnapshot.from_json({"actions": []}) is None


@given(st.sets(st.sampled_from([a for a, _ in NOW.actions])))
def test_drift_of_a_catalog_against_itself_is_empty(names: set[str]) -> None:
    snap = CatalogSnapshot("x", tuple(sorted(p for p in NOW.actions if p[0] in names)))
    assert catalog_drift(snap, snap, document({"Allow": ["*"]})).added == ()


def _f(code: str, account: str, subject: str, **ev: str) -> Finding:
    return Finding(code, Severity.ERROR, account, subject, tuple(ev.items()))


def test_trend_new_fixed_unchanged_and_unaudited_accounts() -> None:
    previous = [
        PreviousFinding(_f("IF701", "1", "r1").key, "IF701", "1", "r1"),
        PreviousFinding(_f("IF701", "1", "r2").key, "IF701", "1", "r2"),
        PreviousFinding(_f("IF701", "9", "r9").key, "IF701", "9", "r9"),
    ]
    current = [_f("IF701", "1", "r1"), _f("IF702", "1", "r3")]
    trend = compute_trend("prev", previous, current, frozenset({"1"}))
    assert trend.counts == {"new": 1, "fixed": 1, "unchanged": 1}
    assert [p.subject_arn for p in trend.fixed] == ["r2"]


def test_event_id_distinguishes_findings() -> None:
    a = _f("IF710", "1", "r", event_id="e1")
    b = _f("IF710", "1", "r", event_id="e2")
    assert a.key != b.key


def test_events_and_review_items_are_never_fixed() -> None:
    previous = [
        PreviousFinding(_f("IF710", "1", "r", event_id="e1").key, "IF710", "1", "r"),
        PreviousFinding(_f("IF721", "", "b", action="s3:X").key, "IF721", "", "b"),
        PreviousFinding(_f("IF701", "1", "r1").key, "IF701", "1", "r1"),
    ]
    trend = compute_trend(
        "prev", previous, [_f("IF710", "1", "r", event_id="e2")], frozenset({"1"})
    )
    assert trend.counts == {"new": 0, "fixed": 1, "unchanged": 0}
    assert [p.code for p in trend.fixed] == ["IF701"]

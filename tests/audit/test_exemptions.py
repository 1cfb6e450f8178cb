from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from iamfence.audit import AuditBuilder, AuditConfig, exemptions_from_data
from tests.audit.helpers import snapshot

HERE = Path(__file__).parent
TODAY = date(2026, 11, 28)


def _audit() -> dict[tuple[str, str], tuple[bool, str]]:
    exemptions, problems = exemptions_from_data(
        yaml.safe_load((HERE / "fixtures" / "exemptions.yaml").read_text()), "exemptions.yaml"
    )
    assert problems == ()
    case = yaml.safe_load((HERE / "cases" / "roles.yaml").read_text())
    builder = AuditBuilder(AuditConfig(**case["config"]), TODAY, exemptions)
    builder.add_snapshot(snapshot(case))
    result = builder.build("a1", "2026-11-28T00:00:00Z")
    return {(f.code, f.subject_arn): (f.muted, f.mute_reason) for f in result.findings}


def test_live_exemption_mutes_and_keeps_finding_visible() -> None:
    got = _audit()
    muted, reason = got[("IF701", "arn:aws:iam::222222222222:role/app-none")]
    assert muted and "SEC-101" in reason and "2026-12-31" in reason


def test_expired_exemption_mutes_nothing_and_is_a_finding() -> None:
    got = _audit()
    assert got[("IF706", "arn:aws:iam::222222222222:role/legacy-admin")] == (False, "")
    assert ("IF707", "arn:aws:iam::222222222222:role/legacy-*") in got


def test_exemption_for_another_code_mutes_nothing() -> None:
    assert _audit()[("IF702", "arn:aws:iam::222222222222:role/app-wrong")] == (False, "")


def test_summary_counts_muted_separately() -> None:
    exemptions, _ = exemptions_from_data(
        yaml.safe_load((HERE / "fixtures" / "exemptions.yaml").read_text())
    )
    case = yaml.safe_load((HERE / "cases" / "roles.yaml").read_text())
    builder = AuditBuilder(AuditConfig(**case["config"]), TODAY, exemptions)
    builder.add_snapshot(snapshot(case))
    summary = builder.build("a1", "t").summary()
    # unmuted: IF702, IF706, IF707; muted: IF701 (exempted), 2 built-in
    assert summary["findings"] == 3 and summary["muted"] == 3
    assert summary["compliant"] is False
    assert summary["by_code"] == {"IF702": 1, "IF706": 1, "IF707": 1}


def test_invalid_entries_are_diagnostics_with_pointers() -> None:
    data = {
        "exemptions": [
            {"subject": "arn:x", "expires": "2026-01-01"},
            {"subject": "arn:x", "reason": "r", "expires": "tomorrow"},
            {"subject": "arn:x", "reason": "r", "expires": "2026-02-30"},
            "nope",
            {"subject": "arn:y", "reason": "ok", "expires": "2027-01-01", "account": 123456789012},
        ]
    }
    exemptions, problems = exemptions_from_data(data, "ex.yaml")
    assert [p.location.pointer for p in problems] == [
        "/exemptions/0",
        "/exemptions/1",
        "/exemptions/2",
        "/exemptions/3",
    ]
    assert all(p.code == "IF790" and p.location.file == "ex.yaml" for p in problems)
    assert [e.account for e in exemptions] == ["123456789012"]
    _, top = exemptions_from_data({"exemptions": {}}, "ex.yaml")
    assert len(top) == 1

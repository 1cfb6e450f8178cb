"""Behaviour cases for the compliance checks: one YAML file per behaviour in cases/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.audit import AuditConfig, check_account
from iamfence.audit.checks import normalise, syntactic_differences
from tests.audit.helpers import document, snapshot

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def _config(raw: dict[str, Any]) -> AuditConfig:
    expected = raw.get("expected_document")
    return AuditConfig(
        boundary_arn=raw["boundary_arn"],
        expected_document=document(expected) if expected else None,
        role_prefix=raw.get("role_prefix"),
        role_path=raw.get("role_path"),
        check_users=raw.get("check_users", True),
    )


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path) -> None:
    case = yaml.safe_load(path.read_text())
    found = check_account(snapshot(case), _config(case["config"]))
    got = sorted((f.code, f.subject_arn, f.muted) for f in found)
    want = sorted((e["code"], e["subject"], e["muted"]) for e in case["expected"])
    assert got == want, case["description"]


def test_cases_exist() -> None:
    assert len(CASES) >= 8


def test_evidence_names_expected_and_actual_boundary() -> None:
    case = yaml.safe_load((Path(__file__).parent / "cases" / "roles.yaml").read_text())
    found = {
        f.code: f for f in check_account(snapshot(case), _config(case["config"])) if not f.muted
    }
    wrong = found["IF702"]
    assert wrong.get("expected_boundary") == "arn:aws:iam::222222222222:policy/DevBoundary"
    assert wrong.get("actual_boundary") == "arn:aws:iam::222222222222:policy/Other"
    assert wrong.account == "222222222222"


def test_muted_builtin_carries_reason() -> None:
    case = yaml.safe_load((Path(__file__).parent / "cases" / "roles.yaml").read_text())
    muted = [f for f in check_account(snapshot(case), _config(case["config"])) if f.muted]
    assert {
        ("service-linked" in f.mute_reason, "Identity Center" in f.mute_reason) for f in muted
    } == {
        (True, False),
        (False, True),
    }


def test_account_placeholder_and_rewrite() -> None:
    assert (
        AuditConfig("arn:aws:iam::${AccountId}:policy/B").boundary_arn_for("123456789012")
        == "arn:aws:iam::123456789012:policy/B"
    )
    assert (
        AuditConfig("arn:aws:iam::111111111111:policy/p/B").boundary_arn_for("123456789012")
        == "arn:aws:iam::123456789012:policy/p/B"
    )
    assert (
        AuditConfig("arn:aws:iam::aws:policy/X").boundary_arn_for("1")
        == "arn:aws:iam::aws:policy/X"
    )


def test_drift_lists_differences_and_uses_semantic_diff() -> None:
    case = yaml.safe_load((Path(__file__).parent / "cases" / "boundary_drifted.yaml").read_text())
    config = _config(case["config"])
    [f] = check_account(snapshot(case), config)
    diffs = f.get("differences")
    assert isinstance(diffs, tuple) and any(d.startswith("missing statement Allow") for d in diffs)
    assert any(d.startswith("extra statement Allow") for d in diffs)
    assert f.get("comparison") == "syntactic" and f.get("default_version") == "v2"

    calls: list[int] = []

    def same(a: object, b: object) -> tuple[str, ...]:
        calls.append(1)
        return ()

    quiet = AuditConfig(config.boundary_arn, config.expected_document, semantic_diff=same)
    assert check_account(snapshot(case), quiet) == [] and calls == [1]

    def differs(a: object, b: object) -> tuple[str, ...]:
        return ("s3:DeleteObject on * allowed by actual, denied by expected",)

    loud = AuditConfig(config.boundary_arn, config.expected_document, semantic_diff=differs)
    [g] = check_account(snapshot(case), loud)
    assert g.get("comparison") == "semantic" and len(g.get("differences")) == 1  # type: ignore[arg-type]


def test_normalise_ignores_order_but_not_effect() -> None:
    a = document({"Allow": ["s3:a", "s3:b"]})
    b = document({"Allow": ["S3:B", "s3:A"]})
    c = document({"Deny": ["s3:a", "s3:b"]})
    assert normalise(a) == normalise(b)
    assert normalise(a) != normalise(c)
    assert syntactic_differences(a, b) == ()


def test_every_code_is_documented() -> None:
    from iamfence.audit import CODES

    text = (Path(__file__).resolve().parents[2] / "docs" / "codes.md").read_text()
    section = text.split("## Audit findings (IF7xx)", 1)[1]
    for code, info in CODES.items():
        assert f"### {code}\n**{info.severity.value}**" in section, code
    for extra in ("IF790", "IF791", "IF792"):
        assert f"### {extra}\n" in section

"""Fixture accounts (tests/escalation/accounts/*.yaml): each principal's expected admin status,
whether it escalates, and the paths that must be found (target, mode, techniques in order,
certainty). Adding a case needs no Python."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.account import (
    AccountSnapshot,
    load_snapshot,
    parse_compute,
    parse_scp_level,
    with_optional_inputs,
)
from iamfence.escalation import EscalationReport, Technique, analyze, load_techniques
from tests.escalation.fixtures import ACCOUNT, expand

ACCOUNTS = Path(__file__).parent / "accounts"
FILES = sorted(ACCOUNTS.glob("*.yaml"))


@cache
def techniques() -> tuple[Technique, ...]:
    return load_techniques()


@cache
def loaded(name: str) -> tuple[AccountSnapshot, EscalationReport, dict[str, Any]]:
    data = yaml.safe_load((ACCOUNTS / name).read_text())
    snapshot = load_snapshot(expand(data["account"]), file=name)
    levels = [
        parse_scp_level(lv, file=name, level=i) for i, lv in enumerate(data.get("scp_levels", []))
    ]
    compute = parse_compute(data.get("compute", []), file=name)
    snapshot = with_optional_inputs(snapshot, scp_levels=levels, compute=compute)
    return snapshot, analyze(snapshot, techniques()), data


def _arn(short: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:{short}"


def _cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for f in FILES:
        data = yaml.safe_load(f.read_text())
        out.extend((f.name, e) for e in data["expect"])
    return out


CASES = _cases()


def _describe(path: Any) -> tuple[str, str, tuple[str, ...], str]:
    return (
        path.target.arn,
        path.target.mode.value,
        tuple(e.technique.id for e in path.steps),
        path.certainty.value,
    )


@pytest.mark.parametrize(("file", "case"), CASES, ids=[f"{f}:{c['principal']}" for f, c in CASES])
def test_expected_paths(file: str, case: dict[str, Any]) -> None:
    _, report, _ = loaded(file)
    arn = _arn(case["principal"])
    (result,) = [p for p in report.principals if p.arn == arn]
    if "admin" in case:
        assert result.admin is case["admin"]
    assert result.escalates is case["escalates"], [_describe(p) for p in result.paths]
    found = [_describe(p) for p in result.paths]
    for want in case.get("paths", []):
        expected = (
            _arn(want["target"]),
            want.get("mode", "as-is"),
            tuple(want["techniques"]),
            want.get("certainty", "asserted"),
        )
        assert expected in found, f"{expected} not in {found}"
    if "path_count" in case:
        assert len(found) == case["path_count"], found
    if "escapes" in case:
        assert sorted({e.technique.id for e in result.boundary_escapes}) == sorted(case["escapes"])
    if "boundary_checks" in case:
        got = {c.name.lower(): (v.value if v else "no") for c, v, _ in result.boundary_checks()}
        assert got == case["boundary_checks"]


@pytest.mark.parametrize("file", [f.name for f in FILES])
def test_every_principal_is_covered(file: str) -> None:
    """Each fixture states an expectation for every principal in it (no silent extras)."""
    snapshot, _, data = loaded(file)
    named = {_arn(c["principal"]) for c in data["expect"]}
    assert named == {p.arn for p in snapshot.principals}


@pytest.mark.parametrize("file", [f.name for f in FILES])
def test_trust_evidence_names_the_role_assumed(file: str) -> None:
    """Every sts:AssumeRole step is decided by the trust policy of the role it assumes (never
    another role's: compiled trust policies are swapped per request)."""
    _, report, _ = loaded(file)
    for p in report.principals:
        for path in p.paths:
            for edge in path.steps:
                for check in edge.checks:
                    trusts = {r.policy for r in check.deciding if r.policy_type.value == "trust"}
                    if check.action == "sts:AssumeRole" and check.decision.value == "Allow":
                        assert trusts, (p.arn, check)
                        assert all(t.startswith(check.resource + "#trust") for t in trusts), (
                            p.arn,
                            check,
                        )

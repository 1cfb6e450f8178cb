"""Evaluation-logic cases (data/decisions.yaml), loaded through parse.cases like a request file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.engine import Decision, authorize, compile_policies
from iamfence.parse.cases import load_cases

RAW: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "decisions.yaml").read_text()
)["cases"]


def _strip(case: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in case.items() if k not in ("cite", "blocked_by")}


CASES = load_cases([_strip(c) for c in RAW], "decisions.yaml")
BY_ID = {c["id"]: c for c in RAW}


def test_every_case_cites_its_source() -> None:
    assert all(c.get("cite") for c in RAW)
    assert len(CASES) == len(RAW) >= 45


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_decision(case: Any) -> None:
    result = authorize(case.request, case.policies)
    assert result.decision is case.expect, result
    raw = BY_ID[case.id]
    if "blocked_by" in raw:
        assert result.explanation is not None
        assert [t.value for t in result.explanation.blocked_by] == raw["blocked_by"]
    if case.expect is Decision.INDETERMINATE:
        assert result.reason and result.explanation and result.explanation.unresolved


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fast_path_agrees(case: Any) -> None:
    compiled = compile_policies(case.policies)
    assert compiled.authorize(case.request).decision is case.expect
    assert compiled.authorize(case.request).explanation is None

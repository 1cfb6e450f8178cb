"""Condition operators, one clause at a time (cases in data/conditions.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.engine.conditions import REGISTRY, lookup
from iamfence.engine.conditions.evaluate import compile_condition, evaluate_condition
from iamfence.engine.context import EvalContext
from iamfence.engine.matchers import Tri
from iamfence.model import ConditionClause, Request
from iamfence.parse.cases import typed_context

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "conditions.yaml").read_text()
)
_EXPECT = {"yes": Tri.YES, "no": Tri.NO, "unknown": Tri.UNKNOWN, True: Tri.YES, False: Tri.NO}


def _ids() -> list[str]:
    return [f"{i}-{c['op']}-{c['key']}" for i, c in enumerate(CASES)]


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_condition_case(case: dict[str, Any]) -> None:
    context, diagnostics = typed_context(list(case["context"].items()))
    assert not diagnostics
    principal = case.get("principal", "arn:aws:sts::111122223333:assumed-role/app/s1")
    request = Request(principal, "s3:GetObject", "*", context)
    values = tuple(case["values"])
    clause = ConditionClause(case["op"], case["key"], values)
    compiled = compile_condition(
        clause, variables=case.get("version", "2012-10-17") == "2012-10-17"
    )
    result, reason = evaluate_condition(compiled, EvalContext(request, in_organization=False))
    assert result is _EXPECT[case["expect"]], (result, reason)
    if "reason" in case:
        assert reason == case["reason"]


def test_corpus_covers_every_operator() -> None:
    used = {lookup(c["op"]).base.name for c in CASES if lookup(c["op"]).base is not None}  # type: ignore[union-attr]
    missing = {op.name for op in REGISTRY.values()} - used
    assert not missing, missing


def test_registry_has_every_documented_operator() -> None:
    assert len(REGISTRY) == 27
    parsed = lookup("ForAnyValue:StringNotLikeIfExists")
    assert parsed.base is not None and parsed.base.negated and parsed.if_exists

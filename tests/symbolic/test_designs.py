"""Known-hole designs are found violated with an engine-confirmed counterexample; the good
design holds everywhere (tests/symbolic/data/designs.yaml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.engine import Decision, authorize
from iamfence.model import NamedPolicy, PolicyType
from iamfence.parse import load_policy
from iamfence.symbolic import Verdict, escalation_properties, prove_properties, subject

DATA = Path(__file__).parent / "data"
ACCOUNT = "111122223333"
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/iamfence/DeveloperBoundary"
DEVELOPER = f"arn:aws:iam::{ACCOUNT}:policy/iamfence/DeveloperPolicy"
CASES: list[dict[str, Any]] = yaml.safe_load((DATA / "designs.yaml").read_text())


def patched(case: dict[str, Any]) -> dict[str, Any]:
    doc = json.loads((DATA / "good-boundary.json").read_text())
    if "replace_all" in case:
        doc["Statement"] = case["replace_all"]
    removed = set(case.get("remove", []))
    assert removed <= {s["Sid"] for s in doc["Statement"]}, "remove names an unknown Sid"
    doc["Statement"] = [s for s in doc["Statement"] if s.get("Sid") not in removed]
    doc["Statement"].extend(case.get("add", []))
    return doc


def design_subject(doc: dict[str, Any]):  # type: ignore[no-untyped-def]
    document = load_policy(doc)
    return subject(
        identity=(NamedPolicy(DEVELOPER, document),),
        permissions_boundary=NamedPolicy(BOUNDARY, document, PolicyType.PERMISSIONS_BOUNDARY),
        boundary_arn=BOUNDARY,
        role_prefix="app-",
        principal=f"arn:aws:iam::{ACCOUNT}:role/developer",
        developer_policy_arn=DEVELOPER,
        protected_tag_keys=("owner-team",),
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_design(case: dict[str, Any]) -> None:
    s = design_subject(patched(case))
    report = prove_properties(escalation_properties(s), timeout=10.0)
    by_id = {r.id: r for r in report.properties}
    assert len(by_id) == 36
    for pid in case["violated"]:
        result = by_id[pid]
        assert result.verdict is Verdict.VIOLATED, (pid, result)
        assert result.counterexample is not None
        # replayed inside the prover already; check again, independently, here
        decision = authorize(result.counterexample, result.policies).decision
        assert decision is Decision.ALLOW, (pid, decision)
    for pid in case.get("holds", []):
        assert by_id[pid].verdict is Verdict.HOLDS, (pid, by_id[pid])
    if not case["violated"]:
        assert report.verdict is Verdict.HOLDS, [
            r for r in report.properties if r.verdict is not Verdict.HOLDS
        ]


def test_path_smuggling_counterexample_has_a_path() -> None:
    case = next(c for c in CASES if c["name"] == "role-prefix-path-smuggling")
    s = design_subject(patched(case))
    props = [p for p in escalation_properties(s) if p.id == "developer.role-name-outside-prefix"]
    result = prove_properties(tuple(props)).properties[0]
    assert result.counterexample is not None
    resource = result.counterexample.resource
    prefix = f"arn:aws:iam::{ACCOUNT}:role/app-"
    assert resource.startswith(prefix)
    assert not resource.rsplit("/", 1)[1].startswith("app-")


def test_create_role_counterexample_names_another_boundary() -> None:
    case = next(c for c in CASES if c["name"] == "inert-allow-guard-beside-allow-star")
    s = design_subject(patched(case))
    props = [
        p for p in escalation_properties(s) if p.id == "developer.create-role-without-boundary"
    ]
    result = prove_properties(tuple(props)).properties[0]
    assert result.counterexample is not None
    context = result.counterexample.context_dict()
    given = context.get("iam:permissionsboundary")
    assert given is None or given.values != (BOUNDARY,)

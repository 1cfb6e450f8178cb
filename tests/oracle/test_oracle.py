"""Differential test against @cloud-copilot/iam-simulate (`make oracle` installs it into
.cache/oracle). Every engine/oracle difference must be one of the known, doc-backed differences in
known_differences.py (checked by re-running the oracle on an AWS-equivalent normalised case)."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.oracle.generate import generate
from tests.oracle.known_differences import KNOWN_DIFFERENCES, KnownDifference
from tests.reference import evaluate_case

ROOT = Path(__file__).resolve().parents[2]
MODULES = ROOT / ".cache" / "oracle" / "node_modules"
HARNESS = Path(__file__).with_name("run.mjs")
N_CASES = 400

pytestmark = pytest.mark.oracle


def _require_oracle() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the iam-simulate oracle test needs it")
    if not (MODULES / "@cloud-copilot" / "iam-simulate").is_dir():
        pytest.skip("@cloud-copilot/iam-simulate is not installed: run `make oracle`")
    return node


def run_oracle(node: str, cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    proc = subprocess.run(
        [node, str(HARNESS), str(MODULES)],
        input=json.dumps(cases).encode(),
        capture_output=True,
        check=True,
        timeout=300,
    )
    out: list[dict[str, Any]] = json.loads(proc.stdout)
    assert [o["id"] for o in out] == [c["id"] for c in cases]
    return out


def engine_decisions(cases: list[dict[str, Any]]) -> list[str]:
    try:
        from iamfence.engine import authorize
        from iamfence.parse.cases import load_cases
    except ImportError as exc:
        pytest.skip(f"engine or case loader not importable: {exc}")
    loaded = load_cases(cases, file="oracle-generated")
    return [str(authorize(c.request, c.policies, explain=False).decision.value) for c in loaded]


def explain(node: str, diffs: list[tuple[dict[str, Any], str, str]]) -> dict[str, list[str]]:
    """case id -> ids of the known differences that account for it ([] when none does)."""
    variants: list[tuple[str, tuple[KnownDifference, ...], dict[str, Any]]] = []
    for case, _, _ in diffs:
        applicable = [(k, k.normalise(case)) for k in KNOWN_DIFFERENCES]
        applicable = [(k, n) for k, n in applicable if n is not None]
        for size in range(1, len(applicable) + 1):
            for combo in itertools.combinations([k for k, _ in applicable], size):
                norm: dict[str, Any] | None = case
                for k in combo:
                    norm = k.normalise(norm) or norm
                variants.append(
                    (case["id"], combo, {**norm, "id": f"{case['id']}~{len(variants)}"})
                )
    answers = run_oracle(node, [v[2] for v in variants]) if variants else []
    engine_by_id = {case["id"]: engine for case, engine, _ in diffs}
    found: dict[str, list[str]] = {case["id"]: [] for case, _, _ in diffs}
    for (cid, combo, _), ans in zip(variants, answers, strict=True):
        if not found[cid] and ans.get("decision") == engine_by_id[cid]:
            found[cid] = [k.id for k in combo]
    return found


def test_engine_differs_from_iam_simulate_only_in_known_ways() -> None:
    node = _require_oracle()
    cases = generate(N_CASES)
    engine = engine_decisions(cases)
    oracle = run_oracle(node, cases)
    errors = [(c["id"], o["error"]) for c, o in zip(cases, oracle, strict=True) if "error" in o]
    assert not errors, f"the oracle rejected generated cases: {errors[:3]}"
    diffs = [
        (c, e, o["decision"])
        for c, e, o in zip(cases, engine, oracle, strict=True)
        if e != o["decision"]
    ]
    assert len(diffs) < N_CASES // 5, f"{len(diffs)} of {N_CASES} differ: the generator is off"
    found = explain(node, diffs)
    unexplained = [
        f"{c['id']}: engine {e}, iam-simulate {o}\n{json.dumps(c)}"
        for c, e, o in diffs
        if not found[c["id"]]
    ]
    assert not unexplained, "unexplained differences:\n" + "\n".join(unexplained[:5])


def test_engine_equals_reference_on_oracle_cases() -> None:
    cases = generate(N_CASES)
    assert engine_decisions(cases) == [evaluate_case(c) for c in cases]


def test_every_known_difference_is_real() -> None:
    """Each known difference still shows on a minimal case (if the oracle is fixed, drop it)."""
    node = _require_oracle()
    a = "111122223333"
    user = f"arn:aws:iam::{a}:user/alice"
    full = {"Effect": "Allow", "Action": "*", "Resource": "*"}

    def case(
        cid: str, principal: str, cond: dict[str, Any] | None, ctx: dict[str, Any], **pol: Any
    ) -> dict[str, Any]:
        stmt = {**full, **({"Condition": cond} if cond else {})}
        policies = {
            "identity": [{"Version": "2012-10-17", "Statement": [stmt]}],
            "resource_account": a,
            **pol,
        }
        request = {
            "principal": principal,
            "action": "s3:GetObject",
            "resource": "arn:aws:s3:::docs/a",
            "context": ctx,
        }
        return {"id": cid, "request": request, "policies": policies}

    session = f"arn:aws:sts::{a}:assumed-role/app/s1"
    deny_all = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}],
    }
    minimal = {
        "epoch-seconds-read-as-milliseconds": case(
            "epoch",
            user,
            {"DateLessThan": {"aws:CurrentTime": "1780272000"}},
            {"aws:CurrentTime": "2026-01-01T00:00:00Z"},
        ),
        "ipv4-slash-zero-never-matches": case(
            "ip0",
            user,
            {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}},
            {"aws:SourceIp": "198.51.100.7"},
        ),
        "principal-keys-not-derived": case(
            "derived", user, {"StringEquals": {"aws:username": "alice"}}, {}
        ),
        "service-linked-role-restricted-by-scp-rcp": case(
            "slr",
            f"arn:aws:iam::{a}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk",
            None,
            {},
            scp=[[{"Version": "2012-10-17", "Statement": [full]}, deny_all]],
        ),
        "session-policy-limits-session-arn-grant": case(
            "sess",
            session,
            None,
            {},
            identity=[],
            session=[
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}],
                }
            ],
            resource={
                "Version": "2012-10-17",
                "Statement": [{**full, "Principal": {"AWS": session}}],
            },
        ),
    }
    assert set(minimal) == {k.id for k in KNOWN_DIFFERENCES}
    cases = list(minimal.values())
    engine = engine_decisions(cases)
    oracle = run_oracle(node, cases)
    for (kid, c), e, o in zip(minimal.items(), engine, oracle, strict=True):
        assert e == evaluate_case(c) == "Allow", kid
        assert o.get("decision") != e, (
            f"{kid}: iam-simulate now agrees; remove the known difference"
        )

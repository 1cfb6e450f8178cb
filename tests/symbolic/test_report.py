"""Renderers for proofs and diffs (report/proof.py): contents, not just shapes."""

from __future__ import annotations

import json

from iamfence.engine.types import PolicySet, StatementRef
from iamfence.model import (
    ActionSpec,
    ContextType,
    ContextValue,
    Effect,
    NamedPolicy,
    PolicyDocument,
    PolicyType,
    Request,
    ResourceSpec,
    Statement,
)
from iamfence.parse.cases import load_cases
from iamfence.report.proof import (
    render_diff_markdown,
    render_proof_json,
    render_proof_markdown,
    render_proof_sarif,
    render_proof_text,
)
from iamfence.symbolic.types import (
    ActionClass,
    DiffEntry,
    DiffResult,
    Direction,
    ProofReport,
    PropertyResult,
    Verdict,
)

DOC = PolicyDocument(
    (Statement(Effect.ALLOW, ActionSpec(("*",)), ResourceSpec(("*",)), sid="All"),)
)
POLICIES = PolicySet(identity=(NamedPolicy("dev", DOC),))
REQUEST = Request(
    "arn:aws:iam::111122223333:role/dev",
    "iam:PassRole",
    "arn:aws:iam::111122223333:role/admin",
    (
        ("iam:PassedToService", ContextValue.string("ec2.amazonaws.com")),
        ("aws:TagKeys", ContextValue.strings(["a", "b"])),
        ("aws:SecureTransport", ContextValue.boolean(True)),
        ("s3:max-keys", ContextValue(ContextType.NUMBER, ("not-a-number",))),
    ),
)
REF = StatementRef(PolicyType.IDENTITY, "dev", 0, "All")
REPORT = ProofReport(
    (
        PropertyResult(
            "developer.pass-role-outside-prefix",
            "Pass a role",
            Verdict.VIOLATED,
            REQUEST,
            POLICIES,
            None,
            0.1,
            (REF,),
        ),
        PropertyResult(
            "developer.delete-role-boundary", "Delete", Verdict.HOLDS, None, POLICIES, None, 0.05
        ),
        PropertyResult("role.x", "X", Verdict.UNKNOWN, None, POLICIES, "solver: timeout", 5.0),
    )
)


def test_json_counterexample_round_trips_as_a_request_file() -> None:
    data = json.loads(render_proof_json(REPORT))
    props = data["properties"]
    assert [p["verdict"] for p in props] == ["violated", "holds", "unknown"]
    assert props[1]["counterexample"] is None
    assert all(set(p) == {"id", "title", "verdict", "counterexample", "seconds"} for p in props)
    assert "allowed by identity dev statement 0 (All)" in props[0]["counterexample"]["description"]
    (case,) = load_cases(json.dumps(props[0]["counterexample"]))
    assert case.request.action == "iam:PassRole"
    context = case.request.context_dict()
    assert context["aws:tagkeys"].values == ("a", "b") and context["aws:tagkeys"].multi
    assert context["aws:securetransport"].values == ("true",)
    assert context["s3:max-keys"].values == ("not-a-number",)
    assert case.policies.identity[0].document == DOC


def test_text_markdown_and_sarif() -> None:
    text = render_proof_text(REPORT)
    assert "VIOLATED  developer.pass-role-outside-prefix" in text
    assert "allowed by: identity dev statement 0 (All)" in text
    assert text.rstrip().endswith("3 properties: 1 hold, 1 violated, 1 unknown")
    markdown = render_proof_markdown(REPORT)
    assert "| Pass a role (`developer.pass-role-outside-prefix`) | VIOLATED |" in markdown
    sarif = json.loads(render_proof_sarif(REPORT, "1.0"))
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("developer.pass-role-outside-prefix", "error"),
        ("role.x", "warning"),
    ]


def test_diff_markdown_says_no_new_access_only_when_proven() -> None:
    cls = ActionClass(("s3:GetObject",))
    holds = DiffEntry(Direction.ADDED, cls, Verdict.HOLDS, None, None, 0.01)
    proven = DiffResult("old.json", "new.json", (holds,), 1)
    assert "**No new access**" in render_diff_markdown(proven)
    unknown = DiffEntry(Direction.ADDED, cls, Verdict.UNKNOWN, None, "solver: timeout", 5.0)
    undecided = DiffResult("old.json", "new.json", (unknown,), 1)
    text = render_diff_markdown(undecided)
    assert "No new access" not in text and "solver: timeout" in text
    assert "**Undecided**" in text

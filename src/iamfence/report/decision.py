"""Rendering authorization decisions (and their explanations) as text, JSON and JSON lines.
Renderers return strings; they never decide."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from iamfence.engine.types import AuthorizationResult, Decision, Explanation
from iamfence.model import Request
from iamfence.report.evidence import statement_ref_json, statement_ref_text


@dataclass(frozen=True, slots=True)
class DecisionRow:
    """One decided request: what was asked, the answer, and the expected answer if any."""

    id: str
    request: Request
    result: AuthorizationResult
    expect: Decision | None = None

    @property
    def agrees(self) -> bool | None:
        return None if self.expect is None else self.expect is self.result.decision


def explanation_to_dict(explanation: Explanation) -> dict[str, object]:
    return {
        "blocked_by": [t.value for t in explanation.blocked_by],
        "deciding": [statement_ref_json(r) for r in explanation.deciding],
        "details": [
            {**statement_ref_json(r), "codes": list(codes)} for r, codes in explanation.details
        ],
        "derived_keys": list(explanation.derived_keys),
        "unresolved": list(explanation.unresolved),
    }


def row_to_dict(row: DecisionRow) -> dict[str, object]:
    result = row.result
    out: dict[str, object] = {
        "id": row.id,
        "request": {
            "principal": row.request.principal,
            "action": row.request.action,
            "resource": row.request.resource,
        },
        "decision": result.decision.value,
        "blocked_by": [t.value for t in result.explanation.blocked_by]
        if result.explanation
        else [],
    }
    if result.reason:
        out["reason"] = result.reason
    if row.expect is not None:
        out["expect"] = row.expect.value
        out["agrees"] = row.agrees
    if result.explanation is not None:
        out["explanation"] = explanation_to_dict(result.explanation)
    return out


def summary(rows: Sequence[DecisionRow]) -> dict[str, object]:
    expected = [r for r in rows if r.expect is not None]
    differ = [r.id for r in expected if not r.agrees]
    return {
        "summary": {
            "cases": len(rows),
            "with_expect": len(expected),
            "agree": len(expected) - len(differ),
            "differ": len(differ),
            "differing_ids": differ,
        }
    }


def render_json(rows: Sequence[DecisionRow]) -> str:
    body: dict[str, object] = {"results": [row_to_dict(r) for r in rows]}
    if any(r.expect is not None for r in rows):
        body.update(summary(rows))
    return json.dumps(body, indent=2) + "\n"


def render_jsonl(rows: Sequence[DecisionRow]) -> str:
    """One line per case {"id", "decision", "blocked_by"}; a last summary line when cases carry
    an expected decision."""
    lines = []
    for row in rows:
        blocked = row.result.explanation.blocked_by if row.result.explanation else ()
        lines.append(
            json.dumps(
                {
                    "id": row.id,
                    "decision": row.result.decision.value,
                    "blocked_by": [t.value for t in blocked],
                }
            )
        )
    if any(r.expect is not None for r in rows):
        lines.append(json.dumps(summary(rows)))
    return "\n".join(lines) + "\n"


def render_text(rows: Sequence[DecisionRow], *, explain: bool = False) -> str:
    out: list[str] = []
    for row in rows:
        out.extend(_row_text(row, explain))
    expected = [r for r in rows if r.expect is not None]
    if expected:
        differ = [r for r in expected if not r.agrees]
        out.append(
            f"{len(expected) - len(differ)} of {len(expected)} cases agree with their expected decision"
        )
    return "\n".join(out) + "\n"


def _row_text(row: DecisionRow, explain: bool) -> list[str]:
    result = row.result
    req = row.request
    head = f"{row.id}: {result.decision.value}  {req.principal} {req.action} {req.resource}"
    if row.expect is not None:
        head += "  (as expected)" if row.agrees else f"  (EXPECTED {row.expect.value})"
    lines = [head]
    if result.reason:
        lines.append(f"  reason: {result.reason}")
    exp = result.explanation
    if exp is None:
        return lines
    if exp.blocked_by:
        lines.append("  blocked by: " + ", ".join(t.value for t in exp.blocked_by))
    for ref in exp.deciding:
        lines.append(f"  decided by: {statement_ref_text(ref)}")
    if explain:
        for ref, codes in exp.details:
            lines.append(f"    {statement_ref_text(ref)}: {', '.join(codes)}")
        if exp.derived_keys:
            lines.append("  derived keys: " + ", ".join(exp.derived_keys))
        if exp.unresolved:
            lines.append("  unresolved: " + ", ".join(exp.unresolved))
    return lines

"""Renderers for proofs (`iamfence prove`) and semantic diffs (`iamfence diff`): text, JSON, SARIF
and Markdown. They return strings; they never decide.

A counterexample is written as a request file (docs/request-format.md): the request, the policies it
was decided against, and `"expect": "Allow"`, so that `iamfence simulate --cases FILE` replays it."""

from __future__ import annotations

import json
from typing import Any

from iamfence.engine.types import PolicySet
from iamfence.model import ContextType, ContextValue, NamedPolicy, Request
from iamfence.parse import policy_to_dict
from iamfence.parse.cases import key_type
from iamfence.report.evidence import statement_ref_json, statement_ref_text
from iamfence.symbolic.types import (
    DiffEntry,
    DiffResult,
    Direction,
    ProofReport,
    PropertyResult,
    Verdict,
)

_SYMBOL = {Verdict.HOLDS: "holds", Verdict.VIOLATED: "VIOLATED", Verdict.UNKNOWN: "unknown"}


def _fits(ctype: ContextType, text: str) -> bool:
    if ctype is ContextType.BOOL:
        return text.lower() in ("true", "false")
    if ctype is ContextType.NUMBER:
        try:
            float(text)
        except ValueError:
            return False
    if ctype in (ContextType.IP, ContextType.DATE):
        return not text.startswith("not-")
    return True


def context_json(key: str, value: ContextValue) -> Any:
    """One context value in request-file form: plain when the key's default type reads it the
    same way, else explicit {"type", "value"} (a value the type cannot read is given as a string)."""
    ctype = value.type if all(_fits(value.type, v) for v in value.values) else ContextType.STRING
    plain: Any = list(value.values) if value.multi else value.values[0]
    if ctype is ContextType.BOOL and not value.multi:
        return value.values[0].lower() == "true"
    if ctype is key_type(key) and (not value.multi or ctype is ContextType.STRING):
        return plain
    return {"type": ctype.value, "value": plain}


def request_json(request: Request) -> dict[str, Any]:
    return {
        "principal": request.principal,
        "action": request.action,
        "resource": request.resource,
        "context": {k: context_json(k, v) for k, v in request.context},
    }


def _policy(named: NamedPolicy | None) -> dict[str, Any] | None:
    return None if named is None else policy_to_dict(named.document)


def policies_json(policies: PolicySet) -> dict[str, Any]:
    return {
        "identity": [policy_to_dict(p.document) for p in policies.identity],
        "permissions_boundary": _policy(policies.permissions_boundary),
        "session": [policy_to_dict(p.document) for p in policies.session],
        "resource": _policy(policies.resource),
        "resource_account": policies.resource_account,
        "scp": [[policy_to_dict(p.document) for p in level] for level in policies.scp],
        "rcp": [[policy_to_dict(p.document) for p in level] for level in policies.rcp],
    }


def request_file(
    case_id: str, request: Request, policies: PolicySet, description: str | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": case_id,
        "request": request_json(request),
        "policies": policies_json(policies),
        "expect": "Allow",
    }
    if description:
        data["description"] = description
    return data


# ------------------------------------------------------------------------------------ proofs


def property_json(result: PropertyResult) -> dict[str, Any]:
    """Exactly id, title, verdict, counterexample (a request file, whose description names the
    statements that allow it) and seconds; reasons for `unknown` are in the text and SARIF forms."""
    counterexample = None
    if result.counterexample is not None:
        evidence = "; ".join(statement_ref_text(r) for r in result.allowed_by)
        description = f"{result.title}: allowed by {evidence}" if evidence else result.title
        counterexample = request_file(
            result.id, result.counterexample, result.policies, description
        )
    return {
        "id": result.id,
        "title": result.title,
        "verdict": result.verdict.value,
        "counterexample": counterexample,
        "seconds": round(result.seconds, 4),
    }


def render_proof_json(report: ProofReport) -> str:
    return json.dumps({"properties": [property_json(p) for p in report.properties]}, indent=2)


def _request_line(request: Request) -> str:
    context = ", ".join(
        f"{k}={list(v.values) if v.multi else v.values[0]}" for k, v in request.context
    )
    return f"{request.action} on {request.resource}" + (f" with {context}" if context else "")


def render_proof_text(report: ProofReport) -> str:
    lines: list[str] = []
    for p in report.properties:
        lines.append(f"{_SYMBOL[p.verdict]:8}  {p.id}  ({p.seconds:.2f}s)  {p.title}")
        if p.counterexample is not None:
            lines.append(f"          counterexample: {_request_line(p.counterexample)}")
        if p.allowed_by:
            lines.append(
                "          allowed by: " + "; ".join(statement_ref_text(r) for r in p.allowed_by)
            )
        if p.reason:
            lines.append(f"          reason: {p.reason}")
    counts = {v: sum(1 for p in report.properties if p.verdict is v) for v in Verdict}
    lines.append(
        f"{len(report.properties)} properties: {counts[Verdict.HOLDS]} hold, "
        f"{counts[Verdict.VIOLATED]} violated, {counts[Verdict.UNKNOWN]} unknown"
    )
    return "\n".join(lines) + "\n"


def render_proof_markdown(report: ProofReport) -> str:
    lines = ["## iamfence proof", "", "| property | verdict | counterexample |", "|---|---|---|"]
    for p in report.properties:
        example = f"`{_request_line(p.counterexample)}`" if p.counterexample else p.reason or ""
        lines.append(f"| {p.title} (`{p.id}`) | {_SYMBOL[p.verdict]} | {example} |")
    return "\n".join(lines) + "\n"


def sarif_result(p: PropertyResult) -> dict[str, Any]:
    """The SARIF result of a property that is not proven (violated: error; unknown: warning)."""
    text = f"{p.title}: {_SYMBOL[p.verdict]}"
    if p.counterexample is not None:
        text += f" (counterexample: {_request_line(p.counterexample)})"
    elif p.reason:
        text += f" ({p.reason})"
    return {
        "ruleId": p.id,
        "level": "error" if p.verdict is Verdict.VIOLATED else "warning",
        "message": {"text": text},
    }


def render_proof_sarif(report: ProofReport, version: str = "") -> str:
    """SARIF 2.1.0: one rule per property, one result per property that is not proven."""
    rules = [
        {"id": p.id, "name": p.id, "shortDescription": {"text": p.title}} for p in report.properties
    ]
    results = []
    for p in report.properties:
        if p.verdict is Verdict.HOLDS:
            continue
        results.append({**sarif_result(p), "properties": {"verdict": p.verdict.value}})
    driver = {"name": "iamfence", "version": version or "0", "rules": rules}
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(sarif, indent=2)


# ------------------------------------------------------------------------------------- diffs


def _entry_json(entry: DiffEntry) -> dict[str, Any]:
    return {
        "direction": entry.direction.value,
        "actions": list(entry.action_class.actions),
        "other_services": entry.action_class.other_services,
        "verdict": entry.verdict.value,
        "example": request_json(entry.example) if entry.example is not None else None,
        "reason": entry.reason,
        "allowed_by": [statement_ref_json(r) for r in entry.allowed_by],
        "seconds": round(entry.seconds, 4),
    }


def render_diff_json(diff: DiffResult) -> str:
    data = {
        "old": diff.old_name,
        "new": diff.new_name,
        "classes": diff.classes,
        "catalog_version": diff.catalog_version,
        "no_new_access": diff.no_new_access,
        "added": [_entry_json(e) for e in diff.changes(Direction.ADDED)],
        "removed": [_entry_json(e) for e in diff.changes(Direction.REMOVED)],
        "unknown": [_entry_json(e) for e in diff.unknown()],
    }
    return json.dumps(data, indent=2)


def _actions(entry: DiffEntry, limit: int = 6) -> str:
    names = entry.action_class.actions
    shown = ", ".join(f"`{a}`" for a in names[:limit])
    shown += f" and {len(names) - limit} more" if len(names) > limit else ""
    others = entry.action_class.other_services
    return shown + (f", and every action of {others} services no pattern names" if others else "")


def render_diff_markdown(diff: DiffResult) -> str:
    lines = [f"## iamfence diff: `{diff.old_name}` → `{diff.new_name}`", ""]
    added = diff.changes(Direction.ADDED)
    removed = diff.changes(Direction.REMOVED)
    if diff.no_new_access:
        lines.append(
            f"**No new access** (proven over every resource and context value, for the "
            f"{diff.classes} action classes of catalog {diff.catalog_version or 'in use'})."
        )
    elif added:
        lines.append(f"**New access** in {len(added)} action class(es).")
    else:
        lines.append("**Undecided**: no new access was found, but some classes were not decided.")
    for title, entries in (("Newly allowed", added), ("No longer allowed", removed)):
        if not entries:
            continue
        lines += ["", f"### {title}", "", "| actions | example request |", "|---|---|"]
        for e in entries:
            example = f"`{_request_line(e.example)}`" if e.example else ""
            lines.append(f"| {_actions(e)} | {example} |")
    unknown = diff.unknown()
    if unknown:
        lines += ["", "### Undecided", ""]
        lines += [f"- {e.direction.value}: {_actions(e)}: {e.reason}" for e in unknown]
    return "\n".join(lines) + "\n"


def render_diff_text(diff: DiffResult) -> str:
    lines = [f"diff {diff.old_name} -> {diff.new_name} ({diff.classes} action classes)"]
    for e in diff.entries:
        if e.verdict is Verdict.HOLDS:
            continue
        sign = "+" if e.direction is Direction.ADDED else "-"
        what = _request_line(e.example) if e.example else f"unknown: {e.reason}"
        lines.append(f"{sign} {', '.join(e.action_class.actions[:4])}: {what}")
    lines.append("no new access" if diff.no_new_access else "new access found")
    return "\n".join(lines) + "\n"

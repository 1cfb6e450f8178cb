"""Renderers for a boundary test report: text, JSON and JUnit XML. They return strings."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from iamfence.model import Request
from iamfence.report.evidence import statement_ref_json, statement_ref_text
from iamfence.testing.cases import Status, TestOutcome, TestReport
from iamfence.testing.role_check import Problem, RoleCheck


def request_json(request: Request) -> dict[str, Any]:
    """A request in the request-file shape (docs/request-format.md)."""
    context: dict[str, Any] = {}
    for key, value in request.context:
        context[key] = (
            list(value.values) if value.multi else value.values[0] if value.values else None
        )
    return {
        "principal": request.principal,
        "action": request.action,
        "resource": request.resource,
        "context": context,
    }


def _evidence(outcome: TestOutcome) -> list[dict[str, Any]]:
    return [statement_ref_json(ref) for ref in outcome.deciding]


def outcome_json(outcome: TestOutcome) -> dict[str, Any]:
    case = outcome.case
    return {
        "name": case.name,
        "why": case.why,
        "category": case.category.value,
        "principal": case.principal,
        "request": request_json(case.request),
        "expect": case.expect.value,
        "decision": outcome.decision.value,
        "status": outcome.status.value,
        "blocked_by": [t.value for t in outcome.blocked_by],
        "deciding": _evidence(outcome),
        "detail": outcome.detail,
        "critical": outcome.critical,
    }


def summary(report: TestReport) -> dict[str, int]:
    return {
        "total": len(report.outcomes),
        "passed": report.count(Status.PASSED),
        "failed": report.count(Status.FAILED),
        "errors": report.count(Status.ERROR),
        "critical": sum(1 for o in report.outcomes if o.critical),
    }


def render_json(report: TestReport) -> str:
    data = {
        "backend": report.backend,
        "summary": summary(report),
        "tests": [outcome_json(o) for o in report.outcomes],
    }
    return json.dumps(data, indent=2) + "\n"


def failure_text(outcome: TestOutcome) -> str:
    """What a failed test shows: the request and the deciding statements."""
    case = outcome.case
    r = case.request
    lines = [
        f"FAIL {case.name}: expected {case.expect.value}, got {outcome.decision.value}",
        f"  why: {case.why}",
        f"  request: {case.principal} -> {r.action} on {r.resource}",
    ]
    for key, value in r.context:
        lines.append(f"    {key} = {', '.join(value.values)}")
    lines += [f"  decided by: {statement_ref_text(ref)}" for ref in outcome.deciding]
    if outcome.blocked_by:
        lines.append("  blocked by: " + ", ".join(t.value for t in outcome.blocked_by))
    if outcome.detail:
        lines.append(f"  detail: {outcome.detail}")
    return "\n".join(lines)


def render_text(report: TestReport) -> str:
    s = summary(report)
    lines = [failure_text(o) for o in report.failures]
    lines.append(
        f"{s['passed']} passed, {s['failed']} failed"
        + (f", {s['errors']} errors" if s["errors"] else "")
        + (f", {s['critical']} critical" if s["critical"] else "")
    )
    return "\n".join(lines) + "\n"


def render_junit(report: TestReport, *, suite: str = "iamfence") -> str:
    s = summary(report)
    root = ET.Element(
        "testsuite",
        name=suite,
        tests=str(s["total"]),
        failures=str(s["failed"]),
        errors=str(s["errors"]),
    )
    for outcome in report.outcomes:
        case = ET.SubElement(
            root,
            "testcase",
            classname=f"{suite}.{outcome.case.category.value}",
            name=outcome.case.name,
        )
        if outcome.status is Status.FAILED:
            failure = ET.SubElement(
                case,
                "failure",
                message=f"expected {outcome.case.expect.value}, got {outcome.decision.value}",
            )
            failure.text = failure_text(outcome)
        elif outcome.status is Status.ERROR:
            error = ET.SubElement(case, "error", message=outcome.detail or outcome.decision.value)
            error.text = failure_text(outcome)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def role_check_json(check: RoleCheck) -> dict[str, Any]:
    return {
        "role_arn": check.role_arn,
        "allowed": check.allowed,
        "problems": [p.value for p in check.problems],
        "steps": [
            {
                "action": s.action,
                "resource": s.resource,
                "decision": s.decision.value,
                "deciding": [statement_ref_json(r) for r in s.deciding],
            }
            for s in check.steps
        ],
        "trust_warnings": [
            {
                "issue": w.issue.value,
                "principal": w.principal,
                "statement_index": w.statement_index,
                "conditioned": w.conditioned,
            }
            for w in check.trust_warnings
        ],
    }


_PROBLEM_TEXT = {
    Problem.PREFIX: "the role name does not start with the required prefix",
    Problem.PATH: "the role path is not the one the design allows",
    Problem.DENIED: "the developer policy does not allow it",
}


def render_role_check(check: RoleCheck, effective: Any, output_format: str) -> str:
    """Text or JSON; `effective` is an effective-permissions result or None."""
    if output_format == "json":
        data = role_check_json(check)
        if effective is not None:
            from iamfence.report.effective import render_effective_json

            data["effective"] = json.loads(render_effective_json(effective))
        return json.dumps(data, indent=2) + "\n"
    verdict = "may be created" if check.allowed else "may NOT be created"
    lines = [f"{check.role_arn} {verdict} with the boundary attached"]
    lines += [f"  - {_PROBLEM_TEXT[p]}" for p in check.problems]
    for step in check.steps:
        refs = ", ".join(
            f"{r.policy} #{r.statement_index}" + (f" ({r.sid})" if r.sid else "")
            for r in step.deciding
        )
        lines.append(f"  {step.action}: {step.decision.value}" + (f" by {refs}" if refs else ""))
    for w in check.trust_warnings:
        note = " (the statement has conditions that may narrow it)" if w.conditioned else ""
        lines.append(
            f"  warning: trust policy statement {w.statement_index} {w.issue.value.replace('-', ' ')}: {w.principal}{note}"
        )
    if effective is not None:
        from iamfence.report.effective import render_effective_text

        lines += [
            "",
            "Effective permissions (identity policies ∩ boundary):",
            render_effective_text(effective),
        ]
    return "\n".join(lines) + "\n"

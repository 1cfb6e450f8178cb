"""Renderers for escalation reports: JSON (the machine contract), text and HTML. They format,
never decide; HTML escapes every name that comes from the account."""

from __future__ import annotations

import html
import json
from typing import Any

from iamfence.escalation import (
    Certainty,
    Check,
    Edge,
    EscalationPath,
    EscalationReport,
    Family,
    Mode,
    PrincipalResult,
    Reach,
    Technique,
)
from iamfence.escalation.search import boundary_check


def _refs(check: Check) -> list[dict[str, Any]]:
    return [
        {
            "policy_type": r.policy_type.value,
            "policy": r.policy,
            "statement": r.statement_index,
            "sid": r.sid,
        }
        for r in check.deciding
    ]


def _step(edge: Edge, check: Check) -> dict[str, Any]:
    t = edge.technique
    evidence: dict[str, Any] = {
        "title": t.title,
        "family": t.family.value,
        "from": edge.source.arn,
        "from_mode": edge.source.mode.value,
        "to": edge.target.arn,
        "to_mode": edge.target.mode.value,
        "principal": check.principal,
        "context": dict(check.context),
        "decision": check.decision.value,
        "certainty": check.certainty.value,
        "deciding": _refs(check),
        "step_certainty": edge.certainty.value,
        "conditions": list(edge.conditions),
        "boundary_escape": t.family is Family.BOUNDARY_ESCAPE,
    }
    if edge.target.variant:
        evidence["variant"] = edge.target.variant
    if check.reason:
        evidence["reason"] = check.reason
    return {
        "technique": t.id,
        "action": check.action,
        "resource": check.resource,
        "evidence": evidence,
    }


def _path(path: EscalationPath) -> dict[str, Any]:
    steps = [_step(edge, check) for edge in path.steps for check in edge.checks]
    if steps:
        last = steps[-1]["evidence"]
        last["reaches"] = path.reach.value
        last["path_certainty"] = path.certainty.value
        if path.witness is not None:
            last["witness"] = {"action": path.witness.action, "resource": path.witness.resource}
    return {"target": path.target.arn, "steps": steps}


def _principal(p: PrincipalResult) -> dict[str, Any]:
    return {
        "arn": p.arn,
        "type": p.type,
        "admin": p.admin,
        "escalates": p.escalates,
        "paths": [_path(x) for x in p.paths],
        "boundary_escapes": [_escape(edge) for edge in p.boundary_escapes],
    }


def _escape(edge: Edge) -> dict[str, Any]:
    """A way out of the principal's permissions boundary, in the path shape (issue 8 item 5)."""
    return {
        "target": edge.target.arn,
        "check": boundary_check(edge).value,
        "certainty": edge.certainty.value,
        "steps": [_step(e, check) for e in edge.steps for check in e.checks],
    }


def report_dict(report: EscalationReport) -> dict[str, Any]:
    """`{"principals": [{"arn", "type", "admin", "escalates", "paths": [{"target", "steps":
    [{"technique", "action", "resource", "evidence"}]}]}]}`"""
    return {"principals": [_principal(p) for p in report.principals]}


def render_json(report: EscalationReport) -> str:
    return json.dumps(report_dict(report), indent=2, sort_keys=False) + "\n"


def _target_label(path: EscalationPath) -> str:
    node = path.target
    suffix = {
        Mode.AS_IS: "",
        Mode.ELEVATED: " (with any identity policy)",
        Mode.UNBOUNDED: " (without its permissions boundary)",
        Mode.FREE: " (any identity policy, no boundary)",
        Mode.VARIANT: f" ({node.variant})",
    }[node.mode]
    what = "admin-equivalent" if path.reach is Reach.ADMIN else "more access"
    return f"{node.arn}{suffix} -> {what}"


def _step_lines(edge: Edge) -> list[str]:
    t = edge.technique
    mark = "" if edge.certainty is Certainty.ASSERTED else "  [possible under conditions]"
    lines = [f"    {t.id} {t.title}{mark}"]
    for c in edge.checks:
        deciding = ", ".join(f"{r.policy}#{r.statement_index}" for r in c.deciding) or "-"
        lines.append(
            f"      {c.action} on {c.resource}: {c.decision.value} ({c.certainty.value}) by {deciding}"
        )
        if c.reason:
            lines.append(f"        because {c.reason}")
    if edge.conditions:
        lines.append(f"      needs what the snapshot cannot show: {', '.join(edge.conditions)}")
    return lines


def render_text(report: EscalationReport) -> str:
    lines: list[str] = []
    escalating = report.escalating
    admins = sum(1 for p in report.principals if p.admin)
    lines.append(
        f"account {report.account_id}: {len(report.principals)} principals, {admins} admin-equivalent, "
        f"{len(escalating)} can escalate ({len(report.techniques)} techniques checked)"
    )
    for p in report.principals:
        if not p.escalates and not p.bounded:
            continue
        lines.append("")
        lines.append(f"{p.type} {p.arn}")
        for path in p.paths:
            tag = "" if path.certainty is Certainty.ASSERTED else " [possible]"
            lines.append(f"  path to {_target_label(path)}{tag}")
            for edge in path.steps:
                lines.extend(_step_lines(edge))
            if path.witness is not None:
                lines.append(f"    e.g. {path.witness.action} on {path.witness.resource}")
        if p.bounded:
            lines.append("  permissions boundary checks:")
            for check, certainty, ids in p.boundary_checks():
                verdict = (
                    "no"
                    if certainty is None
                    else ("YES" if certainty is Certainty.ASSERTED else "possibly")
                )
                via = f" ({', '.join(ids)})" if ids else ""
                lines.append(f"    can {check.value}: {verdict}{via}")
        if p.truncated:
            lines.append("  (search stopped at its node budget: more paths may exist)")
    return "\n".join(lines) + "\n"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_html(report: EscalationReport) -> str:
    rows: list[str] = []
    for p in report.principals:
        paths = []
        for path in p.paths:
            steps = "".join(
                f"<li><code>{_e(edge.technique.id)}</code> {_e(edge.technique.title)}"
                f"{'' if edge.certainty is Certainty.ASSERTED else ' <em>(possible under conditions)</em>'}<ul>"
                + "".join(
                    f"<li><code>{_e(c.action)}</code> on <code>{_e(c.resource)}</code>: {_e(c.decision.value)}"
                    f" ({_e(c.certainty.value)})</li>"
                    for c in edge.checks
                )
                + "</ul></li>"
                for edge in path.steps
            )
            paths.append(
                f"<div class='path'><p>to {_e(_target_label(path))}</p><ol>{steps}</ol></div>"
            )
        status = (
            "admin-equivalent"
            if p.admin
            else ("escalates" if p.escalates else "no escalation found")
        )
        rows.append(
            f"<section><h2>{_e(p.type)} <code>{_e(p.arn)}</code></h2><p>{_e(status)}</p>{''.join(paths)}</section>"
        )
    title = f"iamfence escalation report: account {_e(report.account_id)}"
    style = "body{font-family:sans-serif;max-width:70em;margin:auto}code{background:#f3f3f3}em{color:#a60}"
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title><style>{style}</style></head><body><h1>{title}</h1>"
        + "".join(rows)
        + "</body></html>\n"
    )


_EFFECT_TEXT = {
    "self_any_policy": "the principal can give itself any identity policy, so it holds whatever its permissions boundary and SCPs allow",
    "policy_version": "an older, wider version of a policy that applies to the principal becomes the one IAM evaluates",
    "remove_policy": "a policy holding Deny statements stops applying, so the denies it carried are lifted",
    "set_tags": "the principal chooses its own tags, so conditions on aws:PrincipalTag no longer constrain it",
    "act_as_target": "the principal acts with another principal's permissions",
    "join_group": "the user gains every policy of the group",
    "target_any_policy": "a principal the attacker can already act as gets any identity policy",
    "remove_boundary": "the principal's permissions boundary is removed, replaced or rewritten, so only its identity policies limit it",
    "boundary_version": "a wider version of the principal's boundary policy becomes the one IAM evaluates",
    "new_unbounded_principal": "the principal creates a new principal without the required boundary and acts as it",
    "target_remove_boundary": "a principal the attacker can act as loses its permissions boundary",
}


def _resource_text(selector: str) -> str:
    if selector.startswith("new:"):
        return f"a new resource `{selector[4:]}`"
    return {
        "self": "the principal itself",
        "target": "the target principal",
        "target_policy": "a customer managed policy attached to the target",
        "self_group": "a group the user belongs to",
        "group": "the group",
        "boundary_policy": "the principal's own boundary policy",
        "target_boundary_policy": "the target's boundary policy",
        "compute": "compute that runs as the target role",
        "any": "`*`",
        "${created}": "the resource created in the step before",
    }.get(selector, selector)


def render_techniques_markdown(techniques: tuple[Technique, ...]) -> str:
    """One entry per technique, in the shape docs/codes.md uses (severity, what it is, why it
    matters, example, fix, references)."""
    out: list[str] = []
    for t in techniques:
        steps = "; ".join(f"`{a.action}` on {_resource_text(a.resource)}" for a in t.actions)
        actions = ", ".join(f"`{a}`" for a in dict.fromkeys(a.action for a in t.actions))
        pre = ", ".join(
            p.kind
            + (
                f" ({p.service or p.compute or p.attachment})"
                if p.service or p.compute or p.attachment
                else ""
            )
            for p in t.preconditions
        )
        refs = "; ".join(f"[{r.title}]({r.url})" for r in t.references)
        out.append(f"### {t.id}")
        out.append(
            f"**error** — {t.title} (family {t.family.value}). {t.description} "
            f"Why it matters: {_EFFECT_TEXT[t.effect.value]}. "
            f"Example: {steps}" + (f"; preconditions: {pre}" if pre else "") + ". "
            f"Fix: do not grant {actions} on these resources to principals that must stay "
            f"within their permissions, or deny them in the permissions boundary or an SCP. "
            f"References: {refs}."
        )
        out.append("")
    return "\n".join(out)

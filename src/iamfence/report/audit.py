"""Audit renderers: result -> text (json, markdown, csv, sarif, terminal text). Messages are made
here from each finding's code and evidence; the HTML report lives in audit_html.py."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from iamfence.audit import CODES, AuditResult, Finding, RemediationStep
from iamfence.diagnostics import Severity

_TEMPLATES: dict[str, str] = {
    "IF700": "account {account} was not audited: {reason}",
    "IF701": "role {role_name} has no permissions boundary (expected {expected_boundary})",
    "IF702": "role {role_name} has permissions boundary {actual_boundary}, expected {expected_boundary}",
    "IF703": "user {user_name} has no permissions boundary (expected {expected_boundary})",
    "IF704": "permissions boundary policy {subject} does not exist in account {account}",
    "IF705": "default version {default_version} of {subject} differs from the expected boundary ({comparison}): {differences}",
    "IF706": "role {role_name} carries the boundary but is outside prefix '{role_prefix}'{role_path_note}",
    "IF707": "exemption for {subject} expired on {expires} (reason was: {reason})",
    "IF708": "user {user_name} has permissions boundary {actual_boundary}, expected {expected_boundary}",
    "IF710": "{actor} removed the permissions boundary of {subject} ({event_name} at {event_time} from {source_ip})",
    "IF711": "{actor} set {requested_boundary} as permissions boundary of {subject} ({event_name} at {event_time} from {source_ip})",
    "IF712": "{actor} changed versions of boundary policy {subject} ({event_name} {version_id} at {event_time} from {source_ip})",
    "IF713": "{actor} deleted boundary policy {subject} ({event_time} from {source_ip})",
    "IF714": "{actor} created {subject} without the permissions boundary ({event_name} at {event_time} from {source_ip})",
    "IF715": "{actor} was denied {event_name} on {subject} ({error_code} at {event_time} from {source_ip})",
    "IF716": "{actor} set the expected permissions boundary on {subject} ({event_name} at {event_time} from {source_ip})",
    "IF720": "the boundary grants {action} ({access_level}), added to the catalog since {baseline_catalog}: should the boundary restrict it?",
    "IF721": "the boundary grants {action} ({access_level}), added to the catalog since {baseline_catalog}: should the boundary restrict it?",
}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _text(value: object) -> str:
    if isinstance(value, tuple):
        return "; ".join(str(v) for v in value) if value else "-"
    return str(value)


def message(finding: Finding) -> str:
    values = _Blank({k: _text(v) for k, v in finding.evidence})
    values.update(subject=finding.subject_arn, account=finding.account)
    role_path = str(finding.get("role_path"))
    values["role_path_note"] = f" or path '{role_path}'" if role_path else ""
    template = _TEMPLATES.get(finding.code)
    if template is None:
        known = CODES.get(finding.code)
        return f"{known.summary if known else finding.code}: {finding.subject_arn}"
    return template.format_map(values)


def _evidence(finding: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {k: list(v) if isinstance(v, tuple) else v for k, v in finding.evidence}
    if finding.muted:
        out["mute_reason"] = finding.mute_reason
    return out


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "account": finding.account,
        "subject_arn": finding.subject_arn,
        "message": message(finding),
        "evidence": _evidence(finding),
        "muted": finding.muted,
    }


def report_document(result: AuditResult, fail_on: Severity = Severity.ERROR) -> dict[str, Any]:
    """`{"accounts": [...], "findings": [...], "summary": {...}}`."""
    summary = result.summary(fail_on)
    if result.trend is not None:
        summary["trend_fixed"] = [
            {"code": p.code, "account": p.account, "subject_arn": p.subject_arn}
            for p in result.trend.fixed
        ]
    if result.drift is not None:
        summary["catalog_added"] = [
            {"action": a, "access_level": lvl} for a, lvl in result.drift.added
        ]
    return {
        "accounts": [a.to_json() for a in result.accounts],
        "findings": [finding_json(f) for f in result.findings],
        "summary": summary,
    }


def render_json(result: AuditResult, fail_on: Severity = Severity.ERROR) -> str:
    # Compact: the C encoder (indent would use the pure-Python one, 10x slower at 100k findings).
    return json.dumps(report_document(result, fail_on), separators=(",", ":")) + "\n"


def render_csv(result: AuditResult, fail_on: Severity = Severity.ERROR) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["code", "severity", "account", "subject_arn", "message", "muted", "evidence"])
    for f in result.findings:
        row = [
            f.code,
            f.severity.value,
            f.account,
            f.subject_arn,
            message(f),
            str(f.muted).lower(),
            json.dumps(_evidence(f), sort_keys=True),
        ]
        # A cell starting with = + - @ is a formula in spreadsheets: quote it as text.
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
    return out.getvalue()


def _md(text: object) -> str:
    """Markdown table cell: escape pipes, HTML and newlines."""
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\n", " ")
    )


def render_markdown(
    result: AuditResult, fail_on: Severity = Severity.ERROR, limit: int = 5000
) -> str:
    s = result.summary(fail_on)
    by_sev: dict[str, int] = s["by_severity"]  # type: ignore[assignment]
    lines = [
        "# iamfence audit",
        "",
        f"- audit: `{result.audit_id}` started {result.started_at}",
        f"- expected boundary: `{_md(result.boundary_arn)}`",
        f"- accounts: {s['accounts_audited']} audited, {s['accounts_not_audited']} not audited",
        f"- findings: {s['findings']} ({by_sev['error']} error, {by_sev['warning']} warning, {by_sev['info']} info), {s['muted']} muted",
        f"- result: **{'compliant' if s['compliant'] else 'NOT compliant'}** (fail on {fail_on.value})",
    ]
    if result.trend is not None:
        c = result.trend.counts
        lines.append(
            f"- trend vs `{result.trend.previous_audit or 'none'}`: {c['new']} new, {c['fixed']} fixed, {c['unchanged']} unchanged"
        )
    lines += [
        "",
        "## Accounts",
        "",
        "| account | status | roles | users | findings | reason |",
        "|---|---|---|---|---|---|",
    ]
    for a in result.accounts:
        lines.append(
            f"| {a.account_id} | {a.status.value} | {a.roles} | {a.users} | {a.findings} | {_md(a.reason)} |"
        )
    lines += [
        "",
        "## Findings",
        "",
        "| code | severity | account | subject | message | muted |",
        "|---|---|---|---|---|---|",
    ]
    for f in result.findings[:limit]:
        muted = _md(f.mute_reason) if f.muted else ""
        lines.append(
            f"| {f.code} | {f.severity.value} | {f.account} | `{_md(f.subject_arn)}` | {_md(message(f))} | {muted} |"
        )
    if len(result.findings) > limit:
        lines.append(
            f"\n{len(result.findings) - limit} more findings: see the JSON, CSV or HTML report."
        )
    if result.drift is not None:
        lines += [
            "",
            f"## Catalog drift ({result.drift.baseline_version} -> {result.drift.current_version})",
            "",
        ]
        lines.append(
            f"{len(result.drift.added)} actions added; granted by the boundary (review: should the boundary restrict these?):"
        )
        for level, actions in result.drift.granted_by_level().items():
            lines.append(f"- {level}: {', '.join(f'`{a}`' for a in actions)}")
    return "\n".join(lines) + "\n"


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(result: AuditResult, fail_on: Severity = Severity.ERROR, version: str = "") -> str:
    """SARIF 2.1.0: one rule per IF7xx code, one result per finding; the subject ARN is a logical
    location; muted findings carry an external suppression with the exemption reason."""
    used = sorted({f.code for f in result.findings})
    rules = [
        {
            "id": code,
            "name": CODES[code].summary.title().replace(" ", "") if code in CODES else code,
            "shortDescription": {"text": CODES[code].summary if code in CODES else code},
            "defaultConfiguration": {
                "level": _SARIF_LEVEL[CODES[code].severity] if code in CODES else "warning"
            },
            "helpUri": f"https://github.com/iamfence/iamfence/blob/main/docs/codes.md#{code.lower()}",
        }
        for code in used
    ]
    index = {code: i for i, code in enumerate(used)}
    results = []
    for f in result.findings:
        item: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": message(f)},
            "locations": [
                {"logicalLocations": [{"fullyQualifiedName": f.subject_arn, "kind": "resource"}]}
            ],
            "partialFingerprints": {"iamfenceKey/v1": f.key},
            "properties": {"account": f.account, "evidence": _evidence(f)},
        }
        if f.muted:
            item["suppressions"] = [{"kind": "external", "justification": f.mute_reason}]
        results.append(item)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "iamfence",
                        "version": version,
                        "informationUri": "https://github.com/iamfence/iamfence",
                        "rules": rules,
                    }
                },
                "results": results,
                "properties": {"summary": result.summary(fail_on)},
            }
        ],
    }
    return json.dumps(doc, separators=(",", ":")) + "\n"


def render_text(result: AuditResult, fail_on: Severity = Severity.ERROR, limit: int = 50) -> str:
    """The terminal summary: counts, trend, the first findings."""
    s = result.summary(fail_on)
    by_sev: dict[str, int] = s["by_severity"]  # type: ignore[assignment]
    lines = [
        f"audit {result.audit_id}: {s['accounts_audited']} accounts audited, {s['accounts_not_audited']} not audited, {s['roles']} roles, {s['users']} users",
        f"findings: {s['findings']} ({by_sev['error']} error, {by_sev['warning']} warning, {by_sev['info']} info), {s['muted']} muted",
    ]
    if result.trend is not None:
        c = result.trend.counts
        lines.append(
            f"trend vs {result.trend.previous_audit or '(no previous audit)'}: {c['new']} new, {c['fixed']} fixed, {c['unchanged']} unchanged"
        )
    if result.drift is not None:
        lines.append(
            f"catalog drift {result.drift.baseline_version} -> {result.drift.current_version}: {len(result.drift.added)} actions added, {len(result.drift.granted)} granted by the boundary"
        )
    shown = [f for f in result.findings if not f.muted][:limit]
    lines += [f"  {f.severity.value:7} {f.code} {f.account} {message(f)}" for f in shown]
    hidden = s["findings"] - len(shown)  # type: ignore[operator]
    if hidden > 0:
        lines.append(f"  ... {hidden} more (use --format json|markdown|html|sarif|csv)")
    lines.append(
        "COMPLIANT" if s["compliant"] else f"NOT COMPLIANT (findings at or above {fail_on.value})"
    )
    return "\n".join(lines) + "\n"


def render_plan(steps: tuple[RemediationStep, ...], as_json: bool = False) -> str:
    if as_json:
        return json.dumps({"steps": [s.to_json() for s in steps]}, indent=2) + "\n"
    if not steps:
        return "nothing to remediate\n"
    lines = []
    for s in steps:
        verb = "attach" if s.action.value == "attach" else f"replace {s.current_boundary} with"
        tail = f" -> {s.outcome.value}" + (f": {s.detail}" if s.detail else "")
        lines.append(f"{s.account} {s.role_name}: {verb} {s.boundary_arn}{tail}")
    return "\n".join(lines) + "\n"


RENDERERS: dict[str, Callable[[AuditResult, Severity], str]] = {
    "json": render_json,
    "markdown": render_markdown,
    "csv": render_csv,
    "sarif": render_sarif,
    "text": render_text,
}

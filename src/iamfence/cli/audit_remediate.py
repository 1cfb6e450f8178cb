"""`iamfence remediate`: the plan (roles flagged IF701, and IF702 with --replace-other; muted
findings are left alone), and with --apply PutRolePermissionsBoundary on each, every role's
outcome reported. The plan comes from a JSON audit report, snapshot files or a live audit."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

from iamfence.cli.common import Exit, fail_invalid, write_text
from iamfence.errors import InvalidInputError

if TYPE_CHECKING:
    from iamfence.adapters.collect import Connection
    from iamfence.audit import Finding, RemediationStep


def _findings_from_report(path: str) -> list[Finding]:
    from iamfence.adapters.files import read_json_file
    from iamfence.audit import CODES, Finding
    from iamfence.diagnostics import Diagnostic, Location, Severity

    doc = read_json_file(path)  # unreadable, not JSON: IF50x, located
    pointer = "/findings"
    try:
        out = []
        for i, item in enumerate(doc["findings"]):
            pointer = f"/findings/{i}"
            evidence = tuple(
                (k, tuple(v) if isinstance(v, list) else v) for k, v in item["evidence"].items()
            )
            severity = (
                Severity(item["severity"])
                if item["code"] not in CODES
                else CODES[item["code"]].severity
            )
            out.append(
                Finding(
                    item["code"],
                    severity,
                    item["account"],
                    item["subject_arn"],
                    evidence,
                    bool(item["muted"]),
                )
            )
        return out
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        why = f"{exc} is missing" if isinstance(exc, KeyError) else str(exc)
        d = Diagnostic(
            "IF792",
            Severity.ERROR,
            f"not an iamfence audit JSON report: {why}",
            Location(path, pointer),
        )
        raise InvalidInputError((d,)) from None


def _findings_from_audit(
    snapshot: str | None,
    connection: Connection,
    org: bool,
    audit_role: str,
    config: Any,
    exemptions: Any,
    today: date,
) -> list[Finding]:
    from iamfence.cli.audit import Extras, Source, run_audit

    source = Source(snapshot, None if snapshot else connection, org, audit_role, 16)
    result = run_audit(
        source,
        config,
        Extras(None, False, None, None, None, False),
        None,
        "remediate",
        today,
        exemptions,
        quiet=True,
    )
    return list(result.findings)


def _apply(
    steps: tuple[RemediationStep, ...], connection: Connection, org: bool, audit_role: str
) -> tuple[RemediationStep, ...]:
    from botocore.exceptions import BotoCoreError, ClientError

    from iamfence.adapters.collect import Backoff, assume_role, caller_account, put_role_boundary
    from iamfence.audit import StepOutcome

    base = connection.session()
    own = caller_account(connection) if org else ""
    sessions: dict[str, Any] = {}
    done = []
    for step in steps:
        try:
            if org and step.account not in sessions and step.account != own:
                arn = f"arn:aws:iam::{step.account}:role/{audit_role}"
                sessions[step.account] = assume_role(base, connection, arn, Backoff())
            session = sessions.get(step.account, base)
            put_role_boundary(session, connection, step.role_name, step.boundary_arn)
            done.append(replace(step, outcome=StepOutcome.APPLIED))
        except (BotoCoreError, ClientError) as exc:
            done.append(replace(step, outcome=StepOutcome.FAILED, detail=str(exc)))
    return tuple(done)


def remediate(
    *,
    snapshot: str | None,
    report: str | None,
    connection: Connection,
    org: bool,
    audit_role: str,
    spec: str | None,
    boundary_arn: str | None,
    role_prefix: str | None,
    exemptions: str | None,
    replace_other: bool,
    apply: bool,
    today: date,
    output_format: str,
    output: str | None,
) -> None:
    from iamfence.audit import StepOutcome, apply_exemptions, plan
    from iamfence.cli.audit import _exemptions, expected_config, usage_error
    from iamfence.report.audit import render_plan

    if output_format not in ("text", "json"):
        usage_error("--format must be text or json")
    try:
        muting = _exemptions(exemptions)
        if report is not None:
            findings = apply_exemptions(_findings_from_report(report), muting, today)
        else:
            config = expected_config(spec, boundary_arn, None, role_prefix, False)
            findings = _findings_from_audit(
                snapshot, connection, org, audit_role, config, muting, today
            )
    except InvalidInputError as exc:
        fail_invalid(tuple(exc.diagnostics))  # type: ignore[arg-type]
    steps = plan(findings, replace_other)
    if apply and steps:
        sys.stderr.write("plan:\n" + render_plan(steps))  # the plan first, then the changes
        steps = _apply(steps, connection, org, audit_role)
    write_text(output, render_plan(steps, output_format == "json"))
    if any(s.outcome is StepOutcome.FAILED for s in steps):
        print(
            f"iamfence: {sum(s.outcome is StepOutcome.FAILED for s in steps)} roles could not be remediated",
            file=sys.stderr,
        )
        raise typer.Exit(Exit.TOOL_FAILURE)
    raise typer.Exit(Exit.DENIED if steps and not apply else Exit.OK)

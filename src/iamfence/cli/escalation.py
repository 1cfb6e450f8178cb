"""`iamfence escalation`: privilege-escalation paths in an account snapshot.

Exit codes: 0 no escalation found, 2 some principal can escalate, 3 invalid input."""

from __future__ import annotations

import enum
import sys

import typer

from iamfence.cli.common import Exit, fail_invalid, write_text
from iamfence.diagnostics import Diagnostic
from iamfence.errors import InvalidInputError


class EscalationFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    HTML = "html"


def escalation(
    snapshot: str = typer.Option(
        ..., "--snapshot", help="get-account-authorization-details output (.json or .json.gz)."
    ),
    principal: list[str] = typer.Option(
        [], "--principal", help="Only this user or role (name or ARN); repeatable."
    ),
    output_format: EscalationFormat = typer.Option(
        EscalationFormat.TEXT, "--format", help="text, json or html."
    ),
    output: str | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Find privilege-escalation paths: shortest routes to admin-equivalent principals, with the
    technique, request and deciding statements of every step."""
    from iamfence.account import load_snapshot
    from iamfence.adapters.files import read_json_file
    from iamfence.escalation import analyze
    from iamfence.report.escalation import render_html, render_json, render_text

    try:
        account = load_snapshot(read_json_file(snapshot), file=snapshot)
    except InvalidInputError as exc:
        fail_invalid([d for d in exc.diagnostics if isinstance(d, Diagnostic)])
    for d in account.diagnostics:
        print(str(d), file=sys.stderr)
    missing = [p for p in principal if account.principal(p) is None]
    if missing:
        print(f"{snapshot}: no user or role named {', '.join(missing)}", file=sys.stderr)
        raise typer.Exit(Exit.INVALID_INPUT)
    report = analyze(account, principals=tuple(principal) or None)
    renderer = {
        EscalationFormat.TEXT: render_text,
        EscalationFormat.JSON: render_json,
        EscalationFormat.HTML: render_html,
    }[output_format]
    write_text(output, renderer(report))
    raise typer.Exit(Exit.DENIED if report.escalating else Exit.OK)


def register(app: typer.Typer) -> None:
    app.command("escalation")(escalation)

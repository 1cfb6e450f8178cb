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
    scp: list[str] = typer.Option(
        [],
        "--scp",
        help="SCPs of one organization level (a policy or a JSON list of policies); repeat per "
        "level from the root down to the account.",
    ),
    compute: str | None = typer.Option(
        None,
        "--compute",
        help='Compute known to run as roles: JSON list of {"kind", "arn", "role_arn"}.',
    ),
) -> None:
    """Find privilege-escalation paths: shortest routes to admin-equivalent principals, with the
    technique, request and deciding statements of every step."""
    from iamfence.account import (
        load_snapshot,
        parse_compute,
        parse_scp_level,
        with_optional_inputs,
    )
    from iamfence.adapters.files import MAX_POLICY_FILE_BYTES, MAX_SNAPSHOT_BYTES, read_json_file
    from iamfence.escalation import analyze
    from iamfence.report.escalation import render_html, render_json, render_text

    def small(path: str) -> object:
        return read_json_file(path, max_bytes=MAX_POLICY_FILE_BYTES)

    try:
        account = load_snapshot(
            read_json_file(snapshot, max_bytes=MAX_SNAPSHOT_BYTES), file=snapshot
        )
        levels = [parse_scp_level(small(f), file=f, level=i) for i, f in enumerate(scp)]
        known = parse_compute(small(compute), file=compute) if compute else ()
        account = with_optional_inputs(account, scp_levels=levels, compute=known)
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


class CatalogFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


def escalation_techniques(
    output_format: CatalogFormat = typer.Option(
        CatalogFormat.TEXT, "--format", help="text, json or markdown."
    ),
    output: str | None = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """List the escalation technique catalog (ids, families, required actions, references)."""
    import json

    from iamfence.escalation import load_techniques, technique_schema
    from iamfence.report.escalation import render_techniques_markdown

    techniques = load_techniques()
    if output_format is CatalogFormat.MARKDOWN:
        text = render_techniques_markdown(techniques)
    elif output_format is CatalogFormat.JSON:
        text = json.dumps(
            [
                {
                    "id": t.id,
                    "family": t.family.value,
                    "title": t.title,
                    "actions": [{"action": a.action, "resource": a.resource} for a in t.actions],
                    "effect": t.effect.value,
                    "references": [r.url for r in t.references],
                }
                for t in techniques
            ],
            indent=2,
        )
        technique_schema()  # the catalog was validated against it on load
    else:
        text = "\n".join(f"{t.id}  {t.family.value}  {t.title}" for t in techniques)
    write_text(output, text)


def register(app: typer.Typer) -> None:
    app.command("escalation")(escalation)
    app.command("escalation-techniques")(escalation_techniques)

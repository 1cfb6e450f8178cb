"""`iamfence audit` (boundary compliance of an account, a folder of snapshots, or an Organization;
CloudTrail review; catalog drift; history with trend) and `iamfence remediate` (attach the boundary
to flagged roles: a plan by default, PutRolePermissionsBoundary with --apply)."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from iamfence.cli.common import Exit, fail_invalid, write_text
from iamfence.errors import InvalidInputError

if TYPE_CHECKING:
    from iamfence.account import AccountSnapshot
    from iamfence.adapters.collect import Connection
    from iamfence.adapters.store import HistoryStore
    from iamfence.audit import AuditBuilder, AuditConfig, AuditResult, CatalogSnapshot
    from iamfence.diagnostics import Severity
    from iamfence.model import PolicyDocument

FORMATS = ("text", "json", "markdown", "html", "sarif", "csv")


@dataclass(frozen=True, slots=True)
class Source:
    """Where accounts come from: snapshot files, one live account, or an Organization."""

    snapshot: str | None
    connection: Connection | None
    org: bool
    audit_role: str
    concurrency: int


@dataclass(frozen=True, slots=True)
class Outcome:
    account_id: str
    source: str
    snapshot: AccountSnapshot | None
    reason: str = ""


def usage_error(message: str) -> NoReturn:
    """A wrong option: one line on stderr, exit 3 (exit 2 means findings here)."""
    print(f"iamfence: {message}", file=sys.stderr)
    raise SystemExit(Exit.INVALID_INPUT)


def _now() -> datetime:
    return datetime.now(UTC)


def _severity(name: str) -> Severity:
    from iamfence.diagnostics import Severity

    try:
        return Severity(name.lower())
    except ValueError:
        usage_error(f"--fail-on must be error, warning or info, not {name!r}")


def _policy_file(path: str) -> PolicyDocument:
    from iamfence.cli.common import read_bytes
    from iamfence.model import PolicyType
    from iamfence.parse import load_policy

    return load_policy(read_bytes(path), kind=PolicyType.PERMISSIONS_BOUNDARY, file=path)


def expected_config(
    spec: str | None,
    boundary_arn: str | None,
    boundary_policy: str | None,
    role_prefix: str | None,
    check_users: bool,
) -> AuditConfig:
    """The expected boundary from the spec (a design per audited account) or the options."""
    from functools import lru_cache

    from iamfence.audit import AuditConfig

    if spec is None and boundary_arn is None:
        usage_error("give --spec SPEC or --boundary-arn ARN")
    expected_document = _policy_file(boundary_policy) if boundary_policy else None
    if spec is None:
        assert boundary_arn is not None
        return AuditConfig(
            boundary_arn, expected_document, role_prefix, None, check_users, _semantic_diff()
        )
    from iamfence.cli.design import load_design

    design = load_design(spec)

    @lru_cache(maxsize=64)
    def document_for(account: str) -> PolicyDocument | None:
        return load_design(spec, account).boundary_policy if account else design.boundary_policy

    return AuditConfig(
        boundary_arn or design.boundary_policy_arn,
        expected_document or design.boundary_policy,
        role_prefix or design.role_prefix,
        design.role_path or None,
        check_users,
        _semantic_diff(),
        None if expected_document else document_for,
    )


def _semantic_diff() -> Callable[[PolicyDocument, PolicyDocument], tuple[str, ...]] | None:
    """The prover's semantic diff (iamfence.symbolic.diff) when it is installed: what the actual
    boundary allows that the expected one does not, and the reverse, each with an example request
    replayed through the engine; undecided classes are listed as such (never read as equal)."""
    from functools import lru_cache
    from importlib.util import find_spec

    if find_spec("z3") is None or find_spec("iamfence.symbolic.diff") is None:
        return None

    @lru_cache(maxsize=16)
    def diff(expected: PolicyDocument, actual: PolicyDocument) -> tuple[str, ...]:
        # Imported on first use: z3 loads only when a boundary actually drifted.
        from iamfence.catalog import load_catalog
        from iamfence.model import NamedPolicy, PolicyType
        from iamfence.symbolic import Direction
        from iamfence.symbolic.diff import diff_policies

        catalog = load_catalog()
        kind = PolicyType.PERMISSIONS_BOUNDARY
        result = diff_policies(
            NamedPolicy("expected", expected, kind), NamedPolicy("actual", actual, kind), catalog
        )
        lines: list[str] = []
        for direction, text in (
            (Direction.ADDED, "allowed by the actual boundary, not by the expected one"),
            (Direction.REMOVED, "allowed by the expected boundary, not by the actual one"),
        ):
            for entry in result.changes(direction):
                names = entry.action_class.actions
                more = f" and {len(names) - 3} more" if len(names) > 3 else ""
                example = (
                    f" (e.g. {entry.example.action} on {entry.example.resource})"
                    if entry.example
                    else ""
                )
                lines.append(f"{', '.join(names[:3])}{more}: {text}{example}")
        for entry in result.unknown():
            lines.append(f"{entry.action_class.representative}: undecided ({entry.reason})")
        return tuple(lines)

    return diff


def _snapshot_files(path: str) -> list[Path]:
    root = Path(path)
    if root.is_dir():
        found = sorted(
            p for p in root.iterdir() if p.is_file() and p.name.endswith((".json", ".json.gz"))
        )
        if not found:  # auditing nothing must not pass as "compliant"
            from iamfence.adapters.files import CANNOT_READ
            from iamfence.diagnostics import Diagnostic, Location, Severity

            message = "no snapshot files (.json, .json.gz) in this folder"
            raise InvalidInputError(
                (Diagnostic(CANNOT_READ, Severity.ERROR, message, Location(path)),)
            )
        return found
    return [root]


def _from_files(path: str, expected_for: Callable[[str], str]) -> Iterator[Outcome]:
    from iamfence.account import load_snapshot
    from iamfence.adapters.collect import account_of_pages, audit_view
    from iamfence.adapters.files import MAX_SNAPSHOT_BYTES, read_json_file

    for file in _snapshot_files(path):
        data = read_json_file(str(file), max_bytes=MAX_SNAPSHOT_BYTES)
        if isinstance(data, dict | list):
            pages = data if isinstance(data, list) else [data]
            view, _ = audit_view(pages, expected_for(account_of_pages(pages)))
            data = view if isinstance(data, list) else view[0]
        snapshot = load_snapshot(data, file=str(file))
        yield Outcome(snapshot.account_id, str(file), snapshot)


def _live(source: Source, config: AuditConfig) -> tuple[int, Iterator[Outcome]]:
    from iamfence.adapters.collect import (
        caller_account,
        collect_account,
        collect_organization,
        list_accounts,
    )

    conn = source.connection
    assert conn is not None
    if not source.org:
        snapshot = collect_account(conn.session(), conn, config.boundary_arn_for)
        return 1, iter([Outcome(snapshot.account_id, "live", snapshot)])
    accounts = list_accounts(conn.session(), conn)
    items = collect_organization(
        conn,
        source.audit_role,
        config.boundary_arn_for,
        concurrency=source.concurrency,
        accounts=accounts,
        own_account=caller_account(conn),
    )
    return len(accounts), (
        Outcome(c.account.account_id, f"org:{source.audit_role}", c.snapshot, c.reason)
        for c in items
    )


def _outcomes(source: Source, config: AuditConfig) -> tuple[int, Iterator[Outcome]]:
    if source.snapshot is not None:
        return len(_snapshot_files(source.snapshot)), _from_files(
            source.snapshot, config.boundary_arn_for
        )
    return _live(source, config)


def _collect(
    source: Source, builder: AuditBuilder, store: HistoryStore | None, audit_id: str, quiet: bool
) -> PolicyDocument | None:
    """Audit account by account (progress on stderr); store each account as it finishes. Returns
    the first audited account's actual boundary document (for catalog drift)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    total, outcomes = _outcomes(source, builder.config)
    actual: PolicyDocument | None = None
    console = Console(file=sys.stderr)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True, disable=quiet) as progress:
        task = progress.add_task("auditing accounts", total=total)
        for outcome in outcomes:
            if outcome.snapshot is None:
                found = builder.add_unaudited(outcome.account_id, outcome.reason, outcome.source)
            else:
                found = builder.add_snapshot(outcome.snapshot, outcome.source)
                if actual is None:
                    policy = outcome.snapshot.policy(
                        builder.config.boundary_arn_for(outcome.account_id)
                    )
                    actual = policy.document if policy is not None else None
            if store is not None:
                store.add_account(audit_id, builder.accounts[-1], found)
            progress.update(task, advance=1, description=f"audited {outcome.account_id}")
    return actual


def _trail_records(
    trail: str | None,
    lookup: bool,
    conn: Connection | None,
    since: datetime | None,
    until: datetime | None,
) -> Iterator[Any]:
    from iamfence.adapters import cloudtrail

    if trail is not None and trail.startswith("s3://"):
        c = conn or _connection(None, None, None)
        yield from cloudtrail.read_s3(trail, c.session(), c.endpoint_url)
    elif trail is not None:
        yield from cloudtrail.read_path(trail)
    if lookup:
        c = conn or _connection(None, None, None)
        yield from cloudtrail.read_lookup(c.session(), since, until, c.endpoint_url)


def _connection(profile: str | None, region: str | None, endpoint_url: str | None) -> Connection:
    from iamfence.adapters.collect import Connection

    return Connection(profile, region, endpoint_url)


def _time(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    from iamfence.audit.cloudtrail import parse_time

    parsed = parse_time(value if "T" in value else f"{value}T00:00:00Z")
    if parsed is None:
        usage_error(f"{name} must be an ISO date or time, e.g. 2026-11-01 or 2026-11-01T00:00:00Z")
    return parsed


def _day(today: str | None) -> date:
    """--today as a date (default: today, UTC); a wrong one is a usage error (exit 3)."""
    if today is None:
        return _now().date()
    try:
        return date.fromisoformat(today)
    except ValueError:
        usage_error(f"--today must be a YYYY-MM-DD date, not {today!r}")


def _exemptions(path: str | None) -> tuple[Any, ...]:
    if path is None:
        return ()
    from iamfence.audit import exemptions_from_data
    from iamfence.cli.common import read_yaml

    found, problems = exemptions_from_data(read_yaml(path), path)
    if problems:
        fail_invalid(problems)
    return found


def _baseline(
    path: str | None, store: HistoryStore | None, scope: str, audit_id: str
) -> CatalogSnapshot | None:
    from iamfence.audit import CatalogSnapshot

    if path is None:
        return store.previous_catalog(scope, exclude=audit_id) if store is not None else None
    from iamfence.adapters.files import read_json_file
    from iamfence.audit.drift import snapshot_of_catalog
    from iamfence.catalog import Catalog

    data = read_json_file(path)
    mine = CatalogSnapshot.from_json(data) if isinstance(data, dict) else None
    return mine if mine is not None else snapshot_of_catalog(Catalog.from_snapshot(data, path))


@dataclass(frozen=True, slots=True)
class Extras:
    trail: str | None
    trail_lookup: bool
    since: datetime | None
    until: datetime | None
    catalog_baseline: str | None
    drift: bool
    connection: Connection | None = None
    """For CloudTrail in S3 or LookupEvents (--profile/--region/--endpoint-url)."""


def run_audit(
    source: Source,
    config: AuditConfig,
    extras: Extras,
    store: HistoryStore | None,
    scope: str,
    today: date,
    exemptions: tuple[Any, ...] = (),
    quiet: bool = False,
) -> AuditResult:
    from iamfence.audit import (
        AuditBuilder,
        TrailWindow,
        catalog_drift,
        drift_findings,
        review_records,
    )
    from iamfence.audit.drift import snapshot_of_catalog
    from iamfence.audit.exemptions import expired_findings
    from iamfence.catalog import load_catalog

    started = _now()
    audit_id = f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
    if store is not None:
        store.begin_audit(audit_id, scope, started.isoformat(), config.boundary_arn)
    builder = AuditBuilder(config, today, exemptions)
    actual = _collect(source, builder, store, audit_id, quiet)
    extra = []
    if extras.trail is not None or extras.trail_lookup:
        records = _trail_records(
            extras.trail, extras.trail_lookup, extras.connection, extras.since, extras.until
        )
        extra += builder.add_findings(
            list(
                review_records(
                    records, config.boundary_arn_for, TrailWindow(extras.since, extras.until)
                )
            )
        )
    current = snapshot_of_catalog(load_catalog()) if extras.drift else None
    baseline = (
        _baseline(extras.catalog_baseline, store, scope, audit_id) if current is not None else None
    )
    drift = None
    if current is not None and baseline is not None:
        drift = catalog_drift(baseline, current, config.expected_document_for("") or actual)
        extra += builder.add_findings(drift_findings(drift, "", config.boundary_arn))
    previous = None
    if store is not None:
        prev_id = store.previous_audit(scope, exclude=audit_id)
        previous = (prev_id or "", store.findings_of(prev_id) if prev_id else ())
        store.add_findings(audit_id, extra + expired_findings(exemptions, today))
    result = builder.build(
        audit_id, started.isoformat(), previous, drift, current.version if current else ""
    )
    if store is not None:
        store.finish_audit(audit_id, _now().isoformat(), result.summary(), current)
    return result


def render(result: AuditResult, output_format: str, fail_on: Severity) -> str:
    from iamfence import __version__
    from iamfence.report.audit import RENDERERS, render_sarif
    from iamfence.report.audit_html import render_html

    if output_format == "html":
        return render_html(result, fail_on)
    if output_format == "sarif":
        return render_sarif(result, fail_on, __version__)
    return RENDERERS[output_format](result, fail_on)


def audit_command(
    snapshot: str | None = typer.Option(
        None,
        "--snapshot",
        help="get-account-authorization-details output: a file, or a folder with one file per account.",
    ),
    profile: str | None = typer.Option(None, "--profile", help="AWS profile (live audit)."),
    region: str | None = typer.Option(None, "--region", help="AWS region (live audit)."),
    endpoint_url: str | None = typer.Option(
        None, "--endpoint-url", help="AWS endpoint URL (e.g. a moto sandbox)."
    ),
    org: bool = typer.Option(False, "--org", help="Audit every account of the Organization."),
    audit_role: str = typer.Option(
        "OrganizationAccountAccessRole",
        "--audit-role",
        help="Role assumed in each account with --org.",
    ),
    concurrency: int = typer.Option(
        16, "--concurrency", min=1, max=256, help="Accounts audited at once with --org."
    ),
    spec: str | None = typer.Option(
        None, "--spec", help="The boundary spec: expected boundary, document and role prefix."
    ),
    boundary_arn: str | None = typer.Option(
        None, "--boundary-arn", help="Expected boundary ARN (${AccountId} allowed)."
    ),
    boundary_policy: str | None = typer.Option(
        None, "--boundary-policy", help="Expected boundary document (JSON file)."
    ),
    role_prefix: str | None = typer.Option(
        None, "--role-prefix", help="Developer role name prefix."
    ),
    check_users: bool = typer.Option(
        True, "--check-users/--no-check-users", help="Check users for the boundary too."
    ),
    exemptions: str | None = typer.Option(
        None, "--exemptions", help="Exemptions file (YAML/JSON: subject, reason, expires, codes)."
    ),
    cloudtrail: str | None = typer.Option(
        None, "--cloudtrail", help="CloudTrail logs: a folder/file or s3://bucket/prefix."
    ),
    cloudtrail_lookup: bool = typer.Option(
        False, "--cloudtrail-lookup", help="Review IAM events through LookupEvents (us-east-1)."
    ),
    since: str | None = typer.Option(
        None, "--since", help="CloudTrail events from this time (ISO)."
    ),
    until: str | None = typer.Option(
        None, "--until", help="CloudTrail events before this time (ISO)."
    ),
    catalog_baseline: str | None = typer.Option(
        None, "--catalog-baseline", help="Compare the catalog against this older snapshot."
    ),
    drift: bool = typer.Option(
        True, "--drift/--no-drift", help="Record the catalog and report catalog drift."
    ),
    db: str | None = typer.Option(
        None, "--db", help="History: a SQLite path or postgresql://... (default: user data folder)."
    ),
    history: bool = typer.Option(
        True, "--history/--no-history", help="Record this audit and show the trend."
    ),
    scope: str = typer.Option(
        "default", "--scope", help="History scope: the trend compares audits of the same scope."
    ),
    today: str | None = typer.Option(
        None, "--today", help="The date exemptions expire against (default: today, UTC)."
    ),
    fail_on: str = typer.Option(
        "error",
        "--fail-on",
        help="Exit 2 when an unmuted finding is at or above: error, warning, info.",
    ),
    output_format: str = typer.Option(
        "text", "--format", help="text, json, markdown, html, sarif or csv."
    ),
    output: str | None = typer.Option(
        None, "-o", "--output", help="Write the report to this file."
    ),
) -> None:
    """Audit boundary compliance; exit 0 compliant, 2 findings at or above --fail-on."""
    if output_format not in FORMATS:
        usage_error(f"--format must be one of {', '.join(FORMATS)}")
    threshold = _severity(fail_on)
    store = None
    try:
        config = expected_config(spec, boundary_arn, boundary_policy, role_prefix, check_users)
        conn = None if snapshot else _connection(profile, region, endpoint_url)
        source = Source(snapshot, conn, org, audit_role, concurrency)
        extras = Extras(
            cloudtrail,
            cloudtrail_lookup,
            _time(since, "--since"),
            _time(until, "--until"),
            catalog_baseline,
            drift,
            _connection(profile, region, endpoint_url),
        )
        day = _day(today)
        if history:
            from iamfence.adapters.store import HistoryStore

            store = HistoryStore.open(db)
        result = run_audit(source, config, extras, store, scope, day, _exemptions(exemptions))
    except InvalidInputError as exc:
        fail_invalid(tuple(exc.diagnostics) or (str(exc),))  # type: ignore[arg-type]
    finally:
        if store is not None:
            store.close()
    text = render(result, output_format, threshold)
    write_text(output, text)
    if output is not None and output_format != "text":
        sys.stderr.write(render(result, "text", threshold))
    raise typer.Exit(Exit.DENIED if result.failing(threshold) else Exit.OK)


def remediate_command(
    snapshot: str | None = typer.Option(
        None, "--snapshot", help="Plan from snapshot files instead of the live account."
    ),
    report: str | None = typer.Option(None, "--report", help="Plan from a JSON audit report."),
    profile: str | None = typer.Option(None, "--profile", help="AWS profile."),
    region: str | None = typer.Option(None, "--region", help="AWS region."),
    endpoint_url: str | None = typer.Option(
        None, "--endpoint-url", help="AWS endpoint URL (e.g. a moto sandbox)."
    ),
    org: bool = typer.Option(False, "--org", help="Every account of the Organization."),
    audit_role: str = typer.Option(
        "OrganizationAccountAccessRole",
        "--audit-role",
        help="Role assumed in each account with --org.",
    ),
    spec: str | None = typer.Option(None, "--spec", help="The boundary spec."),
    boundary_arn: str | None = typer.Option(
        None, "--boundary-arn", help="Expected boundary ARN (${AccountId} allowed)."
    ),
    role_prefix: str | None = typer.Option(
        None, "--role-prefix", help="Developer role name prefix."
    ),
    exemptions: str | None = typer.Option(
        None, "--exemptions", help="Exemptions file: exempted roles are left alone."
    ),
    replace_other: bool = typer.Option(
        False,
        "--replace-other",
        help="Also replace another boundary (IF702) with the expected one.",
    ),
    apply: bool = typer.Option(
        False, "--apply", help="Apply the plan (PutRolePermissionsBoundary)."
    ),
    today: str | None = typer.Option(None, "--today", help="The date exemptions expire against."),
    output_format: str = typer.Option("text", "--format", help="text or json."),
    output: str | None = typer.Option(
        None, "-o", "--output", help="Write the plan or results here."
    ),
) -> None:
    """Attach the expected boundary to flagged roles: shows the plan; --apply carries it out.
    Exit 0 nothing to do or all applied, 2 a plan not applied, 1 a step failed."""
    from iamfence.cli.audit_remediate import remediate

    remediate(
        snapshot=snapshot,
        report=report,
        connection=_connection(profile, region, endpoint_url),
        org=org,
        audit_role=audit_role,
        spec=spec,
        boundary_arn=boundary_arn,
        role_prefix=role_prefix,
        exemptions=exemptions,
        replace_other=replace_other,
        apply=apply,
        today=_day(today),
        output_format=output_format,
        output=output,
    )


def register(app: typer.Typer) -> None:
    app.command("audit")(audit_command)
    app.command("remediate")(remediate_command)

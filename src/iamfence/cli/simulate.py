"""`iamfence simulate`: decide one request given on the command line, or every case of a
request/case file (docs/request-format.md).

Organization levels: each `--scp` (or `--rcp`) option is one level, given from the root down to
the account; several policies attached at one level are comma-separated in one option, e.g.
`--scp root-full.json --scp ou-guard.json,ou-extra.json --scp acct.json`.

Exit codes: 0 allowed (or, with cases carrying `expect`, every case agrees), 2 denied (or a case
differs from its expected decision), 3 invalid input, 4 indeterminate."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass

import typer

from iamfence.cli.common import Exit, fail_invalid, read_bytes, write_text
from iamfence.diagnostics import Diagnostic, Location, Severity
from iamfence.engine import CompiledPolicySet, Decision, PolicySet, compile_policies
from iamfence.model import ContextValue, NamedPolicy, PolicyType, Request
from iamfence.parse import parse_policy
from iamfence.parse.cases import Case, read_cases, typed_context
from iamfence.parse.scanner import JsonValue
from iamfence.report.decision import DecisionRow, render_json, render_jsonl, render_text


class SimulateFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    JSONL = "jsonl"


def _policy(path: str, kind: PolicyType) -> NamedPolicy:
    result = parse_policy(read_bytes(path), kind=kind, file=path)
    if result.document is None:
        fail_invalid([d for d in result.diagnostics if d.severity is Severity.ERROR])
    return NamedPolicy(path, result.document, kind)


def _levels(options: list[str], kind: PolicyType) -> tuple[tuple[NamedPolicy, ...], ...]:
    return tuple(
        tuple(_policy(p.strip(), kind) for p in option.split(",") if p.strip())
        for option in options
    )


def _context(pairs: list[str]) -> tuple[tuple[str, ContextValue], ...]:
    items: list[tuple[str, JsonValue]] = []
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            fail_invalid([_arg_error(f"--context {pair!r}: expected KEY=VALUE")])
        try:
            raw: JsonValue = json.loads(text)
        except ValueError:
            raw = text
        items.append((key, raw))
    context, diagnostics = typed_context(items, "--context")
    if diagnostics:
        fail_invalid(diagnostics)
    return context


def _arg_error(message: str) -> Diagnostic:
    return Diagnostic("IF000", Severity.ERROR, message, Location("<command line>"))


def _exit_code(rows: list[DecisionRow]) -> int:
    if any(r.expect is not None for r in rows):
        return Exit.DENIED if any(r.agrees is False for r in rows) else Exit.OK
    if any(r.result.decision.denied for r in rows):
        return Exit.DENIED
    if any(r.result.decision is Decision.INDETERMINATE for r in rows):
        return Exit.UNKNOWN
    return Exit.OK


def _decide(cases: list[Case]) -> list[DecisionRow]:
    rows = []
    compiled: dict[int, CompiledPolicySet] = {}
    for case in cases:
        key = id(case.policies)
        cps = compiled.get(key)
        if cps is None:
            cps = compiled[key] = compile_policies(case.policies)
        result = cps.authorize(case.request, explain=True)
        rows.append(DecisionRow(case.id, case.request, result, case.expect))
    return rows


@dataclass(frozen=True, slots=True)
class _PolicyFlags:
    identity: list[str]
    permissions_boundary: str | None
    session: list[str]
    resource_policy: str | None
    resource_account: str | None
    scp: list[str]
    rcp: list[str]
    management_account: str | None


def _policies(flags: _PolicyFlags, request: Request) -> PolicySet:
    trust = request.action.lower().startswith("sts:assumerole") and ":role/" in request.resource
    boundary = flags.permissions_boundary
    return PolicySet(
        identity=tuple(_policy(p, PolicyType.IDENTITY) for p in flags.identity),
        permissions_boundary=_policy(boundary, PolicyType.PERMISSIONS_BOUNDARY)
        if boundary
        else None,
        session=tuple(_policy(p, PolicyType.SESSION) for p in flags.session),
        resource=_policy(flags.resource_policy, PolicyType.TRUST if trust else PolicyType.RESOURCE)
        if flags.resource_policy
        else None,
        resource_account=flags.resource_account,
        scp=_levels(flags.scp, PolicyType.SCP),
        rcp=_levels(flags.rcp, PolicyType.RCP),
        management_account=flags.management_account,
    )


def _load_cases(path: str) -> list[Case]:
    loaded = read_cases(read_bytes(path), path)
    if not loaded.ok:
        fail_invalid([d for d in loaded.diagnostics if d.severity is Severity.ERROR])
    return list(loaded.cases)


def _render(rows: list[DecisionRow], output_format: SimulateFormat, explain: bool) -> str:
    if output_format is SimulateFormat.JSON:
        return render_json(rows)
    if output_format is SimulateFormat.JSONL:
        return render_jsonl(rows)
    return render_text(rows, explain=explain)


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    def simulate(
        identity: list[str] = typer.Option(
            [], "--identity", help="Identity-based policy file (repeatable)."
        ),
        permissions_boundary: str | None = typer.Option(
            None, "--permissions-boundary", help="Permissions boundary policy file."
        ),
        session: list[str] = typer.Option(
            [], "--session", help="Session policy file (repeatable)."
        ),
        resource_policy: str | None = typer.Option(
            None, "--resource-policy", help="Resource-based (or role trust) policy file."
        ),
        resource_account: str | None = typer.Option(
            None, "--resource-account", help="Account that owns the resource."
        ),
        scp: list[str] = typer.Option(
            [], "--scp", help="One SCP level (root first); comma-separate policies of one level."
        ),
        rcp: list[str] = typer.Option(
            [], "--rcp", help="One RCP level (root first); comma-separate policies of one level."
        ),
        management_account: str | None = typer.Option(
            None, "--management-account", help="The organization's management account."
        ),
        principal: str | None = typer.Option(
            None, "--principal", help="Principal ARN (user, role session, ...)."
        ),
        action: str | None = typer.Option(None, "--action", help="Action, e.g. s3:GetObject."),
        resource: str = typer.Option("*", "--resource", help="Resource ARN (default *)."),
        context: list[str] = typer.Option(
            [], "--context", help="KEY=VALUE (repeatable); VALUE read as JSON when it parses."
        ),
        cases: str | None = typer.Option(
            None, "--cases", help="Request/case file: one object, a JSON array, or JSON lines."
        ),
        output_format: SimulateFormat = typer.Option(
            SimulateFormat.TEXT, "--format", help="text, json or jsonl."
        ),
        explain: bool = typer.Option(
            False, "--explain", help="Show per-statement and per-condition results."
        ),
        output: str | None = typer.Option(
            None, "--output", "-o", help="Write to a file instead of stdout."
        ),
    ) -> None:
        """Decide requests as AWS would, and say why."""
        if cases is not None:
            case_list = _load_cases(cases)
        else:
            if principal is None or action is None:
                fail_invalid([_arg_error("give --principal and --action (or --cases FILE)")])
            request = Request(principal, action, resource, _context(context))
            flags = _PolicyFlags(
                identity,
                permissions_boundary,
                session,
                resource_policy,
                resource_account,
                scp,
                rcp,
                management_account,
            )
            case_list = [Case("request", request, _policies(flags, request))]
        rows = _decide(case_list)
        write_text(output, _render(rows, output_format, explain))
        raise typer.Exit(_exit_code(rows))

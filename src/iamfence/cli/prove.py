"""`iamfence prove` (escalation properties of a boundary design, proven with z3) and `iamfence diff`
(what one policy allows that another does not). z3 is imported inside the commands."""

from __future__ import annotations

import enum
import re
import sys
from typing import TYPE_CHECKING

import typer

from iamfence.cli.common import Exit, fail_invalid, read_bytes, write_text
from iamfence.cli.design import load_design
from iamfence.diagnostics import Diagnostic, Location, Severity
from iamfence.errors import InvalidInputError

if TYPE_CHECKING:
    from iamfence.model import NamedPolicy, PolicyType
    from iamfence.symbolic import ProofReport, Subject


_POLICY_ARN = re.compile(r"^arn:[a-z-]+:iam::[0-9]{12}:policy/\S+$")


class ProofFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    MARKDOWN = "markdown"


class DiffFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


class PolicyKind(enum.StrEnum):
    IDENTITY = "identity"
    BOUNDARY = "boundary"
    SCP = "scp"
    SESSION = "session"


def _usage(message: str) -> Diagnostic:
    return Diagnostic("IF000", Severity.ERROR, message, Location("<command line>"))


def _policy(path: str, kind: PolicyType, name: str | None = None) -> NamedPolicy:
    from iamfence.model import NamedPolicy
    from iamfence.parse import load_policy

    data = read_bytes(path)
    file = "<stdin>" if path == "-" else path
    try:
        document = load_policy(data, kind=kind, file=file)
    except InvalidInputError as exc:
        fail_invalid(list(exc.diagnostics))  # type: ignore[arg-type]  # carries Diagnostics
    return NamedPolicy(name or file, document, kind)


def _spec_subject(
    spec_path: str, principal: str | None, scp: tuple[tuple[NamedPolicy, ...], ...]
) -> Subject:
    from iamfence.symbolic import subject_from_design

    return subject_from_design(load_design(spec_path, announce="prove"), principal, scp)


def _hand_subject(
    identity: list[str],
    boundary: str | None,
    boundary_arn: str | None,
    role_prefix: str | None,
    principal: str | None,
    developer_policy_arn: str | None,
    protected_tags: list[str],
    scp: tuple[tuple[NamedPolicy, ...], ...],
) -> Subject:
    from iamfence.model import PolicyType
    from iamfence.symbolic import subject

    if not identity or not boundary or not boundary_arn or not role_prefix:
        message = (
            "give a SPEC, or --identity FILE, --permissions-boundary FILE, --boundary-arn ARN "
            "and --role-prefix PREFIX"
        )
        fail_invalid([_usage(message)])
    arns = (("--boundary-arn", boundary_arn), ("--developer-policy-arn", developer_policy_arn))
    for option, arn in arns:
        if arn is not None and not _POLICY_ARN.match(arn):
            message = f"{option}: {arn!r} is not a policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)"
            fail_invalid([_usage(message)])
    account = boundary_arn.split(":")[4] if boundary_arn.count(":") >= 5 else ""
    who = principal or f"arn:aws:iam::{account}:role/iamfence-developer"
    policies = tuple(_policy(p, PolicyType.IDENTITY) for p in identity)
    pb = _policy(boundary, PolicyType.PERMISSIONS_BOUNDARY, boundary_arn) if boundary else None
    return subject(
        identity=policies,
        permissions_boundary=pb,
        boundary_arn=boundary_arn,
        role_prefix=role_prefix,
        principal=who,
        developer_has_boundary=True,
        developer_policy_arn=developer_policy_arn,
        protected_tag_keys=tuple(protected_tags),
        scp=scp,
    )


def _render(report: ProofReport, fmt: ProofFormat) -> str:
    from iamfence import __version__
    from iamfence.report import proof

    match fmt:
        case ProofFormat.JSON:
            return proof.render_proof_json(report)
        case ProofFormat.SARIF:
            return proof.render_proof_sarif(report, __version__)
        case ProofFormat.MARKDOWN:
            return proof.render_proof_markdown(report)
        case _:
            return proof.render_proof_text(report)


def prove_command(
    spec: str | None = typer.Argument(None, help="Boundary spec (YAML); or give policies by hand."),
    identity: list[str] = typer.Option([], "--identity", help="Developer identity policy file."),
    permissions_boundary: str | None = typer.Option(
        None, "--permissions-boundary", help="Boundary policy file (the developer carries it)."
    ),
    boundary_arn: str | None = typer.Option(None, "--boundary-arn", help="The boundary's ARN."),
    role_prefix: str | None = typer.Option(None, "--role-prefix", help="Role name prefix."),
    principal: str | None = typer.Option(None, "--principal", help="The developer's ARN."),
    developer_policy_arn: str | None = typer.Option(
        None, "--developer-policy-arn", help="The developer policy's ARN (adds its edit property)."
    ),
    protected_tag: list[str] = typer.Option([], "--protected-tag", help="Protected tag key."),
    scp: list[str] = typer.Option(
        [], "--scp", help="SCP file, one per organization level from the root to the account."
    ),
    fmt: ProofFormat = typer.Option(ProofFormat.TEXT, "--format", help="Output format."),
    timeout: float = typer.Option(5.0, "--timeout", help="Seconds per solver query."),
    output: str | None = typer.Option(None, "-o", "--output", help="File (default stdout)."),
) -> None:
    """Prove that the developer and the roles it creates cannot escape the boundary.
    Exit 0: every property holds; 2: one is violated (with a counterexample); 4: undecided."""
    from iamfence.model import PolicyType
    from iamfence.symbolic import Verdict, escalation_properties, prove_properties

    levels = tuple((_policy(path, PolicyType.SCP),) for path in scp)
    if spec is not None:
        subject_ = _spec_subject(spec, principal, levels)
    else:
        subject_ = _hand_subject(
            identity,
            permissions_boundary,
            boundary_arn,
            role_prefix,
            principal,
            developer_policy_arn,
            protected_tag,
            levels,
        )
    report = prove_properties(escalation_properties(subject_), timeout=timeout)
    write_text(output, _render(report, fmt))
    if fmt is not ProofFormat.TEXT:  # the machine formats carry no prose: reasons go to the log
        for p in report.properties:
            if p.verdict is Verdict.UNKNOWN:
                print(f"iamfence prove: {p.id} unknown: {p.reason}", file=sys.stderr)
    verdict = report.verdict
    if verdict is Verdict.VIOLATED:
        raise typer.Exit(Exit.DENIED)
    if verdict is Verdict.UNKNOWN:
        raise typer.Exit(Exit.UNKNOWN)


def diff_command(
    old: str = typer.Argument(..., help="The policy before the change."),
    new: str = typer.Argument(..., help="The policy after the change."),
    kind: PolicyKind = typer.Option(PolicyKind.IDENTITY, "--kind", help="What the files are."),
    principal: str | None = typer.Option(None, "--principal", help="Whose requests (an ARN)."),
    fmt: DiffFormat = typer.Option(DiffFormat.TEXT, "--format", help="Output format."),
    timeout: float = typer.Option(5.0, "--timeout", help="Seconds per solver query."),
    output: str | None = typer.Option(None, "-o", "--output", help="File (default stdout)."),
    unlisted: bool = typer.Option(
        False, "--unlisted-actions", help="Also compare actions the catalog does not list."
    ),
) -> None:
    """What NEW allows that OLD does not, and the reverse, per action class with an example.
    Exit 0: no new access (a proof); 2: new access; 4: undecided."""
    from iamfence.catalog import load_catalog
    from iamfence.model import PolicyType
    from iamfence.report import proof
    from iamfence.symbolic.diff import DEFAULT_PRINCIPAL, diff_policies
    from iamfence.symbolic.types import Direction

    ptype = {
        PolicyKind.IDENTITY: PolicyType.IDENTITY,
        PolicyKind.BOUNDARY: PolicyType.PERMISSIONS_BOUNDARY,
        PolicyKind.SCP: PolicyType.SCP,
        PolicyKind.SESSION: PolicyType.SESSION,
    }[kind]
    result = diff_policies(
        _policy(old, ptype),
        _policy(new, ptype),
        load_catalog(),
        principal=principal or DEFAULT_PRINCIPAL,
        timeout=timeout,
        unlisted=unlisted,
    )
    match fmt:
        case DiffFormat.JSON:
            text = proof.render_diff_json(result)
        case DiffFormat.MARKDOWN:
            text = proof.render_diff_markdown(result)
        case _:
            text = proof.render_diff_text(result)
    write_text(output, text)
    if result.changes(Direction.ADDED):
        raise typer.Exit(Exit.DENIED)
    if not result.no_new_access:
        print("iamfence diff: some action classes could not be decided", file=sys.stderr)
        raise typer.Exit(Exit.UNKNOWN)


def register(app: typer.Typer) -> None:
    app.command("prove")(prove_command)
    app.command("diff")(diff_command)

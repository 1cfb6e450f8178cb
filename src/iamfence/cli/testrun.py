"""`iamfence test` (the sandbox verification battery) and `iamfence role-check` (a developer's
pre-flight check for a new role)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from iamfence.cli.common import Exit, read_bytes, read_yaml, write_text
from iamfence.cli.design import load_design

if TYPE_CHECKING:
    from iamfence.model import BoundaryDesign


@contextmanager
def _aws_errors() -> Iterator[None]:
    """botocore's errors (no credentials, unknown profile, endpoint down, AccessDenied) as one
    line and exit 1, never a traceback."""
    from botocore.exceptions import BotoCoreError, ClientError

    from iamfence.errors import InfrastructureError

    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        raise InfrastructureError(f"AWS: {exc}") from None


def _table(report: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from iamfence.testing import Status

    table = Table(title=f"iamfence test ({report.backend})")
    for column in ("category", "passed", "failed", "errors"):
        table.add_column(column, justify="left" if column == "category" else "right")
    categories: dict[str, list[int]] = {}
    for outcome in report.outcomes:
        row = categories.setdefault(outcome.case.category.value, [0, 0, 0])
        row[(Status.PASSED, Status.FAILED, Status.ERROR).index(outcome.status)] += 1
    for name, (passed, failed, errors) in categories.items():
        table.add_row(name, str(passed), f"[red]{failed}[/red]" if failed else "0", str(errors))
    Console(file=sys.stdout, highlight=False).print(table)


def test_command(
    spec: str = typer.Argument(..., help="The boundary spec (YAML)."),
    tests: list[str] = typer.Option([], "--tests", help="More test files (YAML lists of tests)."),
    against: str = typer.Option("local", "--against", help="local (the engine) or aws (boto3)."),
    profile: str | None = typer.Option(None, "--profile", help="AWS profile (with --against aws)."),
    region: str | None = typer.Option(None, "--region", help="AWS region (with --against aws)."),
    endpoint_url: str | None = typer.Option(None, "--endpoint-url", help="AWS endpoint URL."),
    account_id: str | None = typer.Option(None, "--account-id", help="Account id for the ARNs."),
    output_format: str = typer.Option("text", "--format", help="text or json."),
    junit: str | None = typer.Option(None, "--junit", help="Also write JUnit XML to this file."),
    output: str | None = typer.Option(None, "-o", "--output", help="Write the report here."),
    apply: bool = typer.Option(
        False, "--apply", help="With --against aws: create the temporary role and run the probes."
    ),
) -> None:
    """Run the verification battery generated from SPEC, plus the spec's and the files' tests."""
    from iamfence.catalog import load_catalog
    from iamfence.report.testrun import render_json, render_junit, render_text
    from iamfence.testing import DesignNames, design_tests, generate_battery, run_local, user_tests

    if against not in ("local", "aws") or output_format not in ("text", "json"):
        typer.echo("--against takes local or aws; --format takes text or json", err=True)
        raise typer.Exit(Exit.INVALID_INPUT)
    session = None
    if against == "aws":
        with _aws_errors():
            import boto3

            session = boto3.Session(profile_name=profile, region_name=region or "us-east-1")
            if account_id is None:
                sts = session.client("sts", endpoint_url=endpoint_url)
                account_id = str(sts.get_caller_identity()["Account"])
    design = load_design(spec, account_id)
    names = DesignNames(design, (design.allowed_regions or ("us-east-1",))[0])
    cases = generate_battery(design, load_catalog()) + design_tests(design, names)
    for path in tests:
        cases += user_tests(read_yaml(path), names, file=path)
    if session is not None:
        from iamfence.adapters.sandbox import run_against_aws

        typer.echo(
            f"plan: create a temporary role with {design.boundary_policy_arn}, run {len(cases)} simulations and 4 tamper probes, delete the role",
            err=True,
        )
        if not apply:
            # The run changes the account (a temporary role, tamper probes): --apply, plan first.
            typer.echo("plan only: no test ran; run again with --apply", err=True)
            raise typer.Exit(Exit.DENIED)
        from rich.console import Console
        from rich.progress import Progress

        with _aws_errors(), Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("simulating in the sandbox", total=len(cases))
            report = run_against_aws(
                session,
                design,
                cases,
                endpoint_url=endpoint_url,
                progress=lambda done: bar.update(task, completed=done),
            )
    else:
        report = run_local(design, cases)
    if junit:
        write_text(junit, render_junit(report))
    if output_format == "json":
        write_text(output, render_json(report))
    else:
        if output is None:
            _table(report)
        write_text(output, render_text(report))
    raise typer.Exit(Exit.OK if report.ok else Exit.DENIED)


def role_check_command(
    spec: str = typer.Argument(..., help="The boundary spec (YAML)."),
    name: str = typer.Option(..., "--name", help="The role name (may carry a path: team/app-api)."),
    policy: list[str] = typer.Option([], "--policy", help="The role's identity policies (JSON)."),
    trust: str | None = typer.Option(None, "--trust", help="The role's trust policy (JSON)."),
    account_id: str | None = typer.Option(None, "--account-id", help="Account id for the ARNs."),
    output_format: str = typer.Option("text", "--format", help="text or json."),
) -> None:
    """May a developer create role NAME with the boundary, what may it then do, and who can assume it."""
    from iamfence.model import PolicyType
    from iamfence.parse import load_policy
    from iamfence.report.testrun import render_role_check
    from iamfence.testing import check_role

    design = load_design(spec, account_id)
    documents = tuple(
        (p, load_policy(read_bytes(p), kind=PolicyType.IDENTITY, file=p)) for p in policy
    )
    trust_doc = load_policy(read_bytes(trust), kind=PolicyType.TRUST, file=trust) if trust else None
    result = check_role(design, name, documents, trust_doc)
    effective = _effective(design, documents, result.role_arn)
    write_text(None, render_role_check(result, effective, output_format))
    raise typer.Exit(Exit.OK if result.allowed else Exit.DENIED)


def _effective(
    design: BoundaryDesign, documents: tuple[tuple[str, Any], ...], role_arn: str
) -> Any:
    """The role's effective permissions (identity ∩ boundary), as `iamfence effective` computes them."""
    if not documents:
        return None
    try:
        from iamfence.analysis.effective import effective_permissions
    except ImportError:  # effective permissions not available in this build
        return None
    from iamfence.catalog import load_catalog
    from iamfence.model import NamedPolicy, PolicyType

    identity = tuple(NamedPolicy(n, d, PolicyType.IDENTITY) for n, d in documents)
    boundary = NamedPolicy(
        design.boundary_policy_arn, design.boundary_policy, PolicyType.PERMISSIONS_BOUNDARY
    )
    return effective_permissions(
        load_catalog(), identity=identity, permissions_boundary=boundary, principal=role_arn
    )


def register(app: typer.Typer) -> None:
    app.command("test")(test_command)
    app.command("role-check")(role_check_command)

"""`iamfence init`, `iamfence build` and `iamfence deploy`: write a spec, turn it into the boundary,
the developer policy, Terraform and CloudFormation, and deploy the policies with boto3."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from iamfence.cli.common import Exit, OutputFormat, read_bytes, write_text
from iamfence.errors import InvalidInputError

if TYPE_CHECKING:
    from iamfence.boundary import Spec
    from iamfence.model import BoundaryDesign

_ACCOUNT = re.compile(r"^[0-9]{12}$")


def _invalid(exc: InvalidInputError) -> NoReturn:
    """One line per diagnostic (file:line:col CODE message [pointer]) on stderr, exit 3."""
    for line in exc.diagnostics or (str(exc),):
        print(str(line), file=sys.stderr)
    raise typer.Exit(Exit.INVALID_INPUT)


def _load(spec_path: str) -> Spec:
    from iamfence.boundary import load_spec

    data = read_bytes(spec_path)
    name = "<stdin>" if spec_path == "-" else spec_path
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        print(f"{name}: IF400 the spec is not UTF-8 text", file=sys.stderr)
        raise typer.Exit(Exit.INVALID_INPUT) from None
    try:
        return load_spec(text, name)
    except InvalidInputError as exc:
        _invalid(exc)


def _design(spec: Spec) -> BoundaryDesign:
    from iamfence.boundary import build_design
    from iamfence.catalog import load_catalog

    try:
        return build_design(spec, load_catalog())
    except InvalidInputError as exc:
        _invalid(exc)


def init_command(
    profile: str = typer.Option("serverless-app", "--profile", help="Built-in profile."),
    account_id: str | None = typer.Option(None, "--account-id", help="12-digit account id."),
    output: str | None = typer.Option(
        None, "-o", "--output", help="File to write (default stdout)."
    ),
    list_profiles: bool = typer.Option(
        False, "--list-profiles", help="Name the profiles and exit."
    ),
) -> None:
    """Write a commented example spec."""
    from iamfence.boundary import PROFILES, profile_names, profile_text

    if list_profiles:
        for p in PROFILES:
            typer.echo(f"{p.name}\t{p.summary}")
        return
    if profile not in profile_names():
        print(f"--profile: unknown profile {profile!r}; known: {', '.join(profile_names())}",
              file=sys.stderr)  # fmt: skip
        raise typer.Exit(Exit.INVALID_INPUT)
    if account_id is not None and not _ACCOUNT.match(account_id):
        print(f"--account-id: {account_id!r} is not a 12-digit account id", file=sys.stderr)
        raise typer.Exit(Exit.INVALID_INPUT)
    name = Path(output).name if output and output != "-" else "spec.yaml"
    write_text(output, profile_text(profile, account_id, name))
    if output and output != "-":
        print(f"wrote {output}", file=sys.stderr)


def build_command(
    spec_path: str = typer.Argument(..., metavar="SPEC", help="The spec (YAML); '-' for stdin."),
    out: str = typer.Option(..., "-o", "--output", help="Folder to write the design into."),
    fmt: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", help="text or json."),
) -> None:
    """Build the boundary, the developer policy, Terraform and CloudFormation from a spec."""
    from iamfence.boundary import design_files, policy_size
    from iamfence.cli.common import write_bytes

    design = _design(_load(spec_path))
    files = design_files(design)
    try:
        for rel, text in files:
            write_bytes(str(Path(out) / rel), text.encode("utf-8"))
    except OSError as exc:
        print(f"iamfence: cannot write into {out}: {exc.strerror or exc}", file=sys.stderr)
        raise typer.Exit(Exit.TOOL_FAILURE) from None
    sizes = {
        "boundary": policy_size(design.boundary_policy),
        "developer_policy": policy_size(design.developer_policy),
    }
    if fmt is OutputFormat.JSON:
        report = {
            "output": out,
            "files": [rel for rel, _ in files],
            "boundary_policy_arn": design.boundary_policy_arn,
            "developer_policy_arn": design.developer_policy_arn,
            "sizes": sizes,
        }
        typer.echo(json.dumps(report, indent=2))
        return
    typer.echo(f"boundary         {design.boundary_policy_arn} ({sizes['boundary']}/6144 chars)")
    typer.echo(
        f"developer policy {design.developer_policy_arn} ({sizes['developer_policy']}/6144 chars)"
    )
    for rel, _ in files:
        typer.echo(f"wrote {Path(out) / rel}")


def _clients(profile: str | None, region: str | None, endpoint: str | None) -> tuple[Any, Any]:
    import boto3
    from botocore.exceptions import BotoCoreError

    from iamfence.errors import InfrastructureError

    try:
        session = boto3.Session(profile_name=profile, region_name=region or "us-east-1")
        return (
            session.client("iam", endpoint_url=endpoint),
            session.client("sts", endpoint_url=endpoint),
        )
    except BotoCoreError as exc:  # e.g. ProfileNotFound: one line, never a traceback
        raise InfrastructureError(f"AWS session: {exc}") from None


def deploy_command(
    spec_path: str = typer.Argument(..., metavar="SPEC", help="The spec (YAML)."),
    profile: str | None = typer.Option(None, "--profile", help="AWS named profile."),
    region: str | None = typer.Option(None, "--region", help="AWS region for the API calls."),
    endpoint_url: str | None = typer.Option(None, "--endpoint-url", help="IAM/STS endpoint."),
    apply: bool = typer.Option(False, "--apply", help="Make the changes (default: plan only)."),
    fmt: OutputFormat = typer.Option(OutputFormat.TEXT, "--format", help="text or json."),
) -> None:
    """Plan (and with --apply, make) the managed-policy changes for a spec."""
    from iamfence.adapters.deploy import Change, apply_deploy, caller_account, plan_deploy
    from iamfence.errors import InfrastructureError

    spec = _load(spec_path)
    try:
        iam, sts = _clients(profile, region, endpoint_url)
        account = caller_account(sts)
        if spec.account_id is not None and spec.account_id != account:
            print(
                f"{spec.file}: account_id is {spec.account_id} but the credentials are for "
                f"account {account}",
                file=sys.stderr,
            )
            raise typer.Exit(Exit.INVALID_INPUT)
        design = _design(spec.with_account_id(account))
        plan = plan_deploy(iam, design)
        if apply:
            for line in _plan_lines(plan):  # the plan first, on stderr, then the changes
                print(f"plan: {line}", file=sys.stderr)
            apply_deploy(iam, plan)
    except InfrastructureError as exc:
        print(f"iamfence: {exc}", file=sys.stderr)
        raise typer.Exit(Exit.TOOL_FAILURE) from None
    if fmt is OutputFormat.JSON:
        typer.echo(json.dumps({"applied": apply, "plan": [p.to_json() for p in plan]}, indent=2))
        return
    for line in _plan_lines(plan):
        typer.echo(line)
    pending = any(p.change is not Change.UNCHANGED for p in plan)
    if not apply and pending:
        typer.echo("plan only: run again with --apply to make these changes")
    elif apply and pending:
        typer.echo("applied")


def _plan_lines(plan: Any) -> list[str]:
    from iamfence.adapters.deploy import Change

    lines = []
    for step in plan:
        extra = ""
        if step.change is Change.UPDATE:
            extra = f" (new default version; was {step.current_version}"
            extra += f", deleting {step.prune_version})" if step.prune_version else ")"
        lines.append(f"{step.change.value:<9} {step.arn}{extra}")
    return lines


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)
    app.command("build")(build_command)
    app.command("deploy")(deploy_command)

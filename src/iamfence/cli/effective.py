"""`iamfence effective`: the effective permissions of identity policies under a permissions
boundary and SCPs, per service and access level (decided with the engine)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from iamfence.cli.catalog import (
    CATALOG_HELP,
    TODAY_HELP,
    invalid_input_exits,
    open_catalog,
    warn_if_stale,
)
from iamfence.cli.common import read_bytes, write_text
from iamfence.errors import InvalidInputError

if TYPE_CHECKING:
    from iamfence.model import NamedPolicy, PolicyType


def _load(path: str, kind: PolicyType) -> NamedPolicy:
    from iamfence.model import NamedPolicy
    from iamfence.parse import load_policy

    return NamedPolicy(path, load_policy(read_bytes(path), kind=kind, file=path), kind)


def effective_command(
    identity: list[str] = typer.Option(
        ..., "--identity", help="An identity policy file (repeat for several)."
    ),
    permissions_boundary: str | None = typer.Option(
        None, "--permissions-boundary", help="The permissions boundary policy file."
    ),
    scp: list[str] = typer.Option(
        [], "--scp", help="An SCP file (repeat; all SCPs form one level, as if attached together)."
    ),
    service: list[str] = typer.Option([], "--service", help="Only these service prefixes."),
    principal: str | None = typer.Option(None, "--principal", help="The principal ARN to use."),
    catalog_source: str | None = typer.Option(None, "--catalog", help=CATALOG_HELP),
    output_format: str = typer.Option("text", "--format", help="text or json."),
    output: str | None = typer.Option(None, "-o", "--output", help="Write the report here."),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
) -> None:
    """Effective permissions = identity policies ∩ permissions boundary ∩ SCPs: per service and
    access level, the actions allowed on every resource, only on some, only under conditions."""
    from iamfence.analysis.effective import (
        DEFAULT_PRINCIPAL,
        candidate_actions,
        effective_permissions,
    )
    from iamfence.engine import PolicySet
    from iamfence.model import PolicyType
    from iamfence.report.effective import render_effective

    with invalid_input_exits():
        if output_format not in ("text", "json"):
            raise InvalidInputError((), f"--format: expected text or json, not {output_format!r}")
        catalog = open_catalog(catalog_source)
        warn_if_stale(catalog, today)
        identities = tuple(_load(p, PolicyType.IDENTITY) for p in identity)
        boundary = (
            _load(permissions_boundary, PolicyType.PERMISSIONS_BOUNDARY)
            if permissions_boundary
            else None
        )
        scps = tuple(_load(p, PolicyType.SCP) for p in scp)
        actions = None
        if service:
            wanted = {s.lower() for s in service}
            actions = tuple(
                a
                for a in candidate_actions(PolicySet(identity=identities), catalog)
                if a.service in wanted
            )
        result = effective_permissions(
            catalog,
            identity=identities,
            permissions_boundary=boundary,
            scp=scps,
            actions=actions,
            principal=principal or DEFAULT_PRINCIPAL,
        )
        write_text(output, render_effective(result, output_format))


def register(app: typer.Typer) -> None:
    app.command("effective")(effective_command)

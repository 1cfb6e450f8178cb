"""The `iamfence` command: one module per command, each with `register(app)`. Modules import their
heavy dependencies (boto3, z3, ...) inside the command function, so that `iamfence --version` and
`iamfence lint` start fast."""

from __future__ import annotations

import sys
from importlib import import_module
from typing import Any

import typer
from typer._click.exceptions import UsageError as ClickUsageError  # typer vendors click
from typer.core import TyperGroup

from iamfence import __version__
from iamfence.cli.common import Exit
from iamfence.errors import InfrastructureError, InternalError, InvalidInputError, UsageError


class _Group(TyperGroup):
    """Maps iamfence's exceptions to exit codes inside the command itself, so that the real entry
    point and typer's test runner behave the same: one line per problem on stderr, no traceback."""

    def invoke(self, ctx: Any) -> Any:  # typer vendors click: its Context type is private
        try:
            return super().invoke(ctx)
        except ClickUsageError as exc:
            # A missing or bad option is invalid input (3), not "findings" (click's default 2).
            exc.exit_code = Exit.INVALID_INPUT
            raise
        except InvalidInputError as exc:
            for d in exc.diagnostics or (str(exc),):
                typer.echo(str(d), err=True)
            ctx.exit(Exit.INVALID_INPUT)
        except (UsageError, InfrastructureError) as exc:
            typer.echo(f"iamfence: {exc}", err=True)
            ctx.exit(Exit.TOOL_FAILURE)
        except InternalError as exc:
            typer.echo(f"iamfence: internal error: {exc}", err=True)
            ctx.exit(Exit.TOOL_FAILURE)


app = typer.Typer(
    cls=_Group,
    name="iamfence",
    help="Run AWS IAM permissions boundaries end to end, and prove that they hold.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each entry is a module under iamfence.cli with a `register(app)` function.
COMMAND_MODULES = (
    "lint",
    "simulate",
    "catalog",
    "effective",
    "authoring",
    "testrun",
    "prove",
    "escalation",
    "audit",
    "review",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"iamfence {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """iamfence: permissions boundaries, end to end."""


for _name in COMMAND_MODULES:
    try:
        _module = import_module(f"iamfence.cli.{_name}")
    except ModuleNotFoundError as _exc:  # a command still being written
        if _exc.name != f"iamfence.cli.{_name}":
            raise
        continue
    _module.register(app)


def main() -> None:
    """Entry point: maps exceptions to exit codes, one line on stderr, never a traceback for input."""
    try:
        app(standalone_mode=True)
    except InvalidInputError as exc:
        for d in exc.diagnostics or (str(exc),):
            print(str(d), file=sys.stderr)
        sys.exit(Exit.INVALID_INPUT)
    except (UsageError, InfrastructureError) as exc:
        print(f"iamfence: {exc}", file=sys.stderr)
        sys.exit(Exit.TOOL_FAILURE)
    except InternalError as exc:
        print(f"iamfence: internal error: {exc}", file=sys.stderr)
        sys.exit(Exit.TOOL_FAILURE)
    except KeyboardInterrupt:
        print("iamfence: interrupted", file=sys.stderr)
        sys.exit(130)


if __name__ == "__main__":
    main()

"""What every command shares: exit codes, input loading with one-line errors, output writing."""

from __future__ import annotations

import enum
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from iamfence.diagnostics import Diagnostic
from iamfence.errors import InfrastructureError, InvalidInputError


class Exit(enum.IntEnum):
    """ARCHITECTURE.md, convention 6."""

    OK = 0
    TOOL_FAILURE = 1
    DENIED = 2  # denied / fails / tests failed / findings
    INVALID_INPUT = 3
    UNKNOWN = 4  # solver timeout, unresolved condition


class OutputFormat(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


def fail_invalid(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> NoReturn:
    """Print one line per error diagnostic on stderr and exit 3 (invalid input)."""
    for d in diagnostics:
        print(str(d), file=sys.stderr)
    raise SystemExit(Exit.INVALID_INPUT)


def read_bytes(path: str) -> bytes:
    """Read a file or '-' (stdin); an unreadable file is invalid input (exit 3), not a traceback."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        raise SystemExit(Exit.INVALID_INPUT) from None


def read_yaml(path: str) -> Any:
    """A YAML file (or '-' for stdin); a bad one raises InvalidInputError (IF600, located)."""
    from iamfence.adapters.files import read_yaml_file

    return read_yaml_file(path, read_bytes(path) if path == "-" else None)


def write_text(path: str | None, text: str) -> None:
    """Write to stdout (path None or '-') or atomically to a file: a temp file in the same folder,
    renamed over the target, so nothing is left half-written."""
    if path is None or path == "-":
        sys.stdout.write(text)
        if text and not text.endswith("\n"):
            sys.stdout.write("\n")
        return
    with output_errors(path):
        write_bytes(path, text.encode("utf-8"))


@contextmanager
def output_errors(path: str) -> Iterator[None]:
    """An output path that cannot be written (a folder, a path under a file, no permission) is
    invalid input (exit 3); any other OS failure (disk full) is a tool failure (exit 1). Either is
    one line naming the path, never a traceback."""
    try:
        yield
    except (IsADirectoryError, NotADirectoryError, FileExistsError, PermissionError,
            FileNotFoundError) as exc:  # fmt: skip
        raise InvalidInputError((), f"{path}: cannot write: {exc.strerror or exc}") from None
    except OSError as exc:
        raise InfrastructureError(f"{path}: cannot write: {exc.strerror or exc}") from None


def write_bytes(path: str, data: bytes) -> None:
    """Atomic write (see write_text); raises OSError (wrap the call in `output_errors`)."""
    target = Path(path)
    if target.exists() and not target.is_file():
        # A device, FIFO or the like (-o /dev/null, -o /dev/stdout): write into it; renaming a
        # temp file over it would replace the device itself.
        with target.open("wb") as handle:
            handle.write(data)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a written file follows the umask
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

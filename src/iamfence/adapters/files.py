"""Reading JSON input files (.json and .json.gz) with one-line errors.

Problems in the file (unreadable, not gzip, not UTF-8, not JSON) raise `InvalidInputError` carrying
one located `Diagnostic` (code IF500-IF503), which the CLI prints as one line and maps to exit 3.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any

from iamfence.diagnostics import Diagnostic, Location, Severity
from iamfence.errors import InvalidInputError

CANNOT_READ = "IF500"
NOT_GZIP = "IF501"
NOT_UTF8 = "IF502"
NOT_JSON = "IF503"


def _fail(path: str, code: str, message: str, line: int = 0, column: int = 0) -> InvalidInputError:
    location = Location(file=path, pointer="", line=line, column=column)
    return InvalidInputError((Diagnostic(code, Severity.ERROR, message, location),))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def read_json_file(path: str) -> Any:
    """Read `path` (`.json`, or gzip-compressed when it ends in `.gz` or starts with the gzip magic
    bytes) and return the decoded JSON value. NaN and Infinity are refused (RFC 8259)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise _fail(path, CANNOT_READ, f"cannot read: {exc.strerror or exc}") from None
    if path.endswith(".gz") or raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise _fail(path, NOT_GZIP, f"not a valid gzip file: {exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(path, NOT_UTF8, f"bytes are not valid UTF-8 at offset {exc.start}") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise _fail(path, NOT_JSON, f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except ValueError as exc:
        raise _fail(path, NOT_JSON, f"not valid JSON: {exc}") from None

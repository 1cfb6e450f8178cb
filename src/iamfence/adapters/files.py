"""Reading JSON input files (.json and .json.gz) and YAML input files with one-line errors.

Problems in the file (unreadable, not gzip, not UTF-8, not JSON, too big) raise
`InvalidInputError` carrying one located `Diagnostic` (code IF500-IF504; IF600 for YAML), which
the CLI prints as one line and maps to exit 3.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import zlib
from pathlib import Path
from typing import Any

from iamfence.diagnostics import Diagnostic, Location, Severity, json_pointer
from iamfence.errors import InvalidInputError

MAX_POLICY_FILE_BYTES = 10 * 1024 * 1024
"""Cap for files holding policies (SCPs, compute lists): parse_policy's own limit."""
MAX_SNAPSHOT_BYTES = 2 * 1024 * 1024 * 1024
"""Cap for get-account-authorization-details snapshots (a 10k-role account is a few hundred MB)."""

CANNOT_READ = "IF500"
NOT_GZIP = "IF501"
NOT_UTF8 = "IF502"
NOT_JSON = "IF503"
TOO_BIG = "IF504"
NOT_YAML = "IF600"


def _fail(
    path: str, code: str, message: str, line: int = 0, column: int = 0, *, pointer: str = ""
) -> InvalidInputError:
    location = Location(file=path, pointer=pointer, line=line, column=column)
    return InvalidInputError((Diagnostic(code, Severity.ERROR, message, location),))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


class _DuplicateKey(ValueError):
    """Internal: a JSON object with a key twice (json.loads would keep the last silently)."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _DuplicateKey
    return out


def _located(path: str, text: str, fallback: str) -> InvalidInputError:
    """Where the JSON scanner (parse/scanner.py) finds the first problem: duplicate keys and
    too-deep nesting get a JSON pointer and line:column. Used on the error path only."""
    from iamfence.parse.scanner import LineIndex, scan

    found = scan(text).problems
    if not found:
        return _fail(path, NOT_JSON, f"not valid JSON: {fallback}")
    first = found[0]
    line, column = LineIndex(text).position(first.offset)
    return _fail(
        path, NOT_JSON, f"not valid JSON: {first.message}", line, column, pointer=first.pointer
    )


def _read_raw(path: str, max_bytes: int | None) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read()
        if max_bytes is not None and len(data) > max_bytes:
            raise _fail(path, TOO_BIG, f"the input is {len(data)} bytes, more than {max_bytes}")
        return data
    try:
        size = Path(path).stat().st_size if max_bytes is not None else 0
        data = None if max_bytes is not None and size > max_bytes else Path(path).read_bytes()
    except OSError as exc:
        raise _fail(path, CANNOT_READ, f"cannot read: {exc.strerror or exc}") from None
    if data is None:
        raise _fail(path, TOO_BIG, f"the file is {size} bytes, more than {max_bytes}")
    return data


def _gunzip(path: str, raw: bytes, max_bytes: int | None) -> bytes:
    """Decompress, reading at most `max_bytes` + 1 bytes (a small file may expand to gigabytes)."""
    try:
        if max_bytes is None:
            return gzip.decompress(raw)
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as stream:
            data = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise _fail(path, NOT_GZIP, f"not a valid gzip file: {exc}") from None
    if len(data) > max_bytes:
        raise _fail(path, TOO_BIG, f"the file decompresses to more than {max_bytes} bytes")
    return data


def read_json_file(path: str, *, max_bytes: int | None = None) -> Any:
    """Read `path` (`.json`, or gzip-compressed when it ends in `.gz` or starts with the gzip magic
    bytes) and return the decoded JSON value. NaN and Infinity, duplicate keys and nesting too deep
    for the parser are refused (RFC 8259). `max_bytes` caps the file and its decompressed size."""
    raw = _read_raw(path, max_bytes)
    if path.endswith(".gz") or raw[:2] == b"\x1f\x8b":
        raw = _gunzip(path, raw, max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(path, NOT_UTF8, f"bytes are not valid UTF-8 at offset {exc.start}") from None
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_unique)
    except json.JSONDecodeError as exc:
        raise _fail(path, NOT_JSON, f"not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except (ValueError, RecursionError) as exc:  # NaN, a duplicate key, nesting too deep
        raise _located(path, text, str(exc) or "duplicate key or nesting too deep") from None


def _bad_scalar(text: str) -> tuple[str, Any] | None:
    """The JSON pointer and mark of the first scalar PyYAML cannot construct (e.g. the date
    2026-13-45), found by composing the nodes again. Used on the error path only."""
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        stack: list[tuple[Any, str]] = [(node, "")] if node is not None else []
        while stack:
            current, pointer = stack.pop()
            if isinstance(current, yaml.MappingNode):
                for key, value in reversed(current.value):
                    stack.append((value, pointer + json_pointer(str(key.value))))
                    stack.append((key, pointer))
            elif isinstance(current, yaml.SequenceNode):
                stack.extend(
                    (item, pointer + json_pointer(i))
                    for i, item in reversed(list(enumerate(current.value)))
                )
            else:
                try:
                    loader.construct_object(current)
                except (ValueError, TypeError, OverflowError):
                    return pointer, current.start_mark
        return None
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def read_yaml_file(path: str, data: bytes | None = None) -> Any:
    """Read a YAML (or JSON) file with PyYAML's safe loader. Syntax errors, values PyYAML cannot
    construct (an impossible date) and nesting too deep raise InvalidInputError (IF600, located).
    `data` is the file's content when the caller has read it already (e.g. from stdin)."""
    import yaml

    raw = _read_raw(path, None) if data is None else data
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(path, NOT_UTF8, f"bytes are not valid UTF-8 at offset {exc.start}") from None
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or str(exc).splitlines()[0]
        raise _fail(path, NOT_YAML, f"not valid YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _fail(path, NOT_YAML, f"not valid YAML: {problem}") from None
    except RecursionError:
        raise _fail(path, NOT_YAML, "not valid YAML: nesting too deep") from None
    except (ValueError, TypeError, OverflowError) as exc:
        where = _bad_scalar(text)
        pointer, mark = where if where is not None else ("", None)
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        message = f"not valid YAML: a value cannot be read ({exc})"
        raise _fail(path, NOT_YAML, message, line, column, pointer=pointer) from None

"""parse_policy / load_policy: JSON text, bytes, URL-encoded JSON or a mapping -> PolicyDocument.

Every problem is a diagnostic collected in one pass; parse_policy never raises on any input.
URL-encoded documents (as IAM APIs such as GetPolicyVersion return them) are decoded first, and
their line:column positions refer to the decoded text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from iamfence.diagnostics import Diagnostic, has_errors, json_pointer
from iamfence.errors import InvalidInputError
from iamfence.model.policy import PolicyDocument, PolicyType
from iamfence.parse import codes
from iamfence.parse.context import Sink, SourceMap
from iamfence.parse.grammar import build_document
from iamfence.parse.kinds import infer_kind
from iamfence.parse.limits import DEFAULT_LIMITS, SizeLimit, counted_size
from iamfence.parse.scanner import MAX_DEPTH, JsonValue, LineIndex, scan

MAX_BYTES = 10 * 1024 * 1024
"""Largest document accepted at all (10 MB of UTF-8), before any AWS size limit."""

IAM_KINDS = frozenset(
    {PolicyType.IDENTITY, PolicyType.PERMISSIONS_BOUNDARY, PolicyType.TRUST, PolicyType.SESSION}
)
_OUTSIDE_IAM_CHARSET = re.compile(r"[^\t\n\r\x20-\xff]")
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class ParseResult:
    """The document (None when any error diagnostic was found) and every diagnostic, in order.
    `source_map` locates any JSON pointer of the source text (line:column), e.g. for lint."""

    document: PolicyDocument | None
    diagnostics: tuple[Diagnostic, ...]
    source_map: SourceMap = field(default_factory=SourceMap, compare=False, repr=False)
    kind: PolicyType = field(default=PolicyType.IDENTITY, compare=False)
    """The kind the document was parsed as (the inferred one when parse_policy got kind=None)."""

    @property
    def ok(self) -> bool:
        """True when no diagnostic is an error (warnings may remain)."""
        return not has_errors(self.diagnostics)

    @property
    def input_invalid(self) -> bool:
        """True when the input is not a usable JSON object at all (not JSON, too deep, too big,
        not UTF-8, NaN, duplicate keys): the CLI's exit code 3 rather than 2."""
        return any(d.code in codes.INPUT_CODES for d in self.diagnostics)


def _decode_bytes(data: bytes, sink: Sink) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        sink.index = LineIndex(prefix)
        sink.add_at_offset(
            codes.NOT_UTF8,
            f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not valid UTF-8",
            "",
            len(prefix),
        )
        return None


def _source_text(source: str | bytes | bytearray | memoryview, sink: Sink) -> str | None:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > MAX_BYTES:
            sink.add(codes.TOO_BIG, f"the document is {len(data)} bytes, more than {MAX_BYTES}", "")
            return None
        text = _decode_bytes(data, sink)
        if text is None:
            return None
    else:
        text = source
        if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
            sink.add(codes.TOO_BIG, f"the document is larger than {MAX_BYTES} bytes", "")
            return None
    text = text.removeprefix(_BOM)
    stripped = text.strip()
    if stripped[:3].lower() == "%7b":
        try:
            return unquote(stripped, errors="strict")
        except UnicodeDecodeError:
            sink.add(codes.NOT_UTF8, "the URL-encoded document does not decode to UTF-8", "")
            return None
    return text


def _from_python(value: object, pointer: str, depth: int, sink: Sink) -> JsonValue:
    """A mapping's contents as JSON values, with a diagnostic for anything JSON cannot hold."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            sink.add(codes.NON_FINITE, f"{value!r} is not a JSON number", pointer)
        return value
    if isinstance(value, Mapping | list | tuple):
        if depth >= MAX_DEPTH:
            sink.add(codes.TOO_DEEP, f"nesting deeper than {MAX_DEPTH} levels", pointer)
            return None
        if isinstance(value, list | tuple):
            return [
                _from_python(item, f"{pointer}/{i}", depth + 1, sink)
                for i, item in enumerate(value)
            ]
        out: dict[str, JsonValue] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                sink.add(codes.NOT_JSON_VALUE, f"object key {key!r} is not a string", pointer)
                continue
            out[key] = _from_python(item, pointer + json_pointer(key), depth + 1, sink)
        return out
    sink.add(codes.NOT_JSON_VALUE, f"a {type(value).__name__} is not a JSON value", pointer)
    return None


def _strings(value: JsonValue, pointer: str) -> list[tuple[str, str, bool]]:
    """Every string (keys included) with its pointer and whether it is a key."""
    if isinstance(value, str):
        return [(value, pointer, False)]
    found: list[tuple[str, str, bool]] = []
    if isinstance(value, list):
        for i, item in enumerate(value):
            found.extend(_strings(item, f"{pointer}/{i}"))
    elif isinstance(value, dict):
        for key, item in value.items():
            member = pointer + json_pointer(key)
            found.append((key, member, True))
            found.extend(_strings(item, member))
    return found


def _check_charset(sink: Sink, value: JsonValue) -> None:
    """IAM stores only tab, LF, CR and U+0020-U+00FF (IAM User Guide, "IAM and AWS STS quotas")."""
    if sink.kind not in IAM_KINDS:
        return
    offenders = [
        (text, pointer, key)
        for text, pointer, key in _strings(value, "")
        if _OUTSIDE_IAM_CHARSET.search(text)
    ]
    if not offenders:
        return
    text, pointer, key = offenders[0]
    char = _OUTSIDE_IAM_CHARSET.findall(text)[0]
    message = f"{len(offenders)} string(s) with characters outside tab, LF, CR and U+0020-U+00FF, first {char!r} (U+{ord(char):04X})"
    sink.add(codes.CHARSET, message, pointer, at_key=key)


def _check_size(sink: Sink, text: str, limit: SizeLimit | None) -> None:
    chosen = limit if limit is not None else DEFAULT_LIMITS[sink.kind]
    size = counted_size(text)
    if chosen.characters and size > chosen.characters:
        sink.add(
            codes.TOO_LARGE_FOR_KIND,
            f"the policy has {size} characters without whitespace; the {chosen.value} limit is {chosen.characters}",
            "",
        )


def _scan_text(
    source: str | bytes | bytearray | memoryview, sink: Sink
) -> tuple[JsonValue, str] | None:
    text = _source_text(source, sink)
    if text is None:
        return None
    scanned = scan(text)
    sink.index = LineIndex(text)
    sink.values, sink.keys = scanned.values, scanned.keys
    for problem in scanned.problems:
        sink.add_at_offset(problem.code, problem.message, problem.pointer, problem.offset)
    return (scanned.value, text) if scanned.complete else None


def _value_and_text(source: object, sink: Sink) -> tuple[JsonValue, str] | None:
    if isinstance(source, str | bytes | bytearray | memoryview):
        return _scan_text(source, sink)
    if isinstance(source, Mapping):
        value = _from_python(source, "", 0, sink)
        return value, json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    sink.add(codes.NOT_OBJECT, f"the document is a {type(source).__name__}, not a JSON object", "")
    return None


def parse_policy(
    source: str | bytes | Mapping[str, Any],
    *,
    kind: PolicyType | None = PolicyType.IDENTITY,
    file: str = "<input>",
    limit: SizeLimit | None = None,
) -> ParseResult:
    """Parse one policy document of the given kind. `limit` names the AWS size limit that applies
    (default: DEFAULT_LIMITS[kind], e.g. a managed policy for identity policies). With
    kind=None the kind is inferred from the document (kinds.infer_kind) and reported in
    ParseResult.kind."""
    sink = Sink(file, kind or PolicyType.IDENTITY)
    parsed = _value_and_text(source, sink)
    document = None
    if parsed is not None:
        value, text = parsed
        if not isinstance(value, dict):
            sink.add(codes.NOT_OBJECT, "the document must be a JSON object {...}", "")
        else:
            if kind is None:
                sink.kind = infer_kind(value)
            _check_charset(sink, value)
            document = build_document(sink, value)
            _check_size(sink, text, limit)
    diagnostics = tuple(
        sorted(sink.diagnostics, key=lambda d: (d.location.line, d.location.column))
    )
    return ParseResult(
        None if has_errors(diagnostics) else document, diagnostics, sink.source_map(), sink.kind
    )


def load_policy(
    source: str | bytes | Mapping[str, Any],
    *,
    kind: PolicyType = PolicyType.IDENTITY,
    file: str = "<input>",
    limit: SizeLimit | None = None,
) -> PolicyDocument:
    """Like parse_policy, but returns the document or raises InvalidInputError(diagnostics)."""
    result = parse_policy(source, kind=kind, file=file, limit=limit)
    if result.document is None:
        errors = tuple(d for d in result.diagnostics if d.severity.value == "error")
        raise InvalidInputError(errors or result.diagnostics)
    return result.document

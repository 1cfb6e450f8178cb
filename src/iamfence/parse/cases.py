"""Request files and case files (docs/request-format.md) -> typed values, with diagnostics.

A file holds one case object, a JSON array of them, or JSON lines (one object per line). A case:
{"id", "request": {"principal", "action", "resource", "context"}, "policies": {"identity",
"permissions_boundary", "session", "resource", "resource_account", "scp", "rcp",
"management_account"}, "expect"}. Policies are parsed with parse_policy (errors are reported with
the case's JSON pointer prefixed); nothing is evaluated half-parsed.

Context values are typed: JSON true/false -> bool, numbers -> number, arrays -> multivalued, strings
by a table of known global keys (IAM User Guide, "AWS global condition context keys"), or
explicitly as {"type": "ip", "value": "203.0.113.5"}.

Layering: `Case` carries the engine's PolicySet and Decision (engine/types.py, a dependency-free
contract module); pyproject's import-linter contract lists this one import as allowed."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from iamfence.diagnostics import Diagnostic, Location, Severity, has_errors, json_pointer
from iamfence.engine.types import Decision, PolicySet
from iamfence.errors import InvalidInputError
from iamfence.model import ContextType, ContextValue, NamedPolicy, PolicyType, Request
from iamfence.parse.api import parse_policy
from iamfence.parse.scanner import JsonValue, LineIndex, Problem, scan


@dataclass(frozen=True, slots=True)
class CaseCode:
    code: str
    summary: str


NOT_JSON = CaseCode("IF600", "the request/case file is not valid JSON or JSON lines")
NOT_OBJECT = CaseCode("IF601", "a case is not a JSON object")
MISSING = CaseCode("IF602", "a required field is missing")
WRONG_TYPE = CaseCode("IF603", "a field has the wrong JSON type")
UNKNOWN_FIELD = CaseCode("IF604", "unknown field")
BAD_EXPECT = CaseCode("IF605", "expect is not Allow, ExplicitDeny, ImplicitDeny or Indeterminate")
BAD_CONTEXT = CaseCode("IF606", "a context value does not fit its declared type")
DUPLICATE_ID = CaseCode("IF607", "two cases have the same id")
ALL_CODES = (
    NOT_JSON,
    NOT_OBJECT,
    MISSING,
    WRONG_TYPE,
    UNKNOWN_FIELD,
    BAD_EXPECT,
    BAD_CONTEXT,
    DUPLICATE_ID,
)

_IP_KEYS = frozenset({"aws:sourceip", "aws:vpcsourceip"})
_DATE_KEYS = frozenset({"aws:currenttime", "aws:epochtime", "aws:tokenissuetime"})
_NUMBER_KEYS = frozenset({"aws:multifactorauthage"})
_BOOL_KEYS = frozenset(
    {
        "aws:multifactorauthpresent",
        "aws:securetransport",
        "aws:viaawsservice",
        "aws:principalisawsservice",
        "aws:ec2instancesourceprivateipv4",
        "aws:isentityverified",
    }
)
_TYPE_NAMES = {t.value: t for t in ContextType}
_CASE_FIELDS = frozenset({"id", "request", "policies", "expect", "citation", "description", "note"})
_REQUEST_FIELDS = frozenset({"principal", "action", "resource", "context"})
_POLICY_FIELDS = frozenset(
    {
        "identity",
        "permissions_boundary",
        "session",
        "resource",
        "resource_account",
        "scp",
        "rcp",
        "management_account",
    }
)


def key_type(key: str) -> ContextType:
    """The type a string value of `key` has when the request does not say (global key table)."""
    lowered = key.lower()
    if lowered in _IP_KEYS:
        return ContextType.IP
    if lowered in _DATE_KEYS:
        return ContextType.DATE
    if lowered in _NUMBER_KEYS:
        return ContextType.NUMBER
    if lowered in _BOOL_KEYS:
        return ContextType.BOOL
    if lowered.endswith("arn"):  # aws:PrincipalArn, aws:SourceArn, iam:PolicyARN, ...
        return ContextType.ARN
    return ContextType.STRING


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    request: Request
    policies: PolicySet
    expect: Decision | None = None
    citation: str | None = None


@dataclass(frozen=True, slots=True)
class CasesResult:
    cases: tuple[Case, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


@dataclass(slots=True)
class _Sink:
    file: str
    index: LineIndex | None = None
    offsets: dict[str, int] = field(default_factory=dict)
    base_line: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def position(self, pointer: str) -> tuple[int, int]:
        if self.index is None:
            return (self.base_line, 1) if self.base_line else (0, 0)
        probe = pointer
        while True:
            offset = self.offsets.get(probe)
            if offset is not None:
                line, column = self.index.position(offset)
                return (line + self.base_line, column) if self.base_line else (line, column)
            if not probe:
                return 0, 0
            probe = probe.rsplit("/", 1)[0]

    def add(self, code: CaseCode, message: str, pointer: str) -> None:
        line, column = self.position(pointer)
        self.diagnostics.append(
            Diagnostic(
                code.code, Severity.ERROR, message, Location(self.file, pointer, line, column)
            )
        )


# --------------------------------------------------------------------------- context values


def _scalar_text(value: JsonValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_type(value: JsonValue, key: str) -> ContextType:
    if isinstance(value, bool):
        return ContextType.BOOL
    if isinstance(value, int | float):
        return ContextType.NUMBER
    return key_type(key)


def _fits(ctype: ContextType, text: str) -> bool:
    if ctype is ContextType.IP:
        try:
            ipaddress.ip_address(text)
        except ValueError:
            return False
    if ctype is ContextType.BOOL:
        return text.lower() in ("true", "false")
    if ctype is ContextType.NUMBER:
        try:
            float(text)
        except ValueError:
            return False
    return True


def context_value(key: str, raw: JsonValue, pointer: str, sink: _Sink) -> ContextValue | None:
    """Type one context value (see the module docstring); None (with a diagnostic) when invalid."""
    if isinstance(raw, dict):
        return _explicit_value(key, raw, pointer, sink)
    if isinstance(raw, list):
        items = [i for i in raw if isinstance(i, str | int | float | bool) and i is not None]
        if len(items) != len(raw):
            sink.add(
                WRONG_TYPE,
                f"context {key!r}: list items must be strings, numbers or booleans",
                pointer,
            )
            return None
        ctype = _json_type(items[0], key) if items else key_type(key)
        return ContextValue(ctype, tuple(_scalar_text(i) for i in items), multi=True)
    if raw is None:
        sink.add(WRONG_TYPE, f"context {key!r}: null is not a value (leave the key out)", pointer)
        return None
    return ContextValue(_json_type(raw, key), (_scalar_text(raw),))


def _explicit_value(
    key: str, raw: dict[str, JsonValue], pointer: str, sink: _Sink
) -> ContextValue | None:
    tname = raw.get("type")
    ctype = _TYPE_NAMES.get(tname) if isinstance(tname, str) else None
    if ctype is None:
        names = ", ".join(_TYPE_NAMES)
        sink.add(BAD_CONTEXT, f"context {key!r}: type must be one of {names}", pointer + "/type")
        return None
    value = raw.get("value")
    multi = isinstance(value, list)
    items = value if isinstance(value, list) else [value]
    texts: list[str] = []
    for i, item in enumerate(items):
        where = pointer + "/value" + (f"/{i}" if multi else "")
        if not isinstance(item, str | int | float | bool):
            sink.add(
                WRONG_TYPE, f"context {key!r}: value must be a string, number or boolean", where
            )
            return None
        text = _scalar_text(item)
        if not _fits(ctype, text):
            sink.add(BAD_CONTEXT, f"context {key!r}: {text!r} is not of type {ctype.value}", where)
            return None
        texts.append(text)
    return ContextValue(ctype, tuple(texts), multi=multi or bool(raw.get("multi", False)))


# --------------------------------------------------------------------------- requests


def _string(obj: dict[str, JsonValue], name: str, pointer: str, sink: _Sink) -> str | None:
    value = obj.get(name)
    if value is None:
        sink.add(MISSING, f"{name} is missing", pointer)
        return None
    if not isinstance(value, str) or not value:
        sink.add(WRONG_TYPE, f"{name} must be a non-empty string", pointer + json_pointer(name))
        return None
    return value


def _unknown_fields(
    obj: dict[str, JsonValue], allowed: frozenset[str], pointer: str, sink: _Sink
) -> None:
    for name in obj:
        if name not in allowed:
            sink.add(UNKNOWN_FIELD, f"unknown field {name!r}", pointer + json_pointer(name))


def parse_request(raw: JsonValue, pointer: str, sink: _Sink) -> Request | None:
    if not isinstance(raw, dict):
        sink.add(WRONG_TYPE, "request must be an object", pointer)
        return None
    _unknown_fields(raw, _REQUEST_FIELDS, pointer, sink)
    principal = _string(raw, "principal", pointer, sink)
    action = _string(raw, "action", pointer, sink)
    resource = _string(raw, "resource", pointer, sink)
    if action is not None and ":" not in action:
        sink.add(
            WRONG_TYPE, f"action {action!r} is not of the form service:Action", pointer + "/action"
        )
        action = None
    context: list[tuple[str, ContextValue]] = []
    raw_context = raw.get("context", {})
    if not isinstance(raw_context, dict):
        sink.add(WRONG_TYPE, "context must be an object of key: value", pointer + "/context")
        raw_context = {}
    ok = True
    for key, value in raw_context.items():
        typed = context_value(key, value, pointer + "/context" + json_pointer(key), sink)
        ok = ok and typed is not None
        if typed is not None:
            context.append((key, typed))
    if principal is None or action is None or resource is None or not ok:
        return None
    return Request(principal, action, resource, tuple(context))


# --------------------------------------------------------------------------- policies


def _policy(
    raw: JsonValue, kind: PolicyType, name: str, pointer: str, sink: _Sink
) -> NamedPolicy | None:
    document_raw: JsonValue = raw
    if isinstance(raw, dict) and "document" in raw:
        named = raw.get("name")
        if isinstance(named, str) and named:
            name = named
        kind_raw = raw.get("type")
        if kind_raw == "trust":
            kind = PolicyType.TRUST
        document_raw = raw["document"]
        pointer += "/document"
    if not isinstance(document_raw, dict):
        sink.add(WRONG_TYPE, "a policy must be a JSON object (a policy document)", pointer)
        return None
    result = parse_policy(document_raw, kind=kind, file=sink.file)
    for d in result.diagnostics:
        full = pointer + d.location.pointer
        line, column = sink.position(full)
        sink.diagnostics.append(replace(d, location=Location(sink.file, full, line, column)))
    if result.document is None:
        return None
    return NamedPolicy(name, result.document, kind)


def _policy_list(
    raw: JsonValue, kind: PolicyType, label: str, pointer: str, sink: _Sink
) -> tuple[NamedPolicy, ...] | None:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        sink.add(WRONG_TYPE, f"{label} must be a list of policies", pointer)
        return None
    out = [
        _policy(item, kind, f"{label}[{i}]", f"{pointer}/{i}", sink) for i, item in enumerate(raw)
    ]
    return None if any(p is None for p in out) else tuple(p for p in out if p is not None)


def _levels(
    raw: JsonValue, kind: PolicyType, label: str, pointer: str, sink: _Sink
) -> tuple[tuple[NamedPolicy, ...], ...] | None:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        sink.add(WRONG_TYPE, f"{label} must be a list of levels (each a list of policies)", pointer)
        return None
    levels = []
    for i, level in enumerate(raw):
        parsed = _policy_list(level, kind, f"{label}[{i}]", f"{pointer}/{i}", sink)
        if parsed is None:
            return None
        levels.append(parsed)
    return tuple(levels)


def _account(raw: dict[str, JsonValue], name: str, pointer: str, sink: _Sink) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:012d}"
    if not isinstance(value, str) or not (len(value) == 12 and value.isdigit()):
        sink.add(WRONG_TYPE, f"{name} must be a 12-digit account id", pointer + json_pointer(name))
        return None
    return value


def parse_policies(
    raw: JsonValue, request: Request | None, pointer: str, sink: _Sink
) -> PolicySet | None:
    if raw is None:
        return PolicySet()
    if not isinstance(raw, dict):
        sink.add(WRONG_TYPE, "policies must be an object", pointer)
        return None
    _unknown_fields(raw, _POLICY_FIELDS, pointer, sink)
    before = len(sink.diagnostics)
    identity = _policy_list(
        raw.get("identity"), PolicyType.IDENTITY, "identity", pointer + "/identity", sink
    )
    session = _policy_list(
        raw.get("session"), PolicyType.SESSION, "session", pointer + "/session", sink
    )
    boundary = None
    if raw.get("permissions_boundary") is not None:
        boundary = _policy(
            raw["permissions_boundary"],
            PolicyType.PERMISSIONS_BOUNDARY,
            "permissions_boundary",
            pointer + "/permissions_boundary",
            sink,
        )
    resource = None
    if raw.get("resource") is not None:
        resource = _policy(
            raw["resource"], _resource_kind(request), "resource", pointer + "/resource", sink
        )
    scp = _levels(raw.get("scp"), PolicyType.SCP, "scp", pointer + "/scp", sink)
    rcp = _levels(raw.get("rcp"), PolicyType.RCP, "rcp", pointer + "/rcp", sink)
    resource_account = _account(raw, "resource_account", pointer, sink)
    management = _account(raw, "management_account", pointer, sink)
    if (
        has_errors(sink.diagnostics[before:])
        or identity is None
        or session is None
        or scp is None
        or rcp is None
    ):
        return None
    return PolicySet(identity, boundary, session, resource, resource_account, scp, rcp, management)


TRUST_ACTIONS = ("sts:assumerole", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext")
"""Actions on a role that its trust policy decides (IAM UG, "Passing session tags in AWS STS":
sts:TagSession, sts:SetSourceIdentity and sts:SetContext are allowed in the trust policy too)."""


def _resource_kind(request: Request | None) -> PolicyType:
    """A resource policy for these actions on a role is the role's trust policy."""
    if (
        request is not None
        and request.action.lower().startswith(TRUST_ACTIONS)
        and ":role/" in request.resource
    ):
        return PolicyType.TRUST
    return PolicyType.RESOURCE


# --------------------------------------------------------------------------- cases and files


_EXPECT = {d.value.lower(): d for d in Decision}


def parse_case(raw: JsonValue, pointer: str, default_id: str, sink: _Sink) -> Case | None:
    if not isinstance(raw, dict):
        sink.add(NOT_OBJECT, "a case must be a JSON object", pointer)
        return None
    before = len(sink.diagnostics)
    _unknown_fields(raw, _CASE_FIELDS, pointer, sink)
    case_id = raw.get("id", default_id)
    if not isinstance(case_id, str | int) or isinstance(case_id, bool):
        sink.add(WRONG_TYPE, "id must be a string", pointer + "/id")
        case_id = default_id
    if "request" not in raw:
        sink.add(MISSING, "request is missing", pointer)
        return None
    request = parse_request(raw["request"], pointer + "/request", sink)
    policies = parse_policies(raw.get("policies"), request, pointer + "/policies", sink)
    expect = None
    if raw.get("expect") is not None:
        text = raw["expect"]
        expect = _EXPECT.get(text.lower()) if isinstance(text, str) else None
        if expect is None:
            sink.add(BAD_EXPECT, f"expect {text!r} is not a decision", pointer + "/expect")
            return None
    citation = raw.get("citation")
    if request is None or policies is None or has_errors(sink.diagnostics[before:]):
        return None
    return Case(
        str(case_id), request, policies, expect, citation if isinstance(citation, str) else None
    )


def read_cases(
    data: str | bytes | JsonValue | Mapping[str, JsonValue], file: str = "<input>"
) -> CasesResult:
    """One case object, a JSON array of cases, or JSON lines; every problem as a diagnostic."""
    sink = _Sink(file)
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            sink.add(NOT_JSON, "the file is not UTF-8 text", "")
            return CasesResult((), tuple(sink.diagnostics))
    if isinstance(data, str):
        cases = _from_text(data, sink)
    else:
        cases = _from_value(dict(data) if isinstance(data, Mapping) else data, "", sink)
    seen: set[str] = set()
    for i, case in enumerate(cases):
        if case.id in seen:
            sink.add(DUPLICATE_ID, f"duplicate case id {case.id!r}", f"/{i}/id")
        seen.add(case.id)
    return CasesResult(tuple(cases), tuple(sink.diagnostics))


def load_cases(
    data: str | bytes | JsonValue | Mapping[str, JsonValue], file: str = "<input>"
) -> tuple[Case, ...]:
    """Like read_cases, but raises InvalidInputError(diagnostics) when anything is wrong."""
    result = read_cases(data, file)
    if not result.ok:
        raise InvalidInputError(
            tuple(d for d in result.diagnostics if d.severity is Severity.ERROR)
        )
    return result.cases


def _from_value(value: JsonValue, prefix: str, sink: _Sink) -> list[Case]:
    if isinstance(value, list):
        found = [
            parse_case(item, f"{prefix}/{i}", f"case-{i + 1}", sink) for i, item in enumerate(value)
        ]
        return [c for c in found if c is not None]
    case = parse_case(value, prefix, "case-1", sink)
    return [case] if case is not None else []


def _from_text(text: str, sink: _Sink) -> list[Case]:
    text = text.lstrip("\ufeff")
    whole = scan(text)
    if whole.complete and not whole.problems:
        sink.index = LineIndex(text)
        sink.offsets = whole.values
        return _from_value(whole.value, "", sink)
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) < 2 or not lines[0][1].lstrip().startswith("{"):
        _report_scan(whole.problems, text, sink)
        return []
    cases: list[Case] = []
    for index, (number, line) in enumerate(lines):
        scanned = scan(line)
        if not scanned.complete or scanned.problems:
            sink.index, sink.base_line = None, number
            sink.add(
                NOT_JSON,
                f"line {number} is not a JSON object: {_first(scanned.problems)}",
                f"/{index}",
            )
            continue
        sink.index, sink.offsets, sink.base_line = (
            LineIndex(line),
            _shift(scanned.values, index),
            number - 1,
        )
        case = parse_case(scanned.value, f"/{index}", f"case-{index + 1}", sink)
        if case is not None:
            cases.append(case)
    sink.index, sink.base_line = None, 0
    return cases


def _shift(values: dict[str, int], index: int) -> dict[str, int]:
    return {f"/{index}{pointer}": offset for pointer, offset in values.items()}


def _first(problems: list[Problem]) -> str:
    return problems[0].message if problems else "invalid JSON"


def _report_scan(problems: list[Problem], text: str, sink: _Sink) -> None:
    index = LineIndex(text)
    if not problems:
        sink.add(NOT_JSON, "not valid JSON", "")
        return
    for problem in problems:
        line, column = index.position(problem.offset)
        message, pointer = problem.message, problem.pointer
        sink.diagnostics.append(
            Diagnostic(
                NOT_JSON.code, Severity.ERROR, message, Location(sink.file, pointer, line, column)
            )
        )


def typed_context(
    items: list[tuple[str, JsonValue]], file: str = "<command line>"
) -> tuple[tuple[tuple[str, ContextValue], ...], tuple[Diagnostic, ...]]:
    """Type (key, JSON value) pairs as in a request file's context (used by the CLI)."""
    sink = _Sink(file)
    out = []
    for key, raw in items:
        value = context_value(key, raw, json_pointer(key), sink)
        if value is not None:
            out.append((key, value))
    return tuple(out), tuple(sink.diagnostics)

"""Statement elements: Action/NotAction, Resource/NotResource, Principal/NotPrincipal, Condition.

Grammar: IAM User Guide, "Grammar of the IAM JSON policy language" and "IAM JSON policy elements
reference" (Action: `service:action`, wildcards `*` and `?`; Resource: an ARN, an ARN with
wildcards, or `*`; Principal: `"*"` or an object of AWS / Service / Federated / CanonicalUser to a
string or a list; Condition: operator -> key -> a value or a list of values).
Each function adds diagnostics to the sink and returns the model value, or None when unusable.
"""

from __future__ import annotations

import re

from iamfence.diagnostics import json_pointer
from iamfence.model.arn import Arn
from iamfence.model.policy import (
    ActionSpec,
    ConditionClause,
    ConditionScalar,
    PrincipalEntry,
    PrincipalKind,
    PrincipalSpec,
    ResourceSpec,
)
from iamfence.parse import codes, operators
from iamfence.parse.context import Sink
from iamfence.parse.scanner import JsonValue

_ACTION = re.compile(r"[A-Za-z0-9-]+:[A-Za-z0-9_*?-]+\Z")
_VARIABLE = re.compile(r"\$\{[^}]*\}")
_ACCOUNT = re.compile(r"[0-9]{12}\Z")
_UNIQUE_ID = re.compile(r"A[A-Z]{3}[A-Z0-9]{12,}\Z")
_CONDITION_KEY = re.compile(r"[^:\s]+:\S+\Z")


def json_type(value: object) -> str:
    match value:
        case None:
            return "null"
        case bool():
            return "a boolean"
        case int() | float():
            return "a number"
        case str():
            return "a string"
        case list():
            return "a list"
        case dict():
            return "an object"
    return type(value).__name__


def string_list(sink: Sink, value: JsonValue, pointer: str, name: str) -> tuple[str, ...] | None:
    """A string or a non-empty list of non-empty strings; items keep their order."""
    if isinstance(value, str):
        if not value:
            sink.add(codes.EMPTY, f"{name} is an empty string", pointer)
            return None
        return (value,)
    if not isinstance(value, list):
        sink.add(
            codes.WRONG_TYPE,
            f"{name} must be a string or a list of strings, not {json_type(value)}",
            pointer,
        )
        return None
    if not value:
        sink.add(codes.EMPTY, f"{name} is an empty list", pointer)
        return None
    good = True
    for i, item in enumerate(value):
        if not isinstance(item, str):
            sink.add(
                codes.WRONG_TYPE,
                f"{name} entries must be strings, not {json_type(item)}",
                f"{pointer}/{i}",
            )
            good = False
        elif not item:
            sink.add(codes.EMPTY, f"{name} entry is an empty string", f"{pointer}/{i}")
            good = False
    return tuple(item for item in value if isinstance(item, str)) if good else None


def _item_pointers(value: JsonValue, pointer: str, count: int) -> list[str]:
    return [f"{pointer}/{i}" for i in range(count)] if isinstance(value, list) else [pointer]


def parse_action(sink: Sink, value: JsonValue, pointer: str, *, negated: bool) -> ActionSpec | None:
    name = "NotAction" if negated else "Action"
    patterns = string_list(sink, value, pointer, name)
    if patterns is None:
        return None
    good = True
    for pattern, where in zip(patterns, _item_pointers(value, pointer, len(patterns)), strict=True):
        if pattern != "*" and not _ACTION.match(pattern):
            sink.add(
                codes.ACTION_MALFORMED,
                f"{pattern!r} is not an action name: expected service:Action (letters, digits, * and ?)",
                where,
            )
            good = False
    return ActionSpec(patterns, negated) if good else None


def resource_problem(pattern: str) -> str | None:
    """Why `pattern` is not a resource (an ARN, an ARN pattern, or *); None when it is one."""
    if pattern == "*":
        return None
    masked = _VARIABLE.sub("v", pattern)
    if not masked.startswith("arn:"):
        return "a resource must be an ARN (arn:partition:service:region:account:resource) or *"
    parts = masked.split(":", 5)
    if len(parts) < 6 and "*" not in parts[-1]:
        return f"an ARN has 6 colon-separated parts, this has {len(parts)}"
    if not parts[1] or (len(parts) > 2 and not parts[2]):
        return "the ARN's partition and service must not be empty"
    if any(ch.isspace() for ch in masked):
        return "an ARN contains no whitespace"
    return None


def parse_resource(
    sink: Sink, value: JsonValue, pointer: str, *, negated: bool
) -> ResourceSpec | None:
    name = "NotResource" if negated else "Resource"
    patterns = string_list(sink, value, pointer, name)
    if patterns is None:
        return None
    good = True
    for pattern, where in zip(patterns, _item_pointers(value, pointer, len(patterns)), strict=True):
        problem = resource_problem(pattern)
        if problem is not None:
            sink.add(codes.RESOURCE_MALFORMED, f"{pattern!r}: {problem}", where)
            good = False
    return ResourceSpec(patterns, negated) if good else None


def _check_aws_principal(sink: Sink, text: str, where: str) -> None:
    masked = _VARIABLE.sub("v", text)
    if text == "*" or _ACCOUNT.match(text) or _UNIQUE_ID.match(text) or Arn.parse(masked):
        return
    sink.add(
        codes.PRINCIPAL_MALFORMED,
        f"AWS principal {text!r} is not *, a 12-digit account ID, an ARN or a unique ID",
        where,
    )


def parse_principal(
    sink: Sink, value: JsonValue, pointer: str, *, negated: bool
) -> PrincipalSpec | None:
    name = "NotPrincipal" if negated else "Principal"
    if value == "*":
        return PrincipalSpec((), everyone=True, negated=negated)
    if not isinstance(value, dict):
        sink.add(
            codes.WRONG_TYPE,
            f'{name} must be "*" or an object such as {{"AWS": ...}}, not {json_type(value)}',
            pointer,
        )
        return None
    if not value:
        sink.add(codes.EMPTY, f"{name} is an empty object", pointer)
        return None
    kinds = {kind.value: kind for kind in PrincipalKind}
    entries: list[PrincipalEntry] = []
    good = True
    for key, item in value.items():
        where = pointer + json_pointer(key)
        kind = kinds.get(key)
        if kind is None:
            hint = next((k for k in kinds if k.lower() == key.lower()), None)
            extra = (
                f" (did you mean {hint!r}?)"
                if hint
                else " (AWS, Service, Federated, CanonicalUser)"
            )
            sink.add(
                codes.PRINCIPAL_TYPE_UNKNOWN,
                f"unknown principal type {key!r}{extra}",
                where,
                at_key=True,
            )
            good = False
            continue
        values = string_list(sink, item, where, f"{name} {key}")
        if values is None:
            good = False
            continue
        for text, at in zip(values, _item_pointers(item, where, len(values)), strict=True):
            if kind is PrincipalKind.AWS:
                _check_aws_principal(sink, text, at)
            entries.append(PrincipalEntry(kind, text))
    return PrincipalSpec(tuple(entries), everyone=False, negated=negated) if good else None


def _check_operator(sink: Sink, operator: str, where: str) -> bool:
    """Diagnose an operator's spelling; True when the clause can still be modelled."""
    split = operators.split_operator(operator)
    if split is None:
        proper = operators.canonical_case(operator)
        if proper is not None:
            sink.add(
                codes.OPERATOR_CASE,
                f"condition operator {operator!r} is spelled {proper!r} by AWS",
                where,
                at_key=True,
            )
            split = operators.split_operator(proper)
        else:
            hint = operators.suggest(operator)
            extra = f" (did you mean {hint!r}?)" if hint else ""
            sink.add(
                codes.OPERATOR_UNKNOWN,
                f"unknown condition operator {operator!r}{extra}",
                where,
                at_key=True,
            )
            return False
    if split is not None and split.base == "Null" and split.if_exists:
        sink.add(
            codes.NULL_IF_EXISTS, "the Null operator takes no IfExists suffix", where, at_key=True
        )
        return False
    return True


def _condition_values(
    sink: Sink, value: JsonValue, where: str
) -> tuple[ConditionScalar, ...] | None:
    items = value if isinstance(value, list) else [value]
    if not items:
        sink.add(codes.EMPTY, "condition value is an empty list", where)
        return None
    good = True
    for i, item in enumerate(items):
        if item is None or isinstance(item, list | dict):
            at = f"{where}/{i}" if isinstance(value, list) else where
            sink.add(
                codes.CONDITION_VALUE,
                f"condition values are strings, numbers or booleans, not {json_type(item)}",
                at,
            )
            good = False
    if not good:
        return None
    return tuple(item for item in items if isinstance(item, str | bool | int | float))


def parse_condition(
    sink: Sink, value: JsonValue, pointer: str
) -> tuple[ConditionClause, ...] | None:
    if not isinstance(value, dict):
        sink.add(codes.WRONG_TYPE, f"Condition must be an object, not {json_type(value)}", pointer)
        return None
    clauses: list[ConditionClause] = []
    good = True
    for operator, block in value.items():
        where = pointer + json_pointer(operator)
        good = _check_operator(sink, operator, where) and good
        if not isinstance(block, dict):
            sink.add(
                codes.WRONG_TYPE,
                f"the {operator} block must be an object of key -> values, not {json_type(block)}",
                where,
            )
            good = False
            continue
        if not block:
            sink.add(codes.EMPTY, f"the {operator} block names no condition key", where)
            good = False
        for key, raw in block.items():
            at = where + json_pointer(key)
            if not _CONDITION_KEY.match(key):
                sink.add(
                    codes.CONDITION_KEY,
                    f"condition key {key!r} is not of the form prefix:name",
                    at,
                    at_key=True,
                )
            values = _condition_values(sink, raw, at)
            if values is None:
                good = False
            else:
                clauses.append(ConditionClause(operator, key, values))
    return tuple(clauses) if good else None

"""A scanned JSON object -> PolicyDocument, adding a diagnostic for every grammar problem.

Grammar: IAM User Guide, "Grammar of the IAM JSON policy language" and "IAM JSON policy elements
reference" (Version, Id, Statement; Sid, Effect, Principal/NotPrincipal, Action/NotAction,
Resource/NotResource, Condition). Policy-kind rules live in kinds.py.
"""

from __future__ import annotations

import difflib

from iamfence.diagnostics import json_pointer
from iamfence.model.policy import (
    ActionSpec,
    ConditionClause,
    Effect,
    PolicyDocument,
    PrincipalSpec,
    ResourceSpec,
    Statement,
)
from iamfence.parse import codes, kinds
from iamfence.parse.context import Sink
from iamfence.parse.elements import (
    json_type,
    parse_action,
    parse_condition,
    parse_principal,
    parse_resource,
)
from iamfence.parse.scanner import JsonValue

VERSIONS = ("2012-10-17", "2008-10-17")
DOCUMENT_ELEMENTS = ("Version", "Id", "Statement")
STATEMENT_ELEMENTS = (
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
)
_PAIRS = (("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal"))


def _unknown_elements(
    sink: Sink, value: dict[str, JsonValue], allowed: tuple[str, ...], pointer: str
) -> None:
    for key in value:
        if key in allowed:
            continue
        close = [a for a in allowed if a.lower() == key.lower()] or difflib.get_close_matches(
            key, allowed, n=1
        )
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        sink.add(
            codes.UNKNOWN_ELEMENT,
            f"unknown element {key!r}{hint}",
            pointer + json_pointer(key),
            at_key=True,
        )


def _version(sink: Sink, value: dict[str, JsonValue]) -> str | None:
    if "Version" not in value:
        sink.add(
            codes.VERSION_MISSING,
            "Version is missing: AWS assumes 2008-10-17, where policy variables are literal text",
            "",
        )
        return None
    version = value["Version"]
    if not isinstance(version, str):
        sink.add(
            codes.WRONG_TYPE, f"Version must be a string, not {json_type(version)}", "/Version"
        )
        return None
    if version not in VERSIONS:
        sink.add(
            codes.VERSION_UNKNOWN,
            f"Version {version!r} is not one of {', '.join(VERSIONS)}",
            "/Version",
        )
        return None
    return version


def _statement_values(sink: Sink, value: dict[str, JsonValue]) -> list[tuple[JsonValue, str]]:
    if "Statement" not in value:
        sink.add(codes.STATEMENT_MISSING, "Statement is missing", "")
        return []
    raw = value["Statement"]
    if isinstance(raw, dict):
        return [(raw, "/Statement")]
    if not isinstance(raw, list):
        sink.add(
            codes.WRONG_TYPE,
            f"Statement must be an object or a list of objects, not {json_type(raw)}",
            "/Statement",
        )
        return []
    if not raw:
        sink.add(codes.EMPTY, "Statement is an empty list", "/Statement")
    return [(item, f"/Statement/{i}") for i, item in enumerate(raw)]


def build_document(sink: Sink, value: dict[str, JsonValue]) -> PolicyDocument | None:
    """The document, or None when some part could not be modelled (the sink says why)."""
    _unknown_elements(sink, value, DOCUMENT_ELEMENTS, "")
    version = _version(sink, value)
    policy_id = value.get("Id")
    if policy_id is not None and not isinstance(policy_id, str):
        sink.add(codes.WRONG_TYPE, f"Id must be a string, not {json_type(policy_id)}", "/Id")
        policy_id = None
    statements: list[Statement | None] = []
    sids: dict[str, str] = {}
    for raw, pointer in _statement_values(sink, value):
        if not isinstance(raw, dict):
            sink.add(
                codes.WRONG_TYPE, f"a statement must be an object, not {json_type(raw)}", pointer
            )
            statements.append(None)
            continue
        statements.append(build_statement(sink, raw, pointer, sids))
    if any(s is None for s in statements):
        return None
    return PolicyDocument(
        tuple(s for s in statements if s is not None), version=version, id=policy_id
    )


def _effect(sink: Sink, value: dict[str, JsonValue], pointer: str) -> Effect | None:
    if "Effect" not in value:
        sink.add(codes.EFFECT_MISSING, "Effect is missing (it is never defaulted)", pointer)
        return None
    raw = value["Effect"]
    if raw == "Allow":
        return Effect.ALLOW
    if raw == "Deny":
        return Effect.DENY
    hint = (
        " (Effect is case-sensitive)"
        if isinstance(raw, str) and raw.lower() in ("allow", "deny")
        else ""
    )
    sink.add(
        codes.EFFECT_INVALID,
        f'Effect must be "Allow" or "Deny", not {raw!r}{hint}',
        f"{pointer}/Effect",
    )
    return None


def _conflicts(sink: Sink, value: dict[str, JsonValue], pointer: str) -> bool:
    found = False
    for plain, negated in _PAIRS:
        if plain in value and negated in value:
            sink.add(
                codes.CONFLICTING,
                f"{plain} and {negated} cannot both be in one statement",
                f"{pointer}/{negated}",
                at_key=True,
            )
            found = True
    return found


def _sid(
    sink: Sink, value: dict[str, JsonValue], pointer: str, seen: dict[str, str]
) -> tuple[bool, str | None]:
    if "Sid" not in value:
        return True, None
    sid = value["Sid"]
    if not isinstance(sid, str):
        sink.add(codes.WRONG_TYPE, f"Sid must be a string, not {json_type(sid)}", f"{pointer}/Sid")
        return False, None
    good = kinds.check_sid(sink, sid, f"{pointer}/Sid")
    if sid in seen:
        sink.add(codes.SID_DUPLICATE, f"Sid {sid!r} is also used at {seen[sid]}", f"{pointer}/Sid")
        good = False
    else:
        seen[sid] = pointer
    return good, sid


def build_statement(
    sink: Sink, value: dict[str, JsonValue], pointer: str, sids: dict[str, str]
) -> Statement | None:
    _unknown_elements(sink, value, STATEMENT_ELEMENTS, pointer)
    sid_ok, sid = _sid(sink, value, pointer, sids)
    effect = _effect(sink, value, pointer)
    conflict = _conflicts(sink, value, pointer)
    good = kinds.check_statement(sink, value, pointer) and not conflict
    action: ActionSpec | None = None
    resource: ResourceSpec | None = None
    principal: PrincipalSpec | None = None
    conditions: tuple[ConditionClause, ...] | None = ()
    for key, raw in value.items():
        where = f"{pointer}/{key}"
        if key in ("Action", "NotAction"):
            action = parse_action(sink, raw, where, negated=key == "NotAction")
            good = good and action is not None
        elif key in ("Resource", "NotResource"):
            resource = parse_resource(sink, raw, where, negated=key == "NotResource")
            good = good and resource is not None
        elif key in ("Principal", "NotPrincipal"):
            principal = parse_principal(sink, raw, where, negated=key == "NotPrincipal")
            fits = principal is not None and kinds.check_principal(sink, principal, where)
            good = fits and good
        elif key == "Condition":
            conditions = parse_condition(sink, raw, where)
    if effect is None or not sid_ok or not good or conditions is None or action is None:
        return None
    return Statement(effect, action, resource, principal, conditions, sid)

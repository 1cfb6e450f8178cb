"""PolicyDocument -> canonical AWS JSON (PascalCase lives here and in the parser only).

Canonical form: Version, Id, Statement (always a list); statement keys in the order Sid, Effect,
Principal/NotPrincipal, Action/NotAction, Resource/NotResource, Condition; a one-element list is
written as its single string. Condition clauses are grouped by operator and principal entries by
type, in first-appearance order, so parse(policy_to_json(d)).document == d for every document the
parser produces.
"""

from __future__ import annotations

import json
from typing import Any

from iamfence.model.policy import (
    ConditionClause,
    ConditionScalar,
    PolicyDocument,
    PrincipalSpec,
    Statement,
)


def _one_or_list(values: tuple[str, ...]) -> str | list[str]:
    return values[0] if len(values) == 1 else list(values)


def _scalars(values: tuple[ConditionScalar, ...]) -> ConditionScalar | list[ConditionScalar]:
    return values[0] if len(values) == 1 else list(values)


def _principal(spec: PrincipalSpec) -> str | dict[str, Any]:
    if spec.everyone:
        return "*"
    grouped: dict[str, list[str]] = {}
    for entry in spec.entries:
        grouped.setdefault(entry.kind.value, []).append(entry.value)
    return {kind: _one_or_list(tuple(values)) for kind, values in grouped.items()}


def _condition(clauses: tuple[ConditionClause, ...]) -> dict[str, dict[str, Any]]:
    grouped: dict[str, dict[str, Any]] = {}
    for clause in clauses:
        grouped.setdefault(clause.operator, {})[clause.key] = _scalars(clause.values)
    return grouped


def statement_to_dict(statement: Statement) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if statement.sid is not None:
        out["Sid"] = statement.sid
    out["Effect"] = statement.effect.value
    if statement.principal is not None:
        key = "NotPrincipal" if statement.principal.negated else "Principal"
        out[key] = _principal(statement.principal)
    if statement.action is not None:
        key = "NotAction" if statement.action.negated else "Action"
        out[key] = _one_or_list(statement.action.patterns)
    if statement.resource is not None:
        key = "NotResource" if statement.resource.negated else "Resource"
        out[key] = _one_or_list(statement.resource.patterns)
    if statement.conditions:
        out["Condition"] = _condition(statement.conditions)
    return out


def policy_to_dict(doc: PolicyDocument) -> dict[str, Any]:
    """The document in canonical AWS JSON shape (a new dict each call)."""
    out: dict[str, Any] = {}
    if doc.version is not None:
        out["Version"] = doc.version
    if doc.id is not None:
        out["Id"] = doc.id
    out["Statement"] = [statement_to_dict(s) for s in doc.statements]
    return out


def policy_to_json(doc: PolicyDocument, *, indent: int | None = None) -> str:
    """Canonical JSON text: compact (",", ":") when indent is None, non-ASCII kept as is."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(policy_to_dict(doc), indent=indent, separators=separators, ensure_ascii=False)

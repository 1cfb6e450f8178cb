"""Evaluating one Condition clause against the request context (three-valued: yes, no, unknown).

IAM User Guide, "IAM JSON policy elements: Condition" (evaluation logic): the values of one key
are ORed, keys and operators are ANDed, key names ignore letter case.
"...IfExists condition operators": an absent key makes the condition true.
"Condition operators", negated operators: StringNotEquals etc. match when the key is absent.
"Single-valued vs. multivalued context keys": ForAllValues is true when every request value
matches (and when the key is absent or empty); ForAnyValue is true when at least one matches
(false when the key is absent or empty).
"Policy variables with no value": a policy value whose variable has no value is effectively null:
StringEquals/StringLike do not match it, negated operators do.
"""

from __future__ import annotations

from dataclasses import dataclass

from iamfence.engine.conditions import ParsedOperator, SetQualifier, lookup
from iamfence.engine.context import EvalContext
from iamfence.engine.matchers import Tri, resolve
from iamfence.engine.patterns import UNKNOWN, Template, _Unknown, parse_template
from iamfence.model import ConditionClause, ContextValue


@dataclass(frozen=True, slots=True)
class CompiledCondition:
    clause: ConditionClause
    op: ParsedOperator
    key: str
    templates: tuple[Template, ...]
    prepared: tuple[object | None, ...] | None
    """Prepared policy values when none holds a variable (None: prepare per request)."""
    label: str


def _scalar_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_VARIABLE_FAMILIES = ("string", "arn", "bool")
"""IAM UG, "IAM policy elements: Variables and tags" (Where you can use policy variables /
Condition element): policy variables are substituted only with the string and ARN operators (and
Bool, per "Condition operators", Boolean condition operators); with Numeric, Date, Binary, IP
address and Null operators the `${...}` text stays literal (and so never parses as a value)."""


def _substitutes(op: ParsedOperator) -> bool:
    return op.base is not None and op.base.name.lower().startswith(_VARIABLE_FAMILIES)


def compile_condition(clause: ConditionClause, variables: bool) -> CompiledCondition:
    op = lookup(clause.operator)
    variables = variables and _substitutes(op)
    templates = tuple(parse_template(_scalar_text(v), variables) for v in clause.values)
    prepared: tuple[object | None, ...] | None = None
    if op.base is not None and not any(t.has_vars for t in templates):
        prepared = tuple(op.base.prepare(t.parts) for t in templates)
    label = f"{clause.operator}({clause.key})"
    return CompiledCondition(clause, op, clause.key.lower(), templates, prepared, label)


def _prepare_now(cond: CompiledCondition, ctx: EvalContext) -> tuple[object | None, ...] | _Unknown:
    base = cond.op.base
    assert base is not None
    out: list[object | None] = []
    for template in cond.templates:
        parts = resolve(template, ctx)
        if isinstance(parts, _Unknown):
            return UNKNOWN
        out.append(None if parts is None else base.prepare(parts))
    return tuple(out)


def evaluate_condition(cond: CompiledCondition, ctx: EvalContext) -> tuple[Tri, str]:
    """(result, reason code)."""
    op = cond.op
    base = op.base
    if base is None:
        return Tri.UNKNOWN, "unknown-operator"
    value = ctx.get(cond.key)
    if op.is_null:
        # A key AWS always sets is present even when its value is not known.
        return _null(cond, None if value is None else value)
    if isinstance(value, _Unknown):
        return Tri.UNKNOWN, "unknown-key"
    prepared = cond.prepared if cond.prepared is not None else _prepare_now(cond, ctx)
    if isinstance(prepared, _Unknown):
        return Tri.UNKNOWN, "unknown-variable"
    if value is None or (value.multi and not value.values):
        return _missing(op)
    if op.qualifier is not SetQualifier.NONE and value.values == ("",):
        # IAM UG, "Creating a condition with multiple keys or values" (set operators): when the
        # request's values resolve to an empty data set (e.g. an empty string), ForAllValues
        # returns true and ForAnyValue false, whatever the operator.
        if op.qualifier is SetQualifier.FOR_ALL_VALUES:
            return Tri.YES, "for-all-values-empty"
        return Tri.NO, "for-any-value-empty"
    if op.qualifier is SetQualifier.NONE:
        if value.multi or len(value.values) != 1:
            # AWS-DEVIATION: the IAM UG does not say how a single-valued operator treats a
            # multivalued key ("multivalued context keys require a set operator"); not guessed.
            return Tri.UNKNOWN, "single-valued-operator-on-multivalued-key"
        result = _one(op, value.values[0], prepared)
        if result is None:
            return Tri.NO, "type-mismatch"
        return (Tri.YES, "match") if result else (Tri.NO, "no-match")
    results = [_one(op, v, prepared) for v in value.values]
    flags = [r is True for r in results]
    ok = all(flags) if op.qualifier is SetQualifier.FOR_ALL_VALUES else any(flags)
    return (Tri.YES, "match") if ok else (Tri.NO, "no-match")


def _one(op: ParsedOperator, text: str, prepared: tuple[object | None, ...]) -> bool | None:
    """One context value against the policy values; None on a type mismatch."""
    base = op.base
    assert base is not None
    typed = base.convert(text)
    if typed is None:
        return None
    hit = False
    for pol in prepared:
        if pol is not None and base.test(typed, pol):
            hit = True
            break
    return (not hit) if base.negated else hit


def _missing(op: ParsedOperator) -> tuple[Tri, str]:
    if op.qualifier is SetQualifier.FOR_ALL_VALUES:
        return Tri.YES, "for-all-values-absent"
    if op.if_exists:
        return Tri.YES, "if-exists-absent"
    if op.qualifier is SetQualifier.FOR_ANY_VALUE:
        return Tri.NO, "for-any-value-absent"
    assert op.base is not None
    if op.base.negated:
        return Tri.YES, "negated-absent"
    return Tri.NO, "key-absent"


def _null(cond: CompiledCondition, value: ContextValue | _Unknown | None) -> tuple[Tri, str]:
    absent = value is None or (isinstance(value, ContextValue) and value.multi and not value.values)
    wanted = "true" if absent else "false"
    for template in cond.templates:
        if template.static.strip().lower() == wanted:
            return Tri.YES, "null-absent" if absent else "null-present"
    return Tri.NO, "null-present" if absent is False else "null-absent"

"""Conditions whose outcome flips when a context key is absent from the request.

Sources: IAM User Guide, "IAM JSON policy elements: Condition operators" ("If the key that you
specify in a policy condition is not present in the request context, the values do not match and
the condition is false", except the negated operators, ...IfExists and Null);
"aws:MultiFactorAuthPresent" and "aws:MultiFactorAuthAge" (not present in requests signed with
long-term access keys, hence `BoolIfExists` in a Deny); "Single-valued vs. multivalued context
keys" (ForAllValues "also returns true if there are no context keys in the request": be careful
using it with Allow; add a Null check); "...IfExists condition operators" ("If the key is not
present, evaluate the condition element as true"); "aws:RequestTag/tag-key", "aws:TagKeys" and
the Service Authorization Reference for iam:PermissionsBoundary (present only when the request
sets a permissions boundary).
"""

from __future__ import annotations

from collections.abc import Iterator

from iamfence.diagnostics import Diagnostic
from iamfence.lint import codes
from iamfence.lint.framework import LintContext, register_rule
from iamfence.model.policy import ConditionClause, Effect, Statement
from iamfence.parse import operators

ABSENT_FOR_LONG_TERM_KEYS: dict[str, str] = {
    "aws:multifactorauthpresent": "requests signed with long-term access keys",
    "aws:multifactorauthage": "requests signed with long-term access keys",
}
"""Keys AWS documents as absent from some requests a Deny on them is usually meant to cover."""

NEGATED_BASES = frozenset(
    {
        "StringNotEquals",
        "StringNotEqualsIgnoreCase",
        "StringNotLike",
        "NumericNotEquals",
        "DateNotEquals",
        "NotIpAddress",
        "ArnNotEquals",
        "ArnNotLike",
    }
)
"""Operators that are true when the key is absent (the doc's "requires that the key is not
matched"); every other base operator except Null is false then."""


def _split(clause: ConditionClause) -> operators.OperatorName | None:
    proper = operators.canonical_case(clause.operator) or clause.operator
    return operators.split_operator(proper)


def _false_when_absent(name: operators.OperatorName) -> bool:
    if name.if_exists or name.base == "Null":
        return False
    if name.set_prefix == "ForAnyValue:":
        return True
    if name.set_prefix == "ForAllValues:":
        return False
    return name.base not in NEGATED_BASES


def _null_checked(statement: Statement, key: str) -> bool:
    return any(c.operator == "Null" and c.key.lower() == key.lower() for c in statement.conditions)


def _condition_pointer(context: LintContext, index: int, clause: ConditionClause) -> str:
    key = clause.key.replace("~", "~0").replace("/", "~1")
    operator = clause.operator.replace("~", "~0").replace("/", "~1")
    return f"{context.element_pointer(index, 'Condition')}/{operator}/{key}"


@register_rule(codes.DENY_ABSENT_KEY)
def deny_on_absent_key(context: LintContext) -> Iterator[Diagnostic]:
    for index, statement in context.statements():
        if statement.effect is not Effect.DENY:
            continue
        for clause in statement.conditions:
            when = ABSENT_FOR_LONG_TERM_KEYS.get(clause.key.lower())
            name = _split(clause)
            if when is None or name is None or not _false_when_absent(name):
                continue
            yield context.diagnostic(
                codes.DENY_ABSENT_KEY,
                f"{clause.key} is absent from {when}, so {clause.operator} is false there and "
                f"this Deny does not apply; use {name.base}IfExists",
                _condition_pointer(context, index, clause),
                at_key=True,
            )


@register_rule(codes.ALLOW_FOR_ALL_VALUES)
def allow_for_all_values(context: LintContext) -> Iterator[Diagnostic]:
    for index, statement in context.statements():
        if statement.effect is not Effect.ALLOW:
            continue
        for clause in statement.conditions:
            name = _split(clause)
            if name is None or name.set_prefix != "ForAllValues:" or name.base == "Null":
                continue
            if _null_checked(statement, clause.key):
                continue
            yield context.diagnostic(
                codes.ALLOW_FOR_ALL_VALUES,
                f"{clause.operator} is also true when the request has no {clause.key}, so this "
                f'Allow applies to such requests; add "Null": {{"{clause.key}": "false"}}',
                _condition_pointer(context, index, clause),
                at_key=True,
            )


OMITTABLE_KEYS: tuple[str, ...] = (
    "aws:requesttag/",
    "aws:tagkeys",
    "s3:x-amz-server-side-encryption",
    "s3:x-amz-acl",
)
"""Key prefixes (lower case) whose presence the caller decides by what it sends."""
BOUNDARY_KEY = "iam:permissionsboundary"


@register_rule(codes.ALLOW_IF_EXISTS_OMITTABLE, codes.BOUNDARY_GUARD_IF_EXISTS)
def allow_if_exists_omittable(context: LintContext) -> Iterator[Diagnostic]:
    for index, statement in context.statements():
        if statement.effect is not Effect.ALLOW:
            continue
        for clause in statement.conditions:
            name = _split(clause)
            key = clause.key.lower()
            if name is None or not name.if_exists or _null_checked(statement, clause.key):
                continue
            if key == BOUNDARY_KEY:
                code = codes.BOUNDARY_GUARD_IF_EXISTS
                what = "a request that sets no permissions boundary at all"
            elif key.startswith(OMITTABLE_KEYS):
                code = codes.ALLOW_IF_EXISTS_OMITTABLE
                what = f"a request that simply leaves {clause.key} out"
            else:
                continue
            yield context.diagnostic(
                code,
                f"{clause.operator} is true when the key is absent, so this Allow also matches "
                f"{what}; use {name.set_prefix or ''}{name.base} without IfExists",
                _condition_pointer(context, index, clause),
                at_key=True,
            )

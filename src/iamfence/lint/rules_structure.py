"""Statement structure: a statement that repeats another one (IF210).

A repeated statement changes no decision (IAM User Guide, "Policy evaluation logic": statements of
one policy combine; the same statement twice is the same grant or denial) but it costs characters
against the size limit and usually means an edit went to the wrong copy.
"""

from __future__ import annotations

from collections.abc import Iterator

from iamfence.diagnostics import Diagnostic
from iamfence.lint import codes
from iamfence.lint.framework import LintContext, register_rule
from iamfence.model.policy import Statement

_Shape = tuple[object, ...]


def _shape(statement: Statement) -> _Shape:
    """What the statement means, Sid and the order of values aside."""
    action, resource, principal = statement.action, statement.resource, statement.principal
    return (
        statement.effect,
        None if action is None else (action.negated, frozenset(action.patterns)),
        None if resource is None else (resource.negated, frozenset(resource.patterns)),
        None
        if principal is None
        else (principal.negated, principal.everyone, frozenset(principal.entries)),
        frozenset(
            (clause.operator, clause.key, frozenset(map(repr, clause.values)))
            for clause in statement.conditions
        ),
    )


@register_rule(codes.DUPLICATE_STATEMENT)
def duplicate_statements(context: LintContext) -> Iterator[Diagnostic]:
    first: dict[_Shape, int] = {}
    for index, statement in context.statements():
        shape = _shape(statement)
        if shape in first:
            earlier = context.statement_pointer(first[shape])
            yield context.diagnostic(
                codes.DUPLICATE_STATEMENT,
                f"this statement repeats {earlier} (Sid aside); remove one copy",
                context.statement_pointer(index),
            )
        else:
            first[shape] = index

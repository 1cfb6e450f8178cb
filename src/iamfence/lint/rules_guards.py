"""Guards that cannot guard: an Allow whose condition is meant to restrict some actions, beside an
Allow without a condition that already grants the same actions on the same resources (IF230).

Source: IAM User Guide, "Policy evaluation logic" (within a policy, a request is allowed when any
Allow statement matches it): the unconditioned statement matches every request the conditioned
one would, so the condition restricts nothing. This is how a "require a permissions boundary on
CreateRole" guard silently stops working when someone adds a broad Allow next to it.
The check is sound, not complete: containment of wildcard patterns is decided conservatively
(lint/patterns.py), and NotAction/NotResource statements are not compared.
"""

from __future__ import annotations

from collections.abc import Iterator

from iamfence.diagnostics import Diagnostic
from iamfence.lint import codes
from iamfence.lint.framework import LintContext, register_rule
from iamfence.lint.patterns import covers_all
from iamfence.model.policy import Effect, Statement


def _grants_at_least(broad: Statement, narrow: Statement) -> bool:
    """True when `broad` (unconditioned) matches every request `narrow` could match."""
    if broad.action is None or narrow.action is None:
        return False
    if broad.action.negated or narrow.action.negated:
        return False
    if not covers_all(broad.action.patterns, narrow.action.patterns, ignore_case=True):
        return False
    if (broad.resource is None) != (narrow.resource is None):
        return False
    if broad.resource is not None and narrow.resource is not None:
        if broad.resource.negated or narrow.resource.negated:
            return False
        if not covers_all(broad.resource.patterns, narrow.resource.patterns, ignore_case=False):
            return False
    return broad.principal == narrow.principal or (
        broad.principal is not None
        and broad.principal.everyone
        and not broad.principal.negated
        and narrow.principal is not None
        and not narrow.principal.negated
    )


@register_rule(codes.INERT_GUARD)
def inert_guard(context: LintContext) -> Iterator[Diagnostic]:
    statements = context.document.statements
    broad = [i for i, s in enumerate(statements) if s.effect is Effect.ALLOW and not s.conditions]
    for index, statement in enumerate(statements):
        if statement.effect is not Effect.ALLOW or not statement.conditions:
            continue
        other = next((i for i in broad if _grants_at_least(statements[i], statement)), None)
        if other is None:
            continue
        yield context.diagnostic(
            codes.INERT_GUARD,
            f"this condition restricts nothing: {context.statement_pointer(other)} allows the "
            "same actions on the same resources without a condition, and Allow statements "
            "combine with OR; narrow that statement or turn the guard into a Deny",
            context.element_pointer(index, "Condition"),
            at_key=True,
        )

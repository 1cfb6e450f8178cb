"""Broad grants: Allow with NotResource (IF200) and Allow of "*" on "*" without a condition (IF201).

Sources: IAM User Guide, "IAM JSON policy elements: NotResource" ("be careful using NotResource
with Allow: it grants every resource not listed, including ones created later") and "Security
best practices in IAM" (grant least privilege). SCPs and RCPs are filters, not grants: the
AWS-managed FullAWSAccess SCP is exactly Allow "*" on "*", so IF201 skips them.
"""

from __future__ import annotations

from collections.abc import Iterator

from iamfence.diagnostics import Diagnostic
from iamfence.lint import codes
from iamfence.lint.framework import LintContext, register_rule
from iamfence.model.policy import Effect, PolicyType

FILTER_KINDS = frozenset({PolicyType.SCP, PolicyType.RCP})


@register_rule(codes.ALLOW_NOT_RESOURCE)
def allow_with_not_resource(context: LintContext) -> Iterator[Diagnostic]:
    for index, statement in context.statements():
        resource = statement.resource
        if statement.effect is Effect.ALLOW and resource is not None and resource.negated:
            yield context.diagnostic(
                codes.ALLOW_NOT_RESOURCE,
                "Allow with NotResource grants the actions on every resource except those "
                "listed, including resources created later; list the resources in Resource",
                context.element_pointer(index, "NotResource"),
                at_key=True,
            )


@register_rule(codes.ALLOW_ALL)
def allow_everything(context: LintContext) -> Iterator[Diagnostic]:
    if context.kind in FILTER_KINDS:
        return
    for index, statement in context.statements():
        action, resource = statement.action, statement.resource
        if (
            statement.effect is Effect.ALLOW
            and not statement.conditions
            and action is not None
            and not action.negated
            and "*" in action.patterns
            and resource is not None
            and not resource.negated
            and "*" in resource.patterns
        ):
            yield context.diagnostic(
                codes.ALLOW_ALL,
                'Allow of every action ("*") on every resource ("*") without a condition '
                "grants full administrator access",
                context.statement_pointer(index),
            )

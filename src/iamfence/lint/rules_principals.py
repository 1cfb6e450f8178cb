"""Who may use the policy: trust and resource policies open to everyone.

Sources: IAM User Guide, "IAM JSON policy elements: Principal" ("Principal": "*" and
{"AWS": "*"} both mean every principal, in every account; "we strongly recommend that you do not
use a wildcard in the Principal element of a role's trust policy unless you otherwise restrict
access through a Condition element"), and "Create a role for OpenID Connect federation" (condition
on the token's subject, e.g. `token.actions.githubusercontent.com:sub`, so only your workloads
can assume the role).
"""

from __future__ import annotations

from collections.abc import Iterator

from iamfence.diagnostics import Diagnostic
from iamfence.lint import codes
from iamfence.lint.framework import LintContext, register_rule
from iamfence.lint.patterns import covers
from iamfence.model.policy import Effect, PolicyType, PrincipalKind, PrincipalSpec, Statement

WEB_IDENTITY_ACTION = "sts:AssumeRoleWithWebIdentity"
NO_SUBJECT_PROVIDERS = ("cognito-identity.amazonaws.com",)
"""Providers whose documented trust conditions are aud/amr, not sub."""


def _everyone(principal: PrincipalSpec | None) -> bool:
    if principal is None or principal.negated:
        return False
    return principal.everyone or any(
        e.kind is PrincipalKind.AWS and e.value == "*" for e in principal.entries
    )


def _open_statements(context: LintContext) -> Iterator[tuple[int, Statement]]:
    for index, statement in context.statements():
        if (
            statement.effect is Effect.ALLOW
            and not statement.conditions
            and _everyone(statement.principal)
        ):
            yield index, statement


@register_rule(codes.TRUST_EVERYONE)
def trust_everyone(context: LintContext) -> Iterator[Diagnostic]:
    if context.kind is not PolicyType.TRUST:
        return
    for index, _ in _open_statements(context):
        yield context.diagnostic(
            codes.TRUST_EVERYONE,
            "any principal in any AWS account can assume this role: name the principals, "
            "or restrict them with a Condition (e.g. aws:PrincipalOrgID)",
            context.element_pointer(index, "Principal"),
        )


@register_rule(codes.PUBLIC_RESOURCE)
def public_resource(context: LintContext) -> Iterator[Diagnostic]:
    if context.kind is not PolicyType.RESOURCE:
        return
    for index, _ in _open_statements(context):
        yield context.diagnostic(
            codes.PUBLIC_RESOURCE,
            "any principal, in any account or anonymous, is allowed these actions: make sure "
            "the resource is meant to be public, or add a Condition",
            context.element_pointer(index, "Principal"),
        )


def _web_identity(statement: Statement) -> bool:
    action = statement.action
    if action is None or action.negated:
        return False
    return any(covers(p, WEB_IDENTITY_ACTION, ignore_case=True) for p in action.patterns)


@register_rule(codes.WEB_IDENTITY_NO_SUBJECT)
def web_identity_without_subject(context: LintContext) -> Iterator[Diagnostic]:
    if context.kind is not PolicyType.TRUST:
        return
    for index, statement in context.statements():
        principal = statement.principal
        if statement.effect is not Effect.ALLOW or principal is None or principal.negated:
            continue
        providers = [e.value for e in principal.entries if e.kind is PrincipalKind.FEDERATED]
        oidc = [p for p in providers if ":saml-provider/" not in p]
        if not oidc or any(p in NO_SUBJECT_PROVIDERS for p in oidc):
            continue
        if not _web_identity(statement):
            continue
        if any(c.key.lower().endswith(":sub") for c in statement.conditions):
            continue
        yield context.diagnostic(
            codes.WEB_IDENTITY_NO_SUBJECT,
            f"any identity of {oidc[0]} can assume this role: add a condition on the token's "
            f'subject, e.g. "StringEquals": {{"{_provider_host(oidc[0])}:sub": "..."}}',
            context.element_pointer(index, "Principal"),
        )


def _provider_host(provider: str) -> str:
    return provider.split(":oidc-provider/", 1)[-1]

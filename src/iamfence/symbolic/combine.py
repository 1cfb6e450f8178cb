"""The decision of a whole policy set as one formula, mirroring the engine's combiner.

IAM User Guide, "Policy evaluation logic": an explicit Deny in any applicable policy wins. Then
every SCP level from the root down to the account must allow (AWS Organizations User Guide,
"Service control policies"; SCPs restrict only IAM principals, not service-linked roles, not the
management account). Within one account ("Policy evaluation for requests within a single account",
"Permissions boundaries for IAM entities", "Session policies"):
- a resource policy that names the principal directly (user, session, "*") allows by itself;
- one that names the role ARN allows if the boundary and the session policies allow;
- otherwise identity policies AND the boundary AND the session policies must allow, and for role
  trust (sts:AssumeRole* on a role) and KMS keys the resource policy must grant too.
Across accounts ("Cross-account policy evaluation logic") both sides must allow. Whether the
resource is in the principal's account is read from the resource ARN (or `resource_account`); an
ARN with no account is in the principal's account unless a resource policy is given, when both
readings must allow (as the engine does)."""

from __future__ import annotations

from iamfence.engine.matchers import Grant, compile_principals
from iamfence.engine.principal import classify, is_service_linked_role
from iamfence.engine.types import PolicySet
from iamfence.model import Effect, NamedPolicy, PolicyType, Statement
from iamfence.symbolic.encode import Encoding
from iamfence.symbolic.values import Unsupported
from iamfence.symbolic.z3_backend import Expr, as_expr, conj, disj, neg, z3


def allowed(enc: Encoding, policies: PolicySet) -> Expr:
    """The request described by `enc`'s variables is allowed by `policies`."""
    info = classify(enc.principal)
    if not info.is_iam:
        raise Unsupported(f"principal {enc.principal!r} is not an IAM principal")
    root = info.arn is not None and info.arn.endswith(":root")
    deny_terms = [enc.any_statement(p, Effect.DENY) for p in _principal_side(policies)]
    scp_applies = (
        bool(policies.scp)
        and not is_service_linked_role(info, info.arn)
        and not (
            policies.management_account is not None and info.account == policies.management_account
        )
    )
    scp_ok: list[Expr] = []
    if scp_applies:
        for level in policies.scp:
            deny_terms.extend(enc.any_statement(p, Effect.DENY) for p in level)
            scp_ok.append(disj(*(enc.any_statement(p, Effect.ALLOW) for p in level)))
    identity_ok = True if root else _any_allow(enc, policies.identity)
    boundary_ok = True
    if policies.permissions_boundary is not None and not root:
        boundary_ok = enc.any_statement(policies.permissions_boundary, Effect.ALLOW)
    session_ok = _any_allow(enc, policies.session) if policies.session else True
    grants = _resource_grants(enc, policies, deny_terms)
    requires = _requires_resource_policy(enc, policies)
    same = disj(
        grants[Grant.DIRECT],
        conj(grants[Grant.ROLE], boundary_ok, session_ok),
        conj(
            identity_ok,
            boundary_ok,
            session_ok,
            disj(neg(requires), grants[Grant.ACCOUNT], grants[Grant.ROLE]),
        ),
    )
    any_grant = disj(grants[Grant.DIRECT], grants[Grant.ROLE], grants[Grant.ACCOUNT])
    cross = conj(identity_ok, boundary_ok, session_ok, any_grant)
    decision = _by_account(enc, policies, info.account, same, cross)
    return conj(neg(disj(*deny_terms)), *scp_ok, decision)


def _principal_side(policies: PolicySet) -> list[NamedPolicy]:
    out: list[NamedPolicy] = list(policies.identity)
    if policies.permissions_boundary is not None:
        out.append(policies.permissions_boundary)
    out.extend(policies.session)
    return out


def _any_allow(enc: Encoding, named: tuple[NamedPolicy, ...]) -> Expr:
    terms = [enc.any_statement(p, Effect.ALLOW) for p in named]
    return disj(*terms) if terms else False


def _resource_grants(
    enc: Encoding, policies: PolicySet, deny_terms: list[Expr]
) -> dict[Grant, Expr]:
    """Per grant level, whether an Allow of the resource policy applies; its Denies join
    `deny_terms`. The principal is fixed, so how a statement names it is decided in Python with
    the engine's own principal matcher."""
    found: dict[Grant, list[Expr]] = {g: [] for g in Grant}
    policy = policies.resource
    if policy is not None:
        trust = policy.type is PolicyType.TRUST
        variables = policy.document.supports_variables
        for statement in policy.document.statements:
            action = enc.action_match(statement)
            if action is False:
                continue
            grant = _grant(enc, statement, bounded=policies.permissions_boundary is not None)
            if grant is Grant.NONE:
                continue
            term = conj(action, enc.statement(statement, variables, has_resource=not trust))
            if statement.effect is Effect.DENY:
                deny_terms.append(term)
            else:
                found[grant].append(term)
    return {g: disj(*terms) if terms else False for g, terms in found.items()}


def _grant(enc: Encoding, statement: Statement, *, bounded: bool) -> Grant:
    matcher = compile_principals(statement.principal)
    info = classify(enc.principal)
    if matcher is None:
        return Grant.NONE
    if not matcher.negated:
        return matcher.grant(info, info.arn)
    if statement.effect is Effect.DENY and bounded:
        return Grant.DIRECT
    if matcher.excludes(info, info.arn):
        return Grant.NONE
    return Grant.DIRECT if statement.effect is Effect.DENY else Grant.ACCOUNT


def _requires_resource_policy(enc: Encoding, policies: PolicySet) -> Expr:
    """KMS key policies and role trust policies must grant even within the account (the engine
    looks for ":kms:" and ":key/", or ":iam::" and ":role/", in the resource)."""
    if policies.resource is not None and policies.resource.type is PolicyType.TRUST:
        return True
    kms = conj(enc.action_starts("kms:"), *(enc.resource.contains(n) for n in (":kms:", ":key/")))
    role = (":iam::", ":role/")
    trust = conj(enc.action_starts("sts:assumerole"), *(enc.resource.contains(n) for n in role))
    return disj(kms, trust)


def _by_account(
    enc: Encoding, policies: PolicySet, account: str | None, same: Expr, cross: Expr
) -> Expr:
    if policies.resource_account is not None and account is not None:
        return same if policies.resource_account == account else cross
    if account is None:
        return same
    res = enc.resource
    no_account = disj(res.star, res.account_is(""))
    own = res.account_is(account)
    if policies.resource is not None:
        return z3.If(
            as_expr(no_account),
            as_expr(conj(same, cross)),
            z3.If(own, as_expr(same), as_expr(cross)),
        )
    return z3.If(as_expr(disj(no_account, own)), as_expr(same), as_expr(cross))

"""`authorize()` and the compiled form: every policy type is reduced to facts (which statements
apply), and one combiner decides, following the IAM User Guide pages cited at each rule.

Unknowns: a statement may apply "unknown" (a condition on a key AWS always sets that the request
does not carry, an unknown operator, a single-valued operator on a multivalued key). The decision
is monotone in statement matches (an allow can only help, a deny only hurt), so the engine decides
twice, once with every unknown deny applying and every unknown allow not (pessimistic), once the
other way round (optimistic). When both agree, that is the decision; otherwise the result is
Indeterminate with the statements that mattered. Never a guessed Allow."""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace

from iamfence.engine.compiled import (
    CompiledPolicy,
    CompiledStatement,
    StatementResult,
    compile_policy,
)
from iamfence.engine.context import EvalContext
from iamfence.engine.matchers import Grant, Tri
from iamfence.engine.principal import PrincipalClass, is_service_linked_role
from iamfence.engine.types import (
    AuthorizationResult,
    Decision,
    Explanation,
    PolicySet,
    StatementRef,
)
from iamfence.model import NamedPolicy, PolicyType, Request

_BLOCK_ORDER = (
    PolicyType.SCP,
    PolicyType.RCP,
    PolicyType.RESOURCE,
    PolicyType.TRUST,
    PolicyType.IDENTITY,
    PolicyType.PERMISSIONS_BOUNDARY,
    PolicyType.SESSION,
)


@dataclass(slots=True)
class _Facts:
    """What the statements say, per policy type: YES / UNKNOWN results only."""

    results: list[StatementResult]
    details: list[tuple[StatementRef, tuple[str, ...]]]


_Plan = tuple[tuple[CompiledStatement, bool], ...]


class CompiledPolicySet:
    """A PolicySet compiled once: `authorize(request)` many times."""

    def __init__(self, policies: PolicySet) -> None:
        self.policies = policies
        self.identity = tuple(
            compile_policy(p, PolicyType.IDENTITY, False) for p in policies.identity
        )
        pb = policies.permissions_boundary
        self.boundary = compile_policy(pb, PolicyType.PERMISSIONS_BOUNDARY, False) if pb else None
        self.session = tuple(compile_policy(p, PolicyType.SESSION, False) for p in policies.session)
        rp = policies.resource
        rtype = rp.type if rp is not None and rp.type is PolicyType.TRUST else PolicyType.RESOURCE
        self.resource = compile_policy(rp, rtype, True) if rp is not None else None
        self.scp = tuple(
            tuple(compile_policy(p, PolicyType.SCP, False, i) for p in level)
            for i, level in enumerate(policies.scp)
        )
        self.rcp = tuple(
            tuple(compile_policy(p, PolicyType.RCP, True, i) for p in level)
            for i, level in enumerate(policies.rcp)
        )

        self._plans: dict[tuple[str | None, bool, bool, bool], _Plan] = {}

    def with_resource_policy(
        self,
        policy: NamedPolicy | None,
        account: str | None,
        *,
        compiled_in: CompiledPolicySet | None = None,
    ) -> CompiledPolicySet:
        """The same principal-side policies (not recompiled) with another resource-based policy,
        e.g. each role's trust policy for sts:AssumeRole (IAM UG, "Policy evaluation for requests
        within a single account": a role trust policy is a resource-based policy that must allow).
        `compiled_in`: a set already compiled with `policy` as its resource policy, to reuse it."""
        other = copy.copy(self)
        other.policies = replace(self.policies, resource=policy, resource_account=account)
        if policy is None:
            other.resource = None
        elif compiled_in is not None and compiled_in.policies.resource is policy:
            other.resource = compiled_in.resource
        else:
            rtype = policy.type if policy.type is PolicyType.TRUST else PolicyType.RESOURCE
            other.resource = compile_policy(policy, rtype, True)
        other._plans = {}
        return other

    def plan(self, service: str | None, iam: bool, scp: bool, rcp: bool) -> _Plan:
        """The statements to evaluate, in document order, with whether the principal is checked:
        indexed by service (None: every statement, for explanations)."""
        key = (service, iam, scp, rcp)
        found = self._plans.get(key)
        if found is None:
            groups: list[CompiledPolicy] = []
            if iam:
                groups.extend(self.identity)
                if self.boundary is not None:
                    groups.append(self.boundary)
                groups.extend(self.session)
            if self.resource is not None:
                groups.append(self.resource)
            if scp:
                groups.extend(p for level in self.scp for p in level)
            if rcp:
                groups.extend(p for level in self.rcp for p in level)
            found = tuple(
                (stmt, p.is_resource and p.type is not PolicyType.RCP)
                for p in groups
                for stmt in (p.statements if service is None else p.candidates(service))
            )
            if len(self._plans) < 4096:
                self._plans[key] = found
        return found

    def authorize(self, request: Request, *, explain: bool = False) -> AuthorizationResult:
        return _authorize(self, request, explain)


def compile_policies(policies: PolicySet) -> CompiledPolicySet:
    return CompiledPolicySet(policies)


def authorize(
    request: Request, policies: PolicySet, *, explain: bool = True
) -> AuthorizationResult:
    """Decide one request (IAM User Guide, "Policy evaluation logic")."""
    return CompiledPolicySet(policies).authorize(request, explain=explain)


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True, slots=True)
class _Env:
    """Which policies apply to this request (decided once per request)."""

    iam_principal: bool
    root: bool
    scp_applies: bool
    rcp_applies: bool
    requires_resource_policy: bool
    account_options: tuple[bool, ...]
    """Possible values of "the resource is in the principal's account"."""


def _environment(cps: CompiledPolicySet, request: Request, ctx: EvalContext, action: str) -> _Env:
    policies = cps.policies
    info = ctx.info
    iam = info.is_iam
    slr = is_service_linked_role(info, ctx.principal_arn, known_path=True)
    mgmt = policies.management_account
    resource_account = policies.resource_account or _arn_account(request.resource)
    # AWS Organizations UG, "Service control policies": SCPs do not affect service-linked roles,
    # nor users and roles in the management account; they restrict only IAM principals.
    scp = bool(cps.scp) and iam and not slr and not (mgmt is not None and info.account == mgmt)
    # AWS Organizations UG, "Resource control policies (RCPs)": RCPs do not affect resources in
    # the management account, nor service-linked roles; they do apply to every other caller,
    # AWS service principals and anonymous callers included.
    # AWS-DEVIATION: AWS applies RCPs only to the services that support them (S3, STS, KMS, SQS,
    # Secrets Manager, ...); the list changes, so RCPs are applied to every service (a stale list
    # could skip a deny; this can only deny more).
    rcp = bool(cps.rcp) and not slr and not (mgmt is not None and resource_account == mgmt)
    if resource_account is None and cps.resource is not None and info.account is not None:
        options: tuple[bool, ...] = (True, False)
    elif resource_account is None or info.account is None:
        options = (True,)
    else:
        options = (resource_account == info.account,)
    return _Env(
        iam,
        info.kind is PrincipalClass.ROOT,
        scp,
        rcp,
        _needs_resource_policy(cps, action, request.resource),
        options,
    )


def _arn_account(resource: str) -> str | None:
    parts = resource.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[4]:
        return parts[4]
    return None


def _needs_resource_policy(cps: CompiledPolicySet, action: str, resource: str) -> bool:
    """IAM UG, "Policy evaluation for requests within a single account": KMS key policies and
    IAM role trust policies must grant access even within the account (identity policies alone
    never suffice)."""
    if cps.resource is not None and cps.resource.type is PolicyType.TRUST:
        return True
    if action.startswith("kms:") and ":kms:" in resource and ":key/" in resource:
        return True
    # IAM UG, "Pass session tags in AWS STS" (Permissions required to add session tags): the
    # permissions-only actions sts:TagSession, sts:SetSourceIdentity and sts:SetContext on a role
    # are checked against its trust policy like sts:AssumeRole ("If your policy includes the
    # first statement without the second statement, the user can't assume the role").
    return action.startswith(_TRUST_ACTIONS) and ":iam::" in resource and ":role/" in resource


_TRUST_ACTIONS = ("sts:assumerole", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext")


def _collect(
    cps: CompiledPolicySet, request: Request, ctx: EvalContext, env: _Env, explain: bool
) -> _Facts:
    action = request.action.lower()
    resource = request.resource
    bounded = cps.boundary is not None
    service = None if explain else action.split(":", 1)[0]
    plan = cps.plan(service, env.iam_principal, env.scp_applies, env.rcp_applies)
    results: list[StatementResult] = []
    details: list[tuple[StatementRef, tuple[str, ...]]] = []
    for stmt, check_principal in plan:
        result = stmt.evaluate(
            action, resource, ctx, check_principal=check_principal, bounded=bounded, explain=explain
        )
        if result is None:
            continue
        if explain:
            details.append((result.ref, result.codes))
        if result.applies is not Tri.NO:
            results.append(result)
    return _Facts(results, details)


# --------------------------------------------------------------------------- combining


@dataclass(frozen=True, slots=True)
class _Verdict:
    decision: Decision
    blocked_by: tuple[PolicyType, ...]
    deciding: tuple[StatementRef, ...]


def _levels_allow(levels: int, results: list[StatementResult]) -> bool:
    allowed = {r.level for r in results}
    return all(i in allowed for i in range(levels))


_IDENTITY = PolicyType.IDENTITY
_BOUNDARY = PolicyType.PERMISSIONS_BOUNDARY
_SESSION = PolicyType.SESSION
_SCP = PolicyType.SCP
_RCP = PolicyType.RCP


def _decide(
    cps: CompiledPolicySet, facts: _Facts, env: _Env, optimistic: bool, same_account: bool
) -> _Verdict:
    denies: list[StatementResult] = []
    identity: list[StatementResult] = []
    boundary: list[StatementResult] = []
    session: list[StatementResult] = []
    resource: list[StatementResult] = []
    scp: list[StatementResult] = []
    rcp: list[StatementResult] = []
    for r in facts.results:
        # YES always counts; an UNKNOWN deny counts when pessimistic, an UNKNOWN allow when
        # optimistic (see the module docstring).
        if r.applies is not Tri.YES and optimistic == r.deny:
            continue
        if r.deny:
            denies.append(r)
            continue
        t = r.ref.policy_type
        if t is _IDENTITY:
            identity.append(r)
        elif t is _BOUNDARY:
            boundary.append(r)
        elif t is _SESSION:
            session.append(r)
        elif t is _SCP:
            scp.append(r)
        elif t is _RCP:
            rcp.append(r)
        else:
            resource.append(r)
    # IAM UG, "Policy evaluation logic", step 1: an explicit deny in any applicable policy wins.
    if denies:
        types = {r.ref.policy_type for r in denies}
        return _Verdict(Decision.EXPLICIT_DENY, _ordered(types), tuple(r.ref for r in denies))
    # IAM UG, "Policy evaluation logic": RCPs then SCPs; every level from the root down to the
    # account must allow (AWS Organizations UG: a level without an allowing policy denies).
    if env.rcp_applies and not _levels_allow(len(cps.rcp), rcp):
        return _Verdict(Decision.IMPLICIT_DENY, (_RCP,), ())
    if env.scp_applies and not _levels_allow(len(cps.scp), scp):
        return _Verdict(Decision.IMPLICIT_DENY, (_SCP,), ())
    return _combine(cps, env, same_account, (identity, boundary, session, resource, scp + rcp))


_Groups = tuple[
    list[StatementResult],
    list[StatementResult],
    list[StatementResult],
    list[StatementResult],
    list[StatementResult],
]


def _refs(*groups: list[StatementResult]) -> tuple[StatementRef, ...]:
    return tuple(r.ref for group in groups for r in group)


def _combine(cps: CompiledPolicySet, env: _Env, same_account: bool, groups: _Groups) -> _Verdict:
    identity, boundary, session, resource, org = groups
    resource_type = cps.resource.type if cps.resource is not None else PolicyType.RESOURCE
    grant = max((r.grant for r in resource), default=Grant.NONE)
    granting = [r for r in resource if r.grant is grant]
    failing = []
    if not (env.root or identity):
        failing.append(_IDENTITY)
    if not (cps.boundary is None or env.root or boundary):
        failing.append(_BOUNDARY)
    if cps.session and not session:
        failing.append(_SESSION)
    if not env.iam_principal:
        # A service principal or an anonymous caller: only a resource policy naming it grants.
        if grant is Grant.DIRECT:
            return _Verdict(Decision.ALLOW, (), _refs(granting, org))
        return _Verdict(Decision.IMPLICIT_DENY, (resource_type,), ())
    if same_account:
        # IAM UG, "Policy evaluation for requests within a single account" and "Permissions
        # boundaries for IAM entities": a resource policy naming the user, the role session,
        # the federated user or "*" is not limited by an implicit deny in the identity policies,
        # the boundary or the session policies; naming the role ARN is limited by the boundary
        # and the session policies; naming the account delegates to the identity policies.
        if grant is Grant.DIRECT:
            return _Verdict(Decision.ALLOW, (), _refs(granting, org))
        if grant is Grant.ROLE:
            role_failing = [t for t in failing if t is not _IDENTITY]
            if not role_failing:
                return _Verdict(
                    Decision.ALLOW, (), _refs(granting, identity, boundary, session, org)
                )
            return _Verdict(Decision.IMPLICIT_DENY, _ordered(set(role_failing)), ())
        if env.requires_resource_policy and grant is Grant.NONE:
            return _Verdict(Decision.IMPLICIT_DENY, (resource_type,), ())
        if not failing:
            return _Verdict(Decision.ALLOW, (), _refs(identity, boundary, session, granting, org))
        return _Verdict(Decision.IMPLICIT_DENY, _ordered(set(failing)), ())
    # IAM UG, "Cross-account policy evaluation logic": the principal's account must allow
    # (identity policies within the boundary and session policies) and the resource policy must
    # allow the principal (or its account).
    blocked = set(failing)
    if grant is Grant.NONE:
        blocked.add(resource_type)
    if blocked:
        return _Verdict(Decision.IMPLICIT_DENY, _ordered(blocked), ())
    return _Verdict(Decision.ALLOW, (), _refs(identity, boundary, session, granting, org))


def _ordered(types: set[PolicyType]) -> tuple[PolicyType, ...]:
    return tuple(t for t in _BLOCK_ORDER if t in types)


def _authorize(cps: CompiledPolicySet, request: Request, explain: bool) -> AuthorizationResult:
    ctx = EvalContext(request, in_organization=bool(cps.scp))
    env = _environment(cps, request, ctx, request.action.lower())
    facts = _collect(cps, request, ctx, env, explain)
    unknown = any(r.applies is Tri.UNKNOWN for r in facts.results)
    first = _decide(cps, facts, env, False, env.account_options[0])
    agreed = True
    if unknown or len(env.account_options) > 1:
        optimism = (False, True) if unknown else (False,)
        verdicts = [_decide(cps, facts, env, o, sa) for sa in env.account_options for o in optimism]
        agreed = all(v.decision is first.decision for v in verdicts)
    if agreed and not explain:
        return AuthorizationResult(first.decision)
    unresolved = tuple(
        f"{r.ref.policy_type.value}:{r.ref.policy}#{r.ref.statement_index}"
        for r in facts.results
        if r.applies is Tri.UNKNOWN
    )
    if not agreed and len(env.account_options) > 1:
        unresolved = (*unresolved, "resource_account:unknown")
    decision = first.decision if agreed else Decision.INDETERMINATE
    reason = None
    if not agreed:
        reason = "the decision depends on values the request does not give: " + ", ".join(
            unresolved
        )
    if not explain:
        return AuthorizationResult(decision, None, reason)
    explanation = Explanation(
        blocked_by=first.blocked_by if agreed else (),
        deciding=first.deciding if agreed else (),
        details=tuple(facts.details),
        derived_keys=ctx.derived,
        unresolved=() if agreed else unresolved,
    )
    return AuthorizationResult(decision, explanation, reason)

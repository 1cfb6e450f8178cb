"""Policies compiled for evaluation: statements with precompiled matchers, indexed by service.

A statement applies to a request when its Action, Resource (policies attached to a principal) or
Principal (resource-based policies) and every condition match (IAM User Guide, "Policy
evaluation logic", "Determining whether a request is allowed or denied within an account")."""

from __future__ import annotations

from dataclasses import dataclass, field

from iamfence.engine.conditions.evaluate import (
    CompiledCondition,
    compile_condition,
    evaluate_condition,
)
from iamfence.engine.context import EvalContext
from iamfence.engine.matchers import (
    ActionMatcher,
    Grant,
    PrincipalMatcher,
    ResourceMatcher,
    Tri,
    compile_actions,
    compile_principals,
    compile_resources,
)
from iamfence.engine.types import StatementRef
from iamfence.model import Effect, NamedPolicy, PolicyType


@dataclass(frozen=True, slots=True)
class StatementResult:
    ref: StatementRef
    deny: bool
    applies: Tri
    grant: Grant = Grant.DIRECT
    codes: tuple[str, ...] = ()
    level: int = -1
    """The organization level (SCP/RCP), -1 otherwise."""


@dataclass(frozen=True, slots=True)
class CompiledStatement:
    ref: StatementRef
    deny: bool
    actions: ActionMatcher
    resources: ResourceMatcher | None
    """None for trust policies (no Resource: the role itself)."""
    principals: PrincipalMatcher | None
    conditions: tuple[CompiledCondition, ...]
    level: int = -1

    def evaluate(
        self,
        action: str,
        resource: str,
        ctx: EvalContext,
        *,
        check_principal: bool,
        bounded: bool,
        explain: bool,
    ) -> StatementResult | None:
        """None when the statement does not apply (fast path); with `explain`, a result with
        codes for every statement."""
        if not self.actions.matches(action):
            return self._miss("action-mismatch") if explain else None
        applies = Tri.YES
        codes: list[str] = []
        if self.resources is not None:
            hit = self.resources.matches(resource, ctx)
            if hit is Tri.NO:
                return self._miss("resource-mismatch") if explain else None
            if hit is Tri.UNKNOWN:
                applies = Tri.UNKNOWN
                codes.append("resource-unknown-variable")
        grant = Grant.DIRECT
        if check_principal:
            grant = self._principal_grant(ctx, bounded)
            if grant is Grant.NONE:
                return self._miss("principal-mismatch") if explain else None
        for cond in self.conditions:
            result, reason = evaluate_condition(cond, ctx)
            if explain:
                codes.append(f"{cond.label}={reason}")
            if result is Tri.NO:
                if not explain:
                    return None
                codes.append("condition-false")
                return StatementResult(self.ref, self.deny, Tri.NO, grant, tuple(codes), self.level)
            if result is Tri.UNKNOWN:
                applies = Tri.UNKNOWN
        if explain:
            codes.append("match" if applies is Tri.YES else "unknown")
        return StatementResult(self.ref, self.deny, applies, grant, tuple(codes), self.level)

    def _miss(self, code: str) -> StatementResult:
        return StatementResult(self.ref, self.deny, Tri.NO, codes=(code,), level=self.level)

    def _principal_grant(self, ctx: EvalContext, bounded: bool) -> Grant:
        matcher = self.principals
        if matcher is None:
            return Grant.NONE
        if not matcher.negated:
            return matcher.grant(ctx.info, ctx.principal_arn)
        if self.deny:
            if bounded:
                # IAM UG, "Permissions boundaries for IAM entities": a resource-policy Deny with
                # NotPrincipal always denies a principal that has a permissions boundary.
                return Grant.DIRECT
            return Grant.NONE if matcher.excludes(ctx.info, ctx.principal_arn) else Grant.DIRECT
        # IAM UG, "AWS JSON policy elements: NotPrincipal": Allow + NotPrincipal grants every
        # principal except those listed (like Principal "*" minus the list). A principal any of
        # whose identities (user/session, role, account) is listed is not granted.
        return Grant.NONE if matcher.mentions(ctx.info, ctx.principal_arn) else Grant.DIRECT


@dataclass(frozen=True, slots=True)
class CompiledPolicy:
    policy: NamedPolicy
    type: PolicyType
    statements: tuple[CompiledStatement, ...]
    by_service: dict[str, tuple[CompiledStatement, ...]] = field(default_factory=dict)
    generic: tuple[CompiledStatement, ...] = ()
    is_resource: bool = False

    def candidates(self, service: str) -> tuple[CompiledStatement, ...]:
        found = self.by_service.get(service)
        if found is None:
            return self.generic
        return found


def compile_policy(
    policy: NamedPolicy, ptype: PolicyType, is_resource: bool, level: int = -1
) -> CompiledPolicy:
    variables = policy.document.supports_variables
    compiled: list[CompiledStatement] = []
    for index, stmt in enumerate(policy.document.statements):
        ref = StatementRef(ptype, policy.name, index, stmt.sid)
        resources = None
        if not (ptype is PolicyType.TRUST and stmt.resource is None):
            resources = compile_resources(stmt.resource, variables)
        compiled.append(
            CompiledStatement(
                ref,
                stmt.effect is Effect.DENY,
                compile_actions(stmt.action),
                resources,
                compile_principals(stmt.principal),
                tuple(compile_condition(c, variables) for c in stmt.conditions),
                level,
            )
        )
    generic = tuple(s for s in compiled if s.actions.services is None)
    services = {svc for s in compiled if s.actions.services for svc in s.actions.services}
    by_service = {
        svc: tuple(s for s in compiled if s.actions.services is None or svc in s.actions.services)
        for svc in services
    }
    return CompiledPolicy(policy, ptype, tuple(compiled), by_service, generic, is_resource)

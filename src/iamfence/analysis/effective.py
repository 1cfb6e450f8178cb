"""Effective permissions: what a principal's identity policies allow once the permissions boundary
and SCPs are applied ("effective permissions = identity policy ∩ boundary policy"), per service
and access level, decided request by request with the engine (iamfence.engine.authorize).

IAM User Guide, "Policy evaluation logic" and "Permissions boundaries for IAM entities": an
identity-based request is allowed only when an identity policy allows it, the boundary (when set)
allows it, every SCP level allows it, and no policy explicitly denies it.

Method, per candidate action (every catalog action an identity Allow statement names; the engine
decides each one, the catalog only proposes candidates):
- two condition-free views of the policies are built, keeping statement indices:
  STRICT drops Allow statements that have a Condition and makes conditional Denies unconditional
  (an Allow there holds whatever the request context); RELAXED makes conditional Allows
  unconditional and drops conditional Denies (an Allow there holds for some context);
- ALL_RESOURCES: STRICT allows the request on resource "*" and on every witness resource;
- SOME_RESOURCES: STRICT allows it on some witness resource (or on "*" but not on every witness);
- CONDITIONAL: only RELAXED allows it (on "*" or a witness);
- otherwise the action is not allowed; an Indeterminate answer with no Allow anywhere is kept as
  undecided with the engine's reason.
Unless the PolicySet has one, every resource is assumed to have a resource-based policy that
delegates to the principal's account (`delegating_resource_policy`): the answer is what the
principal's side (identity ∩ boundary ∩ SCPs) allows.
Witness resources are the Resource / NotResource patterns of the statements that name the action,
as written and with each wildcard replaced by "x". Actions that have no resource type in the
catalog are checked on "*" only (Service Authorization Reference: such actions support only "*").
AWS-DEVIATION: "every resource" is judged on "*" and the witnesses, not on all ARNs. Two patterns
whose overlap no witness hits (e.g. `a*` and `*b`) can make an action look less allowed than it
is. A witness is not checked against the action's resource types, so `s3:Put*` on
`arn:aws:s3:::app-*/*` reports s3:PutBucketPolicy as allowed on some resources although no bucket
ARN contains '/': over-reported, the safe direction for a review (lint IF303 flags the statement).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from iamfence.catalog import AccessLevel, ActionInfo, Catalog
from iamfence.catalog.grants import (
    ActionGrant,
    GrantScope,
    statement_match,
    statement_matches_action,
)
from iamfence.catalog.levels import PRECEDENCE
from iamfence.engine import (
    AuthorizationResult,
    Decision,
    PolicySet,
    StatementRef,
    compile_policies,
)
from iamfence.model import (
    ActionSpec,
    Arn,
    Effect,
    NamedPolicy,
    PolicyDocument,
    PolicyType,
    PrincipalEntry,
    PrincipalKind,
    PrincipalSpec,
    Request,
    ResourceSpec,
    Statement,
)

DEFAULT_PRINCIPAL = "arn:aws:iam::111122223333:role/iamfence-effective"
DELEGATION_POLICY = "<resource policies delegate to the principal's account>"
"""Name of the resource-based policy assumed when none is given (see `delegating_resource_policy`)."""

Authorizer = Callable[[Request], AuthorizationResult]


@dataclass(frozen=True, slots=True)
class EffectiveAction:
    action: ActionInfo
    scope: GrantScope
    witness: Request
    """An allowed request that shows the scope (in the STRICT view, or RELAXED for CONDITIONAL)."""
    deciding: tuple[StatementRef, ...]
    """The engine's deciding statements for `witness`."""
    excluded: Request | None = None
    """For SOME_RESOURCES allowed on "*": a request on a resource the policies do not allow."""


@dataclass(frozen=True, slots=True)
class UndecidedAction:
    action: ActionInfo
    reason: str


@dataclass(frozen=True, slots=True)
class LevelSummary:
    service: str
    access_level: AccessLevel
    all_resources: tuple[str, ...]
    some_resources: tuple[str, ...]
    conditional: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EffectivePermissions:
    principal: str
    catalog_version: str
    catalog_date: str
    candidates: int
    actions: tuple[EffectiveAction, ...]
    """Sorted by full action name."""
    undecided: tuple[UndecidedAction, ...] = ()

    def summary(self) -> tuple[LevelSummary, ...]:
        """Per service (sorted) and access level (most privileged first)."""
        out: list[LevelSummary] = []
        for service in sorted({a.action.service for a in self.actions}):
            mine = [a for a in self.actions if a.action.service == service]
            for level in PRECEDENCE:
                here = [a for a in mine if a.action.access_level is level]
                if here:
                    out.append(
                        LevelSummary(
                            service,
                            level,
                            *(
                                tuple(a.action.full_name for a in here if a.scope is scope)
                                for scope in GrantScope
                            ),
                        )
                    )
        return tuple(out)


# -- views -----------------------------------------------------------------------------------
_NOTHING = ActionSpec(patterns=())
"""Matches no action: how a view removes a statement while keeping the others' indices."""


def _view_statement(statement: Statement, strict: bool) -> Statement:
    if not statement.conditions:
        return statement
    drop = statement.effect is (Effect.ALLOW if strict else Effect.DENY)
    if drop:
        return replace(statement, action=_NOTHING, conditions=())
    return replace(statement, conditions=())


def _view_policy(policy: NamedPolicy, strict: bool) -> NamedPolicy:
    doc = policy.document
    statements = tuple(_view_statement(s, strict) for s in doc.statements)
    return replace(policy, document=replace(doc, statements=statements))


def condition_free_view(policies: PolicySet, strict: bool) -> PolicySet:
    """The STRICT (strict=True) or RELAXED view of every policy in the set."""

    def view(p: NamedPolicy) -> NamedPolicy:
        return _view_policy(p, strict)

    return replace(
        policies,
        identity=tuple(view(p) for p in policies.identity),
        permissions_boundary=(
            view(policies.permissions_boundary) if policies.permissions_boundary else None
        ),
        session=tuple(view(p) for p in policies.session),
        resource=view(policies.resource) if policies.resource else None,
        scp=tuple(tuple(view(p) for p in level) for level in policies.scp),
        rcp=tuple(tuple(view(p) for p in level) for level in policies.rcp),
    )


def delegating_resource_policy(principal: str) -> NamedPolicy:
    """The resource-based policy assumed for every resource when the caller gives none: it allows
    the principal's account everything, which delegates the decision to the account's own
    policies (IAM User Guide, "Policy evaluation for requests within a single account" and
    "Cross-account policy evaluation logic"; it is the default KMS key policy's "Enable IAM
    policies" statement). Without it, kms: actions on key ARNs and sts:AssumeRole on role ARNs
    would never be allowed, since identity policies alone never suffice for them.
    AWS-DEVIATION: effective permissions answer what the principal's side allows; what each
    resource's own policy allows is not known here."""
    arn = Arn.parse(principal)
    account = arn.account if arn is not None and arn.account else "111122223333"
    partition = arn.partition if arn is not None else "aws"
    statement = Statement(
        Effect.ALLOW,
        ActionSpec(("*",)),
        ResourceSpec(("*",)),
        PrincipalSpec((PrincipalEntry(PrincipalKind.AWS, f"arn:{partition}:iam::{account}:root"),)),
    )
    return NamedPolicy(DELEGATION_POLICY, PolicyDocument((statement,)), PolicyType.RESOURCE)


# -- candidates and witnesses ----------------------------------------------------------------
def _all_policies(policies: PolicySet) -> list[NamedPolicy]:
    out = [*policies.identity, *policies.session]
    if policies.permissions_boundary:
        out.append(policies.permissions_boundary)
    out.extend(p for level in policies.scp for p in level)
    return out


def _allowed_names(policies: tuple[NamedPolicy, ...], catalog: Catalog) -> set[str]:
    """Catalog actions some Allow statement of `policies` names (NotAction: its complement)."""
    names: set[str] = set()
    for policy in policies:
        for statement in policy.document.statements:
            spec = statement.action
            if statement.effect is not Effect.ALLOW or spec is None:
                continue
            if spec.negated:
                names.update(catalog.expand_not_action(spec.patterns))
            else:
                names.update(catalog.expand_all(spec.patterns))
    return names


def candidate_actions(policies: PolicySet, catalog: Catalog) -> tuple[ActionInfo, ...]:
    """Catalog actions named by an Allow statement of the identity policies, of the boundary
    (when set) and of every SCP level: the only ones the engine could allow, since each of these
    must allow (IAM User Guide, "Policy evaluation logic"). The engine decides each candidate."""
    names = _allowed_names(policies.identity, catalog)
    gates: list[tuple[NamedPolicy, ...]] = list(policies.scp)
    if policies.permissions_boundary is not None:
        gates.append((policies.permissions_boundary,))
    for gate in gates:
        if not names:
            break
        names &= _allowed_names(gate, catalog)
    infos = (catalog.action(n) for n in sorted(names))
    return tuple(i for i in infos if i is not None)


def _concrete(pattern: str) -> str:
    return pattern.replace("*", "x").replace("?", "x")


def witness_resources(policies: PolicySet, action: ActionInfo) -> tuple[str, ...]:
    if not action.resource_types:
        return ()
    found: list[str] = []
    for policy in _all_policies(policies):
        for statement in policy.document.statements:
            if statement.resource is None:
                continue
            if not statement_matches_action(statement, action.full_name):
                continue
            for pattern in statement.resource.patterns:
                if pattern == "*":
                    continue
                for text in (pattern, _concrete(pattern)):
                    if text not in found:
                        found.append(text)
    return tuple(found)


# -- the analysis ----------------------------------------------------------------------------
def _first_allowed(
    authorize: Authorizer, requests: Iterable[Request]
) -> tuple[Request | None, list[str]]:
    reasons: list[str] = []
    for request in requests:
        result = authorize(request)
        if result.allowed:
            return request, reasons
        if result.decision is Decision.INDETERMINATE:
            reasons.append(result.reason or "indeterminate")
    return None, reasons


def _requests(principal: str, action: ActionInfo, resources: Iterable[str]) -> list[Request]:
    return [Request(principal, action.full_name, r) for r in resources]


@dataclass(frozen=True, slots=True)
class Classified:
    scope: GrantScope
    witness: Request
    strict: bool
    """Which view allowed `witness`."""
    excluded: Request | None = None


def classify_action(
    action: ActionInfo,
    witnesses: tuple[str, ...],
    strict: Authorizer,
    relaxed: Authorizer,
    principal: str = DEFAULT_PRINCIPAL,
) -> Classified | UndecidedAction | None:
    """One action's scope (see the module docstring)."""
    star = Request(principal, action.full_name, "*")
    on_star = strict(star)
    reasons: list[str] = []
    if on_star.allowed:
        for request in _requests(principal, action, witnesses):
            if not strict(request).allowed:
                return Classified(GrantScope.SOME_RESOURCES, star, True, request)
        return Classified(GrantScope.ALL_RESOURCES, star, True)
    if on_star.decision is Decision.INDETERMINATE:
        reasons.append(on_star.reason or "indeterminate")
    hit, more = _first_allowed(strict, _requests(principal, action, witnesses))
    reasons.extend(more)
    if hit is not None:
        return Classified(GrantScope.SOME_RESOURCES, hit, True)
    hit, more = _first_allowed(relaxed, _requests(principal, action, ("*", *witnesses)))
    reasons.extend(more)
    if hit is not None:
        return Classified(GrantScope.CONDITIONAL, hit, False)
    if reasons:
        return UndecidedAction(action, "; ".join(dict.fromkeys(reasons)))
    return None


def effective_permissions(
    catalog: Catalog,
    *,
    identity: tuple[NamedPolicy, ...],
    permissions_boundary: NamedPolicy | None = None,
    scp: tuple[NamedPolicy, ...] = (),
    actions: Iterable[ActionInfo] | None = None,
    principal: str = DEFAULT_PRINCIPAL,
) -> EffectivePermissions:
    """The effective permissions of identity policies under an optional permissions boundary and
    SCPs. The SCPs form ONE level (all attached where the account is: at least one must allow,
    and any may deny); use `effective_permissions_of` with a PolicySet for several levels."""
    policies = PolicySet(
        identity=identity,
        permissions_boundary=permissions_boundary,
        scp=(scp,) if scp else (),
    )
    return effective_permissions_of(policies, catalog, actions=actions, principal=principal)


def effective_permissions_of(
    policies: PolicySet,
    catalog: Catalog,
    *,
    actions: Iterable[ActionInfo] | None = None,
    principal: str = DEFAULT_PRINCIPAL,
) -> EffectivePermissions:
    """The effective permissions of `policies` (identity policies, optional boundary, SCP levels)
    over `actions` (default: every catalog action an identity Allow names)."""
    candidates = tuple(actions) if actions is not None else candidate_actions(policies, catalog)
    if policies.resource is None:
        policies = replace(policies, resource=delegating_resource_policy(principal))
    strict = compile_policies(condition_free_view(policies, strict=True))
    relaxed = compile_policies(condition_free_view(policies, strict=False))
    found: list[EffectiveAction] = []
    undecided: list[UndecidedAction] = []
    for action in candidates:
        answer = classify_action(
            action,
            witness_resources(policies, action),
            strict.authorize,
            relaxed.authorize,
            principal,
        )
        if isinstance(answer, Classified):
            view = strict if answer.strict else relaxed
            explained = view.authorize(answer.witness, explain=True)
            deciding = tuple(
                ref
                for ref in (explained.explanation.deciding if explained.explanation else ())
                if ref.policy != DELEGATION_POLICY
            )
            found.append(
                EffectiveAction(action, answer.scope, answer.witness, deciding, answer.excluded)
            )
        elif isinstance(answer, UndecidedAction):
            undecided.append(answer)
    found.sort(key=lambda a: a.action.full_name.lower())
    return EffectivePermissions(
        principal=principal,
        catalog_version=catalog.version,
        catalog_date=catalog.date,
        candidates=len(candidates),
        actions=tuple(found),
        undecided=tuple(undecided),
    )


def policy_grants(
    document: PolicyDocument, actions: Iterable[ActionInfo], catalog: Catalog, name: str = "policy"
) -> tuple[ActionGrant, ...]:
    """Which of `actions` the document's Allow statements grant, decided with the engine (the
    document evaluated as the only identity policy), with the statements that decided."""
    policy = NamedPolicy(name, document, PolicyType.IDENTITY)
    result = effective_permissions(catalog, identity=(policy,), actions=actions)
    out: list[ActionGrant] = []
    for item in result.actions:
        indices = {ref.statement_index for ref in item.deciding}
        matches = tuple(
            statement_match(i, s)
            for i, s in enumerate(document.statements)
            if i in indices
            or (s.effect is Effect.DENY and statement_matches_action(s, item.action.full_name))
        )
        out.append(ActionGrant(item.action, item.scope, matches))
    return tuple(out)

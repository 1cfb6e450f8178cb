"""What a technique's selectors and preconditions mean in one account: which policies, groups,
compute and versions a technique can use against a target, and which preconditions the snapshot
cannot decide (those make a step "possible under conditions")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from iamfence.account import AccountSnapshot, Role, User, group_policies, policies_attached_to
from iamfence.catalog import glob_matches
from iamfence.escalation.techniques import Precondition, Technique
from iamfence.model import Effect, NamedPolicy, PolicyDocument, PolicyType, PrincipalKind

UNDECIDABLE = frozenset(
    {
        "target_login_profile",
        "knows_target_password",
        "event_source_exists",
        "controls_an_instance",
        "stack_exists",
        "ecs_cluster_exists",
        "function_exists",
    }
)
"""Preconditions get-account-authorization-details says nothing about (login profiles, passwords,
existing event sources, instances, stacks, clusters, functions)."""

COMPUTE_SERVICE = {
    "lambda": "lambda.amazonaws.com",
    "ec2": "ec2.amazonaws.com",
    "glue": "glue.amazonaws.com",
    "codebuild": "codebuild.amazonaws.com",
    "cloudformation": "cloudformation.amazonaws.com",
    "sagemaker": "sagemaker.amazonaws.com",
    "ecs": "ecs-tasks.amazonaws.com",
}

_UNKNOWN_COMPUTE = {
    "lambda": "lambda:{region}:{account}:function:*",
    "ec2": "ec2:{region}:{account}:instance/*",
    "glue": "glue:{region}:{account}:devEndpoint/*",
    "codebuild": "codebuild:{region}:{account}:project/*",
    "cloudformation": "cloudformation:{region}:{account}:stack/*",
    "sagemaker": "sagemaker:{region}:{account}:notebook-instance/*",
    "ecs": "ecs:{region}:{account}:task/*",
}


@dataclass(frozen=True, slots=True)
class Binding:
    """One way to apply a technique to a target: the concrete policy, group, compute, version or
    removed policy it uses, and preconditions left undecided."""

    policy: str | None = None
    group: str | None = None
    compute: str | None = None
    version: str | None = None
    removed: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    compute_template: str | None = None
    """For compute the snapshot does not list: an ARN template of the kind of resource that may
    run as the target (the resource is unknown: every name the policies allow is tried)."""


def trust_allows_service(role: Role, service: str) -> tuple[bool, bool]:
    """(trusted, conditional): whether the role's trust policy lets `service` assume it (IAM UG,
    "Creating a role to delegate permissions to an AWS service"), and whether that statement has
    conditions (e.g. aws:SourceAccount) the snapshot cannot check."""
    doc = role.trust_policy
    if doc is None:
        return False, False
    found, conditional = False, True
    for s in doc.statements:
        if s.effect is not Effect.ALLOW or s.principal is None or s.principal.negated:
            continue
        if s.action is not None and (
            s.action.negated
            or not any(glob_matches(p, "sts:AssumeRole") for p in s.action.patterns)
        ):
            continue
        names = {e.value for e in s.principal.entries if e.kind is PrincipalKind.SERVICE}
        if service in names or s.principal.everyone:
            found = True
            conditional = conditional and bool(s.conditions)
    return found, found and conditional


def has_deny(document: PolicyDocument) -> bool:
    return any(s.effect is Effect.DENY for s in document.statements)


def uses_principal_tags(documents: list[PolicyDocument]) -> bool:
    return any(
        c.key.lower().startswith("aws:principaltag/")
        for d in documents
        for s in d.statements
        for c in s.conditions
    )


def customer_managed(arn: str | None) -> bool:
    return arn is not None and arn.split(":")[4:5] != ["aws"]


def _removable(snapshot: AccountSnapshot, p: User | Role, attachment: str) -> list[Binding]:
    out: list[Binding] = []
    if attachment == "inline":
        out = [Binding(removed=(ip.name,)) for ip in p.inline_policies if has_deny(ip.document)]
    elif attachment == "managed":
        for arn in p.attached_policy_arns:
            mp = snapshot.policy(arn)
            if mp is not None and mp.document is not None and has_deny(mp.document):
                out.append(Binding(policy=arn, removed=(arn,)))
    elif attachment == "group" and isinstance(p, User):
        for name in p.group_names:
            group = snapshot.group(name)
            if group is None:
                continue
            policies = group_policies(snapshot, group)
            if any(has_deny(gp.document) for gp in policies):
                out.append(Binding(group=group.arn, removed=tuple(gp.name for gp in policies)))
    return out


def _other_versions(snapshot: AccountSnapshot, arns: list[str]) -> list[Binding]:
    out: list[Binding] = []
    for arn in arns:
        mp = snapshot.policy(arn)
        if mp is None or not customer_managed(arn):
            continue
        out.extend(
            Binding(policy=arn, version=v.version_id)
            for v in mp.versions
            if not v.is_default and v.document is not None
        )
    return out


def _compute(
    snapshot: AccountSnapshot,
    known: list[tuple[str, str]],
    target: Role,
    kind: str,
    trust: TrustLookup,
) -> list[Binding]:
    found = [Binding(compute=arn) for k, arn in known if k == kind]
    if found:
        return found
    trusted, _ = trust(target, COMPUTE_SERVICE[kind])
    if not trusted or (kind == "ec2" and not target.instance_profile_arns):
        return []
    template = _UNKNOWN_COMPUTE[kind].format(region="*", account="${account}")
    return [
        Binding(
            compute=f"arn:{snapshot.partition}:{template}",
            conditions=("compute_runs_as_target",),
            compute_template=f"arn:${{partition}}:{template}",
        )
    ]


TrustLookup = Callable[[Role, str], tuple[bool, bool]]
"""(role, service) -> trust_allows_service(role, service), usually cached by the caller."""


def bindings(
    technique: Technique,
    snapshot: AccountSnapshot,
    source: User | Role,
    target: User | Role | None,
    compute: list[tuple[str, str]],
    *,
    trust: TrustLookup = trust_allows_service,
) -> list[Binding]:
    """Every way to apply `technique` by `source` against `target` (None for new principals and
    groups): an empty list when a decidable precondition fails."""
    options = [Binding()]
    for pre in technique.preconditions:
        options = _refine(
            options,
            pre,
            snapshot=snapshot,
            source=source,
            target=target,
            compute=compute,
            trust=trust,
        )
        if not options:
            return []
    return options


def _merge(base: Binding, extra: Binding) -> Binding:
    return Binding(
        policy=extra.policy or base.policy,
        group=extra.group or base.group,
        compute=extra.compute or base.compute,
        compute_template=extra.compute_template or base.compute_template,
        version=extra.version or base.version,
        removed=extra.removed or base.removed,
        conditions=(*base.conditions, *extra.conditions),
    )


def _refine(
    options: list[Binding],
    pre: Precondition,
    *,
    snapshot: AccountSnapshot,
    source: User | Role,
    target: User | Role | None,
    compute: list[tuple[str, str]],
    trust: TrustLookup,
) -> list[Binding]:
    kind = pre.kind
    if kind in UNDECIDABLE:
        return [_merge(o, Binding(conditions=(kind,))) for o in options]
    if kind == "trust_policy_rewritten":
        return options
    if kind == "target_trusts_service":
        if not isinstance(target, Role) or pre.service is None:
            return []
        trusted, conditional = trust(target, pre.service)
        if not trusted:
            return []
        extra = Binding(conditions=("target_trust_conditions",)) if conditional else Binding()
        return [_merge(o, extra) for o in options]
    if kind == "target_has_instance_profile":
        return options if isinstance(target, Role) and target.instance_profile_arns else []
    if kind == "target_unbounded":
        return options if target is not None and target.permissions_boundary_arn is None else []
    if kind == "target_bounded":
        return options if target is not None and target.permissions_boundary_arn is not None else []
    if kind == "source_policies_use_principal_tags":
        from iamfence.account import identity_policies

        docs = [p.document for p in identity_policies(snapshot, source)]
        return options if uses_principal_tags(docs) else []
    extra_options: list[Binding] = []
    if kind == "source_has_removable_deny" and pre.attachment is not None:
        extra_options = _removable(snapshot, source, pre.attachment)
    elif kind == "target_policy_has_other_version":
        holder = target if target is not None else source
        extra_options = _other_versions(
            snapshot, [p.arn for p in policies_attached_to(snapshot, holder)]
        )
    elif kind == "boundary_policy_has_other_version":
        arn = source.permissions_boundary_arn
        extra_options = _other_versions(snapshot, [arn] if arn else [])
    elif kind == "compute_runs_as_target" and pre.compute is not None:
        if not isinstance(target, Role):
            return []
        extra_options = _compute(snapshot, compute, target, pre.compute, trust)
    return [_merge(o, e) for o in options for e in extra_options]


def version_document(snapshot: AccountSnapshot, arn: str, version: str) -> PolicyDocument | None:
    mp = snapshot.policy(arn)
    if mp is None:
        return None
    for v in mp.versions:
        if v.version_id == version:
            return v.document
    return None


def rewritten_trust(role_arn: str, trusted: str) -> NamedPolicy:
    """The trust policy an attacker writes: it lets `trusted` (an IAM user or role ARN) assume the
    role."""
    from iamfence.model import ActionSpec, PrincipalEntry, PrincipalSpec, Statement

    statement = Statement(
        Effect.ALLOW,
        ActionSpec(("sts:AssumeRole",)),
        None,
        PrincipalSpec((PrincipalEntry(PrincipalKind.AWS, trusted),)),
    )
    return NamedPolicy(
        f"{role_arn}#trust-rewritten-by-attacker", PolicyDocument((statement,)), PolicyType.TRUST
    )

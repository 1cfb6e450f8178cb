"""Spec + catalog -> BoundaryDesign: the boundary and the developer policy.

Both documents carry the allowed services and every Deny guard (boundary/guards.py). The developer
policy also carries the delegation (bounded roles, prefix policies, PassRole, AssumeRole); the
boundary carries it too when the design is self-propagating (the developer is itself bounded, and
roles it creates may create bounded roles in turn). Action lists stay explicit; when a document would
exceed the managed-policy size, the services with the largest saving are compressed into wildcards
one by one (boundary/grants.py), then the delegation and guard action lists, until both documents
fit, or IF420/IF421 says why they cannot."""

from __future__ import annotations

import re
from dataclasses import replace
from fnmatch import fnmatchcase

from iamfence.boundary import codes
from iamfence.boundary.arns import DesignArns
from iamfence.boundary.grants import ServiceActions, compress, service_actions
from iamfence.boundary.guards import delegation, denials
from iamfence.boundary.size import MANAGED_POLICY_LIMIT, policy_size
from iamfence.boundary.spec import Spec
from iamfence.catalog import Catalog
from iamfence.diagnostics import Diagnostic
from iamfence.errors import InvalidInputError
from iamfence.model import (
    ActionSpec,
    BoundaryDesign,
    ConditionClause,
    Effect,
    PolicyDocument,
    ResourceSpec,
    ServiceGrant,
    Statement,
)


def _name_problems(spec: Spec, arns: DesignArns) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    writable = arns.writable("policy")
    for field, arn in (("boundary_policy", arns.boundary), ("developer_policy", arns.developer)):
        # A writable policy name would let developers create or replace it ([PB] in guards.py).
        if fnmatchcase(arn.lower(), writable.lower()):
            msg = f"{arn} lies inside the writable prefix {writable}; choose another name or path"
            out.append(codes.NAME_IN_PREFIX.at(spec.location(f"/{field}"), msg))
    if arns.boundary == arns.developer:
        msg = "the boundary and the developer policy must have different names"
        out.append(codes.NAME_IN_PREFIX.at(spec.location("/developer_policy"), msg))
    return out


def _sid(service: str) -> str:
    return (
        "Allowed"
        + "".join(w.capitalize() for w in re.split(r"[^A-Za-z0-9]+", service))
        + "Resources"
    )


def _service_statements(
    spec: Spec, grants: tuple[ServiceActions, ...], packed: dict[str, tuple[str, ...]]
) -> tuple[Statement, ...]:
    """`packed`: compressed patterns by part ("svc" for the actions on `*`, "svc#scoped" for the
    actions limited to the spec's resources) for the parts to write compressed."""
    regions = (
        (ConditionClause("StringEquals", "aws:RequestedRegion", spec.allowed_regions),)
        if spec.allowed_regions
        else ()
    )

    def allow(sid: str, actions: list[str], resources: tuple[str, ...]) -> Statement:
        ordered = tuple(sorted(set(actions), key=str.lower))
        return Statement(
            Effect.ALLOW, ActionSpec(ordered), ResourceSpec(resources), conditions=regions, sid=sid
        )

    anywhere: list[str] = []
    scoped: list[Statement] = []
    for grant in grants:
        anywhere.extend(packed.get(grant.service, grant.unscoped))
        if grant.scoped:
            actions = list(packed.get(f"{grant.service}#scoped", grant.scoped))
            scoped.append(allow(_sid(grant.service), actions, grant.resources))
    head = (allow("AllowedServices", anywhere, ("*",)),) if anywhere else ()
    return head + tuple(scoped)


def _tail_statements(spec: Spec, grants: tuple[ServiceActions, ...]) -> tuple[Statement, ...]:
    out: list[Statement] = []
    listed = sorted({p for g in grants for p in g.denied}, key=str.lower)
    if listed:
        out.append(
            Statement(
                Effect.DENY,
                ActionSpec(tuple(listed)),
                ResourceSpec(("*",)),
                sid="DenyListedActions",
            )
        )
    for i, extra in enumerate(spec.extra_deny):
        out.append(
            Statement(
                Effect.DENY,
                ActionSpec(extra.actions),
                ResourceSpec(extra.resources),
                conditions=extra.conditions,
                sid=extra.sid or f"ExtraDeny{i + 1}",
            )
        )
    return tuple(out)


def _pack_statement(statement: Statement, catalog: Catalog) -> Statement:
    """The statement with its exact action names compressed per service (grants.compress): the
    same catalog actions, fewer characters. Wildcards and names the catalog lacks stay as is."""
    if statement.action is None:
        return statement
    by_service: dict[str, list[str]] = {}
    kept: list[str] = []
    for pattern in statement.action.patterns:
        known = catalog.action(pattern)
        if known is None:
            kept.append(pattern)
        else:
            by_service.setdefault(known.service, []).append(known.full_name)
    for service, names in sorted(by_service.items()):
        kept.extend(compress(service, tuple(sorted(names)), catalog))
    return replace(statement, action=replace(statement.action, patterns=tuple(kept)))


def _documents(
    spec: Spec,
    arns: DesignArns,
    grants: tuple[ServiceActions, ...],
    packed: dict[str, tuple[str, ...]],
    catalog: Catalog | None = None,
) -> tuple[PolicyDocument, PolicyDocument]:
    """The two documents; with `catalog`, the delegation and guard statements are packed too."""
    services = _service_statements(spec, grants, packed)
    delegated = delegation(arns, spec.pass_role_services, spec.user_management)
    guards = denials(arns, spec.user_management, spec.protected_tag_keys)
    if catalog is not None:
        delegated = tuple(_pack_statement(s, catalog) for s in delegated)
        guards = tuple(_pack_statement(s, catalog) for s in guards)
    tail = _tail_statements(spec, grants)
    boundary = services + (delegated if spec.self_propagating else ()) + guards + tail
    developer = services + delegated + guards + tail
    return PolicyDocument(boundary), PolicyDocument(developer)


def _fit(
    spec: Spec, arns: DesignArns, grants: tuple[ServiceActions, ...], catalog: Catalog
) -> tuple[PolicyDocument, PolicyDocument]:
    parts = {g.service: g.unscoped for g in grants if g.unscoped}
    parts.update({f"{g.service}#scoped": g.scoped for g in grants if g.scoped})
    compressed = {k: compress(k.split("#")[0], v, catalog) for k, v in parts.items()}
    queue = sorted(
        parts,
        key=lambda k: (sum(map(len, compressed[k])) - sum(map(len, parts[k])), k),
    )
    packed: dict[str, tuple[str, ...]] = {}
    while True:
        boundary, developer = _documents(spec, arns, grants, packed)
        if max(policy_size(boundary), policy_size(developer)) <= MANAGED_POLICY_LIMIT:
            return boundary, developer
        if not queue:
            break
        part = queue.pop(0)
        packed[part] = compressed[part]
    # Last resort: the delegation and guard action lists, compressed the same exact way.
    boundary, developer = _documents(spec, arns, grants, packed, catalog)
    if max(policy_size(boundary), policy_size(developer)) <= MANAGED_POLICY_LIMIT:
        return boundary, developer
    problems = []
    where = spec.location("/services")
    for code, doc, what in (
        (codes.BOUNDARY_TOO_LARGE, boundary, "boundary"),
        (codes.DEVELOPER_TOO_LARGE, developer, "developer policy"),
    ):
        size = policy_size(doc)
        if size > MANAGED_POLICY_LIMIT:
            msg = (
                f"the {what} is {size} characters after compression (limit "
                f"{MANAGED_POLICY_LIMIT}); grant fewer services or whole access levels"
            )
            problems.append(code.at(where, msg))
    raise InvalidInputError(tuple(problems))


def build_design(spec: Spec, catalog: Catalog) -> BoundaryDesign:
    """The design for `spec`; InvalidInputError with located IF4xx diagnostics when it cannot be
    built (unknown services or actions, names inside the prefix, documents too large)."""
    arns = DesignArns.of(spec)
    grants, problems = service_actions(spec, catalog)
    all_problems = [*_name_problems(spec, arns), *problems]
    if all_problems:
        raise InvalidInputError(tuple(all_problems))
    boundary, developer = _fit(spec, arns, grants, catalog)
    return BoundaryDesign(
        partition=spec.partition,
        account_id=spec.account,
        boundary_policy_name=spec.boundary_policy.name,
        boundary_policy_path=spec.boundary_policy.path,
        boundary_policy_arn=arns.boundary,
        developer_policy_name=spec.developer_policy.name,
        developer_policy_arn=arns.developer,
        role_prefix=spec.role_prefix,
        role_path=spec.role_path,
        allowed_regions=spec.allowed_regions,
        pass_role_services=spec.pass_role_services,
        protected_tag_keys=spec.protected_tag_keys,
        services=tuple(
            ServiceGrant(s.service, tuple(a.value for a in s.access), s.allow, s.deny, g.resources)
            for s, g in zip(spec.services, grants, strict=True)
        ),
        allow_user_management=spec.user_management,
        self_propagating=spec.self_propagating,
        boundary_policy=boundary,
        developer_policy=developer,
        developer_policy_path=spec.developer_policy.path,
        tests=spec.tests,
    )

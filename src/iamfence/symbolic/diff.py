"""Semantic diff of two policies: what NEW allows that OLD does not, and the reverse.

Actions are partitioned into classes with the catalog: two actions are in one class when every
Action/NotAction pattern of both policies matches both or neither, so every policy treats them the
same way and one query (with a representative action) covers the class. For each class and each
direction one solver query decides whether a request (any resource, any context) is allowed on one
side only; "no new access" is therefore a proof over the catalog's actions, not a sample. Each
example request is replayed through the engine on both sides.

Each file is evaluated as the only identity-based policy of a principal in one account (resources
are read as in that account), i.e. its allows minus its denies ("Policy evaluation logic")."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable

from iamfence.catalog import Catalog
from iamfence.engine.types import PolicySet
from iamfence.model import NamedPolicy, PolicyType
from iamfence.symbolic.patterns import glob_match
from iamfence.symbolic.solve import DEFAULT_TIMEOUT_SECONDS, differs
from iamfence.symbolic.types import ActionClass, DiffEntry, DiffResult, Direction, Verdict

DEFAULT_PRINCIPAL = "arn:aws:iam::111122223333:role/iamfence-diff"


def action_patterns(policies: Iterable[NamedPolicy]) -> tuple[str, ...]:
    found: set[str] = set()
    for policy in policies:
        for statement in policy.document.statements:
            if statement.action is not None:
                found.update(p.strip().lower() for p in statement.action.patterns)
    return tuple(sorted(found))


def _service(pattern: str) -> str | None:
    """The service a pattern is limited to, or None when it may match any service."""
    service, colon, _ = pattern.partition(":")
    if not colon or "*" in service or "?" in service:
        return None
    return service


def action_classes(patterns: tuple[str, ...], catalog: Catalog) -> tuple[ActionClass, ...]:
    """Catalog actions grouped by which patterns match them (see the module docstring)."""
    specific = {s for p in patterns if (s := _service(p)) is not None}
    generic = tuple(p for p in patterns if _service(p) is None)
    only_star = all(p == "*" for p in generic)
    services = [s for s in catalog.services() if s in specific or not only_star]
    groups: dict[tuple[bool, ...], list[str]] = defaultdict(list)
    others: dict[tuple[bool, ...], int] = {}
    for service in services:
        relevant = [p for p in patterns if _service(p) in (None, service)]
        for info in catalog.service_actions(service):
            name = info.full_name
            lowered = name.lower()
            signature = tuple(
                p in relevant and glob_match(p, lowered, ignore_case=True) for p in patterns
            )
            groups[signature].append(name)
    if only_star:
        unnamed = [s for s in catalog.services() if s not in specific]
        actions = catalog.service_actions(unnamed[0]) if unnamed else ()
        if actions:
            # every action of a service no pattern names: only "*" can match it
            signature = tuple(p == "*" for p in patterns)
            groups[signature].append(actions[0].full_name)
            others[signature] = len(unnamed)
    return tuple(
        ActionClass(tuple(sorted(names)), others.get(signature, 0))
        for signature, names in sorted(groups.items())
    )


def diff_policies(
    old: NamedPolicy,
    new: NamedPolicy,
    catalog: Catalog,
    *,
    principal: str = DEFAULT_PRINCIPAL,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    unlisted: bool = False,
) -> DiffResult:
    """With `unlisted`, also compare, per service a pattern names, the actions the catalog does
    not list (future actions). The decision for an action depends only on which patterns match
    it, so an unlisted action needs a query only when it matches in a way no listed action does:
    one query per service and direction, the action a solver variable in `<service>:*` whose
    match vector is none of the listed actions'."""
    account = principal.split(":")[4] if principal.count(":") >= 5 else None
    old_set = _alone(old, account)
    new_set = _alone(new, account)
    patterns = action_patterns((old, new))
    classes = action_classes(patterns, catalog)
    none: Exclusion = ((), frozenset())
    work: list[tuple[ActionClass, str, Exclusion]] = [(c, c.representative, none) for c in classes]
    if unlisted:
        for service in sorted({s for p in patterns if (s := _service(p)) is not None}):
            label = ActionClass((f"{service}:<actions the catalog does not list>",))
            work.append((label, f"{service}:*", _known_signatures(service, patterns, catalog)))
    entries: list[DiffEntry] = []
    for action_class, action, exclude in work:
        for direction, (more, less) in (
            (Direction.ADDED, (new_set, old_set)),
            (Direction.REMOVED, (old_set, new_set)),
        ):
            started = time.perf_counter()
            result = differs(more, less, principal, action, timeout=timeout, exclude=exclude)
            entries.append(
                DiffEntry(
                    direction,
                    action_class,
                    result.verdict,
                    result.counterexample,
                    result.reason,
                    time.perf_counter() - started,
                    result.allowed_by,
                )
            )
    return DiffResult(old.name, new.name, tuple(entries), len(work), catalog.version)


Exclusion = tuple[tuple[str, ...], frozenset[tuple[bool, ...]]]


def _known_signatures(service: str, patterns: tuple[str, ...], catalog: Catalog) -> Exclusion:
    """The patterns that can match actions of `service` (and the prefix the engine reads for role
    trust), and the match vectors the catalog's actions of the service have."""
    relevant = tuple(p for p in patterns if _service(p) in (None, service))
    if service == "sts":
        relevant = (*relevant, "sts:assumerole*")
    signatures = frozenset(
        tuple(glob_match(p, a.full_name.lower(), ignore_case=True) for p in relevant)
        for a in catalog.service_actions(service)
    )
    return relevant, signatures


def _alone(policy: NamedPolicy, account: str | None) -> PolicySet:
    named = NamedPolicy(policy.name, policy.document, PolicyType.IDENTITY)
    return PolicySet(identity=(named,), resource_account=account)


__all__ = ["DEFAULT_PRINCIPAL", "Verdict", "action_classes", "action_patterns", "diff_policies"]

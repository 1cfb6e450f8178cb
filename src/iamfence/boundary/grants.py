"""Service grants: a spec's service entry -> the exact set of actions it allows (from the catalog),
and the compression of such a set into wildcards that grant no action outside it.

Action names match case-insensitively and `*` in an action matches any characters (IAM User Guide,
"IAM JSON policy elements: Action"). A pattern `svc:Prefix*` is used only when every catalog action
it matches is in the set; a pattern may still match actions AWS adds later, which is why designs are
written explicitly unless they would not fit (see size.py) and `iamfence audit` reports catalog
drift."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from iamfence.boundary import codes
from iamfence.boundary.spec import ServiceSpec, Spec
from iamfence.catalog import Catalog
from iamfence.diagnostics import Diagnostic, json_pointer
from iamfence.errors import InternalError

IAM_READ_LEVELS = frozenset({"List", "Read"})
GUARDED_SERVICES = frozenset({"sts"})
"""sts is granted only through the guards (sts:AssumeRole on prefix roles)."""


@dataclass(frozen=True, slots=True)
class ServiceActions:
    service: str
    allowed: tuple[str, ...]
    """Canonical full action names, sorted."""
    denied: tuple[str, ...]
    """The spec's deny patterns, as written (an explicit Deny statement in both documents)."""
    resources: tuple[str, ...] = ()
    """The spec's resource patterns, filled in; () means any resource."""
    scoped: tuple[str, ...] = ()
    """The allowed actions that support resource-level permissions, when `resources` is set
    (the rest support only `*` and stay on `*`)."""

    @property
    def unscoped(self) -> tuple[str, ...]:
        scoped = set(self.scoped)
        return tuple(a for a in self.allowed if a not in scoped)


def _guard_problems(spec: Spec, index: int, entry: ServiceSpec) -> list[Diagnostic]:
    where = spec.location(json_pointer("services", index, "service"))
    if entry.service in GUARDED_SERVICES:
        return [codes.GUARDED_SERVICE.at(where, f"{entry.service} is granted by the guards only")]
    if entry.service == "iam":
        extra = [a.value for a in entry.access if a.value not in IAM_READ_LEVELS]
        if extra or entry.allow:
            msg = "iam may be granted at list and read only; the guards own every iam write"
            return [codes.GUARDED_SERVICE.at(where, msg)]
    return []


def _expand_patterns(
    spec: Spec, index: int, entry: ServiceSpec, field: str, catalog: Catalog
) -> tuple[set[str], list[Diagnostic]]:
    found: set[str] = set()
    problems: list[Diagnostic] = []
    patterns = entry.allow if field == "allow" else entry.deny
    for j, pattern in enumerate(patterns):
        where = spec.location(json_pointer("services", index, field, j))
        service = pattern.split(":", 1)[0].lower()
        matched = catalog.expand(pattern) if service == entry.service else ()
        if not matched:
            msg = f"{pattern!r} matches no action of service {entry.service!r}"
            problems.append(codes.UNKNOWN_ACTION.at(where, msg))
        found.update(matched)
    return found, problems


def service_actions(
    spec: Spec, catalog: Catalog
) -> tuple[tuple[ServiceActions, ...], tuple[Diagnostic, ...]]:
    """Each service entry's allowed actions; diagnostics for unknown services and actions."""
    out: list[ServiceActions] = []
    problems: list[Diagnostic] = []
    for i, entry in enumerate(spec.services):
        where = spec.location(json_pointer("services", i, "service"))
        if not catalog.has_service(entry.service):
            msg = f"service {entry.service!r} is not in the catalog ({catalog.version})"
            problems.append(codes.UNKNOWN_SERVICE.at(where, msg))
            continue
        guard = _guard_problems(spec, i, entry)
        if guard:
            problems.extend(guard)
            continue
        allowed = {
            a.full_name
            for level in entry.access
            for a in catalog.actions_by_level(entry.service, level)
        }
        extra, p1 = _expand_patterns(spec, i, entry, "allow", catalog)
        denied, p2 = _expand_patterns(spec, i, entry, "deny", catalog)
        problems.extend(p1 + p2)
        final = (allowed | extra) - denied
        if not final and not (p1 or p2):
            msg = f"service {entry.service!r} grants no action (give access levels or allow)"
            problems.append(codes.EMPTY_GRANT.at(where, msg))
        out.append(_scoped(spec, entry, tuple(sorted(final)), catalog))
    return tuple(out), tuple(problems)


def _scoped(
    spec: Spec, entry: ServiceSpec, allowed: tuple[str, ...], catalog: Catalog
) -> ServiceActions:
    """Split the grant by resource-level support (Service Authorization Reference: an action with
    no resource types supports only `*`, which a resource ARN pattern would never match)."""
    if not entry.resources:
        return ServiceActions(entry.service, allowed, entry.deny)
    fill = {"{partition}": spec.partition, "{account}": spec.account, "{prefix}": spec.role_prefix}
    resources = []
    for pattern in entry.resources:
        filled = pattern
        for key, value in fill.items():
            filled = filled.replace(key, value)
        resources.append(filled)
    scoped = tuple(a for a in allowed if (info := catalog.action(a)) and info.resource_types)
    return ServiceActions(entry.service, allowed, entry.deny, tuple(resources), scoped)


def compress(service: str, allowed: tuple[str, ...], catalog: Catalog) -> tuple[str, ...]:
    """The shortest-prefix wildcards (or exact names) that together match exactly `allowed` among
    the catalog's actions of `service`; each pattern is checked against `catalog.expand`."""
    lowered = sorted(a.name.lower() for a in catalog.service_actions(service))
    wanted = {a.split(":", 1)[1].lower() for a in allowed}
    if wanted == set(lowered):
        return (f"{service}:*",)
    patterns: set[str] = set()
    for full in allowed:
        name = full.split(":", 1)[1]
        patterns.add(_shortest(service, name, lowered, wanted))
    result = tuple(sorted(patterns, key=str.lower))
    allowed_lower = {a.lower() for a in allowed}
    for pattern in result:
        if not {a.lower() for a in catalog.expand(pattern)} <= allowed_lower:
            raise InternalError(f"compressed pattern {pattern} grants actions outside the grant")
    return result


def _shortest(service: str, name: str, lowered: list[str], wanted: set[str]) -> str:
    low = name.lower()
    for k in range(1, len(name)):
        prefix = low[:k]
        start = bisect_left(lowered, prefix)
        end = bisect_left(lowered, prefix + "\U0010ffff")
        if all(lowered[i] in wanted for i in range(start, end)):
            return f"{service}:{name[:k]}*"
    return f"{service}:{name}"

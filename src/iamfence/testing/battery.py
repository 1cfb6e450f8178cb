"""The battery generated from a design: representative allowed actions succeed, blocked ones are
denied, every guard holds. Each case says why it exists. The guard cases follow the delegation
example of the IAM User Guide ("Permissions boundaries for IAM entities": "Delegating responsibility
to others using permissions boundaries") and the seed's five escalation attempts."""

from __future__ import annotations

import re
from dataclasses import replace

from iamfence.catalog import AccessLevel, ActionInfo, Catalog
from iamfence.model import BoundaryDesign, ContextValue, Request
from iamfence.testing.cases import APP_ROLE, DEVELOPER, Category, Expectation, TestCase
from iamfence.testing.guards import guard_cases
from iamfence.testing.names import TEST_ROLE_SUFFIX, DesignNames

PER_LEVEL = 2
"""Representative actions per service and access level."""

# Services whose use would let a role tamper with the account's security controls; when the design
# does not grant them, each is probed with one of its actions (if the catalog knows it).
SENSITIVE_ACTIONS = (
    "organizations:LeaveOrganization",
    "cloudtrail:StopLogging",
    "cloudtrail:DeleteTrail",
    "guardduty:DeleteDetector",
    "config:DeleteConfigurationRecorder",
    "kms:ScheduleKeyDeletion",
    "ec2:RunInstances",
    "rds:DeleteDBInstance",
    "secretsmanager:GetSecretValue",
    "sso:CreatePermissionSet",
)


def _glob(pattern: str) -> re.Pattern[str]:
    """An IAM ARN pattern (`*`, `?`) as a regex."""
    parts = (".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile("".join(parts), re.DOTALL)


def _templates(info: ActionInfo, catalog: Catalog) -> list[str]:
    """ARN templates of the action's resource types, the first (required) type first."""
    wanted = [name.rstrip("*") for name in info.resource_types]
    by_name = {rt.name: rt for rt in catalog.resource_types(info.service)}
    return [t for name in wanted if name in by_name for t in by_name[name].arn_templates]


def _template_regex(template: str) -> re.Pattern[str]:
    pieces = re.split(r"\$\{[^}]+\}", template)
    return re.compile(".+".join(re.escape(p) for p in pieces), re.DOTALL)


def _fill_pattern(pattern: str, names: DesignNames) -> str:
    """A concrete ARN inside an ARN pattern: the region and account wildcards get the design's,
    other wildcards a test name."""
    parts = pattern.split(":", 5)
    if len(parts) == 6:
        if parts[3] == "*":
            parts[3] = names.region
        if parts[4] == "*":
            parts[4] = names.account
        pattern = ":".join(parts)
    return pattern.replace("*", TEST_ROLE_SUFFIX).replace("?", "x")


def _resource_for(
    info: ActionInfo, catalog: Catalog, names: DesignNames, scope: tuple[str, ...] = ()
) -> str | None:
    """A concrete resource for a request: "*" for an action without resource types; else an ARN of
    its resource type, inside the grant's `scope` patterns when it has some (None when no resource
    in scope is of a type the action takes)."""
    templates = _templates(info, catalog)
    if not info.resource_types:
        return "*"
    if not scope:
        return names.fill(templates[0]) if templates else "*"
    for pattern in scope:
        concrete = _fill_pattern(pattern, names)
        if any(_template_regex(t).fullmatch(concrete) for t in templates):
            return concrete
    return None


def _outside(
    info: ActionInfo, catalog: Catalog, names: DesignNames, scope: tuple[str, ...]
) -> str | None:
    """An ARN of the action's resource type that no scope pattern matches (a confused deputy's)."""
    for template in _templates(info, catalog):
        concrete = names.fill(template).replace(TEST_ROLE_SUFFIX, "iamfence-outside")
        if not any(_glob(p).fullmatch(concrete) for p in scope):
            return concrete
    return None


def _representatives(actions: tuple[ActionInfo, ...], count: int) -> tuple[ActionInfo, ...]:
    """Evenly spaced picks from the sorted list, so tests do not all start with 'A'."""
    ordered = sorted(actions, key=lambda a: a.name)
    if len(ordered) <= count:
        return tuple(ordered)
    step = (len(ordered) - 1) / (count - 1) if count > 1 else 0
    return tuple(ordered[round(i * step)] for i in range(count))


def _region_context(names: DesignNames) -> tuple[tuple[str, ContextValue], ...]:
    return (("aws:RequestedRegion", ContextValue.string(names.region)),)


def _case(
    who: str,
    info: ActionInfo,
    expect: Expectation,
    why: str,
    category: Category,
    *,
    catalog: Catalog,
    names: DesignNames,
    resource: str | None = None,
) -> TestCase:
    principal = names.app_session if who == APP_ROLE else names.developer_session
    target = resource or _resource_for(info, catalog, names) or "*"
    request = Request(principal, info.full_name, target, _region_context(names))
    verb = "allow" if expect is Expectation.ALLOW else "deny"
    suffix = "" if who == APP_ROLE else " (developer)"
    return TestCase(f"{verb} {info.full_name}{suffix}", why, category, who, request, expect)


def _outside_cases(
    who: str,
    actions: tuple[ActionInfo, ...],
    scope: tuple[str, ...],
    *,
    catalog: Catalog,
    names: DesignNames,
) -> list[TestCase]:
    """A granted resource-level action on a resource outside the grant's scope is denied (the
    confused deputy: e.g. changing the code of a function that runs under another team's role)."""
    for info in _representatives(tuple(a for a in actions if a.resource_types), PER_LEVEL):
        outside = _outside(info, catalog, names, scope)
        if outside is not None:
            why = f"{info.service} is granted only on {', '.join(scope)}"
            case = _case(
                who,
                info,
                Expectation.DENY,
                why,
                Category.ACCESS_LEVEL,
                catalog=catalog,
                names=names,
                resource=outside,
            )
            return [replace(case, name=f"{case.name} outside the granted resources")]
    return []


def _grant_cases(
    who: str, design: BoundaryDesign, catalog: Catalog, names: DesignNames
) -> list[TestCase]:
    """Representative actions of every granted service at every access level: allowed where the
    spec grants the level, denied where it does not, denied where the spec lists the action."""
    cases: list[TestCase] = []
    for grant in design.services:
        denied = {a.lower() for pattern in grant.deny_actions for a in catalog.expand(pattern)}
        for level in AccessLevel:
            actions = tuple(
                a
                for a in catalog.actions_by_level(grant.service, level)
                if a.full_name.lower() not in denied
            )
            allowed = level.value in grant.access_levels
            scope = grant.resources
            if allowed:
                # In a scoped grant only actions with a resource in scope are granted anywhere.
                actions = tuple(a for a in actions if _resource_for(a, catalog, names, scope))
            for info in _representatives(actions, PER_LEVEL):
                if allowed:
                    why, category, expect = (
                        f"{grant.service} is granted at access level {level.value}",
                        Category.SERVICE,
                        Expectation.ALLOW,
                    )
                else:
                    why, category, expect = (
                        f"{grant.service} is not granted at access level {level.value}",
                        Category.ACCESS_LEVEL,
                        Expectation.DENY,
                    )
                resource = _resource_for(info, catalog, names, scope)
                cases.append(
                    _case(
                        who,
                        info,
                        expect,
                        why,
                        category,
                        catalog=catalog,
                        names=names,
                        resource=resource,
                    )
                )
            if allowed and scope:
                cases += _outside_cases(who, actions, scope, catalog=catalog, names=names)
        for action in sorted(denied)[:PER_LEVEL]:
            listed = catalog.action(action)
            if listed is not None:
                why = f"the spec denies {listed.full_name} explicitly"
                cases.append(
                    _case(
                        who,
                        listed,
                        Expectation.DENY,
                        why,
                        Category.ACCESS_LEVEL,
                        catalog=catalog,
                        names=names,
                    )
                )
    granted = {g.service for g in design.services}
    for action in SENSITIVE_ACTIONS:
        sensitive = catalog.action(action)
        if sensitive is not None and sensitive.service not in granted:
            why = f"{sensitive.service} is not a granted service"
            cases.append(
                _case(
                    who,
                    sensitive,
                    Expectation.DENY,
                    why,
                    Category.BLOCKED_SERVICE,
                    catalog=catalog,
                    names=names,
                )
            )
    return cases


def generate_battery(
    design: BoundaryDesign, catalog: Catalog, *, region: str | None = None
) -> tuple[TestCase, ...]:
    """Every generated case for a design, in a stable order."""
    names = DesignNames(design, region or (design.allowed_regions or ("us-east-1",))[0])
    cases = [
        *_grant_cases(APP_ROLE, design, catalog, names),
        *_grant_cases(DEVELOPER, design, catalog, names),
        *guard_cases(names),
    ]
    seen: set[str] = set()
    unique: list[TestCase] = []
    for case in cases:
        if case.name in seen:
            continue
        seen.add(case.name)
        unique.append(case)
    return tuple(unique)


__all__ = ["DEVELOPER", "generate_battery"]

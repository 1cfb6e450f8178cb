"""The battery generated from a design: representative allowed actions succeed, blocked ones are
denied, every guard holds. Each case says why it exists. The guard cases follow the delegation
example of the IAM User Guide ("Permissions boundaries for IAM entities": "Delegating responsibility
to others using permissions boundaries") and the seed's five escalation attempts."""

from __future__ import annotations

from iamfence.catalog import AccessLevel, ActionInfo, Catalog
from iamfence.model import BoundaryDesign, ContextValue, Request
from iamfence.testing.cases import APP_ROLE, DEVELOPER, Category, Expectation, TestCase
from iamfence.testing.guards import guard_cases
from iamfence.testing.names import DesignNames

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


def _resource_for(info: ActionInfo, catalog: Catalog, names: DesignNames) -> str:
    if not info.resource_types:
        return "*"
    wanted = info.resource_types[0].rstrip("*")
    for resource_type in catalog.resource_types(info.service):
        if resource_type.name == wanted and resource_type.arn_templates:
            return names.fill(resource_type.arn_templates[0])
    return "*"


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
) -> TestCase:
    principal = names.app_session if who == APP_ROLE else names.developer_session
    request = Request(
        principal, info.full_name, _resource_for(info, catalog, names), _region_context(names)
    )
    verb = "allow" if expect is Expectation.ALLOW else "deny"
    suffix = "" if who == APP_ROLE else " (developer)"
    return TestCase(f"{verb} {info.full_name}{suffix}", why, category, who, request, expect)


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
                cases.append(_case(who, info, expect, why, category, catalog=catalog, names=names))
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

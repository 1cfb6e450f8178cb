"""A permissions-boundary design: the intent a security team states (which services, which prefix,
which guards) together with the two documents generated from it. boundary/ produces it; testing/,
symbolic/ and audit/ read it. It lives in the model so that those packages need not import each
other."""

from __future__ import annotations

from dataclasses import dataclass

from iamfence.model.policy import PolicyDocument
from iamfence.model.request import ContextValue


@dataclass(frozen=True, slots=True)
class ServiceGrant:
    """A service developers may use: `access_levels` are catalog access levels ("List", "Read",
    "Write", "Tagging", "Permissions management"); explicit action allow and deny lists refine them."""

    service: str
    access_levels: tuple[str, ...]
    allow_actions: tuple[str, ...] = ()
    deny_actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    """ARN patterns the service's resource-level actions are limited to; () means any resource.
    Actions that support only `*` stay allowed on `*`."""


@dataclass(frozen=True, slots=True)
class DesignTest:
    """A test a spec author wrote inline (`tests:` in the spec): `principal` is "developer",
    "app-role" or a principal ARN; `expect_allow` is True for `expect: allow`, False for `deny`."""

    name: str
    principal: str
    action: str
    resource: str
    context: tuple[tuple[str, ContextValue], ...]
    expect_allow: bool


@dataclass(frozen=True, slots=True)
class BoundaryDesign:
    partition: str
    account_id: str
    boundary_policy_name: str
    boundary_policy_path: str
    boundary_policy_arn: str
    developer_policy_name: str
    developer_policy_arn: str
    role_prefix: str
    role_path: str
    allowed_regions: tuple[str, ...]
    pass_role_services: tuple[str, ...]
    protected_tag_keys: tuple[str, ...]
    services: tuple[ServiceGrant, ...]
    allow_user_management: bool
    self_propagating: bool
    boundary_policy: PolicyDocument
    developer_policy: PolicyDocument
    developer_policy_path: str = "/"
    tests: tuple[DesignTest, ...] = ()
    """The spec's inline tests, in spec order."""

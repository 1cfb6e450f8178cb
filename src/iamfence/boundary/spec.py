"""The boundary spec (`version: iamfence/v1`) as frozen values: what a security team states about a
design. `load_spec` (boundary/loader.py) builds it from YAML; `build_design` turns it into documents."""

from __future__ import annotations

from dataclasses import dataclass, replace

from iamfence.catalog.types import AccessLevel
from iamfence.diagnostics import Location
from iamfence.model import ConditionClause, DesignTest

SPEC_VERSION = "iamfence/v1"
ACCOUNT_PLACEHOLDER = "${AWS::AccountId}"
"""Stands for the account id in ARNs when the spec names none; the CloudFormation renderer turns it
into `!Sub ${AWS::AccountId}`, the Terraform renderer into `data.aws_caller_identity`, and `deploy`
into the caller's account."""

DEFAULT_ROLE_PREFIX = "app-"
DEFAULT_BOUNDARY_NAME = "iamfence-boundary"
DEFAULT_DEVELOPER_NAME = "iamfence-developer"

ACCESS_WORDS: dict[str, AccessLevel] = {
    "list": AccessLevel.LIST,
    "read": AccessLevel.READ,
    "write": AccessLevel.WRITE,
    "tagging": AccessLevel.TAGGING,
    "permissions-management": AccessLevel.PERMISSIONS_MANAGEMENT,
}
"""The spec's words for the catalog's access levels (Service Authorization Reference)."""


@dataclass(frozen=True, slots=True)
class PolicyName:
    """A customer managed policy's name and path (path starts and ends with '/')."""

    name: str
    path: str = "/"


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    """One allowed service: every action at the listed access levels, plus `allow` patterns, minus
    `deny` patterns (which also become an explicit Deny in both documents)."""

    service: str
    access: tuple[AccessLevel, ...]
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    """ARN patterns for the actions that support resource-level permissions (placeholders
    {partition}, {account}, {prefix} filled in); () means any resource."""


@dataclass(frozen=True, slots=True)
class ExtraDeny:
    """A Deny statement the spec adds to both documents, as written."""

    sid: str | None
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    conditions: tuple[ConditionClause, ...] = ()


@dataclass(frozen=True, slots=True)
class Spec:
    account_id: str | None
    """12 digits, or None: ARNs then carry ACCOUNT_PLACEHOLDER."""
    partition: str
    boundary_policy: PolicyName
    developer_policy: PolicyName
    role_prefix: str
    role_path: str
    """The path of roles developers may create ("/" when the spec gives none)."""
    allowed_regions: tuple[str, ...]
    pass_role_services: tuple[str, ...]
    protected_tag_keys: tuple[str, ...]
    services: tuple[ServiceSpec, ...]
    extra_deny: tuple[ExtraDeny, ...]
    self_propagating: bool
    user_management: bool
    tests: tuple[DesignTest, ...]
    file: str = "<input>"
    locations: tuple[tuple[str, Location], ...] = ()
    """JSON pointer -> where its value starts in the source text (for diagnostics found later)."""

    def location(self, pointer: str) -> Location:
        """The location of `pointer`, or of its nearest ancestor that has one."""
        table = dict(self.locations)
        probe = pointer
        while True:
            if probe in table:
                return replace(table[probe], pointer=pointer)
            if not probe:
                return Location(self.file, pointer)
            probe = probe.rsplit("/", 1)[0]

    def with_account_id(self, account_id: str) -> Spec:
        return replace(self, account_id=account_id)

    @property
    def account(self) -> str:
        return self.account_id or ACCOUNT_PLACEHOLDER

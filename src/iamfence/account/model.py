"""The account model escalation and audit read: principals, groups, managed and inline policies with
versions, boundaries, trust policies, tags. Built from `aws iam get-account-authorization-details`
output (a file, or what adapters/ collected) by account/snapshot.py."""

from __future__ import annotations

from dataclasses import dataclass

from iamfence.model import NamedPolicy, PolicyDocument


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    version_id: str
    document: PolicyDocument | None
    is_default: bool
    create_date: str = ""


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    arn: str
    name: str
    path: str
    default_version_id: str
    versions: tuple[PolicyVersion, ...]
    attachment_count: int = 0
    permissions_boundary_usage_count: int = 0

    @property
    def is_aws_managed(self) -> bool:
        return self.arn.split(":")[4:5] == ["aws"]

    @property
    def document(self) -> PolicyDocument | None:
        """The default version's document (the one IAM evaluates)."""
        for v in self.versions:
            if v.is_default:
                return v.document
        return None


@dataclass(frozen=True, slots=True)
class Group:
    arn: str
    name: str
    path: str
    inline_policies: tuple[NamedPolicy, ...] = ()
    attached_policy_arns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class User:
    arn: str
    name: str
    path: str
    user_id: str = ""
    create_date: str = ""
    inline_policies: tuple[NamedPolicy, ...] = ()
    attached_policy_arns: tuple[str, ...] = ()
    group_names: tuple[str, ...] = ()
    permissions_boundary_arn: str | None = None
    tags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Role:
    arn: str
    name: str
    path: str
    role_id: str = ""
    create_date: str = ""
    trust_policy: PolicyDocument | None = None
    inline_policies: tuple[NamedPolicy, ...] = ()
    attached_policy_arns: tuple[str, ...] = ()
    permissions_boundary_arn: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    instance_profile_arns: tuple[str, ...] = ()
    last_used: str | None = None

    @property
    def is_service_linked(self) -> bool:
        """Service-linked roles live under /aws-service-role/ (IAM User Guide, "Using
        service-linked roles")."""
        return self.path.startswith("/aws-service-role/")


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    account_id: str
    users: tuple[User, ...] = ()
    roles: tuple[Role, ...] = ()
    groups: tuple[Group, ...] = ()
    policies: tuple[ManagedPolicy, ...] = ()
    partition: str = "aws"

    def policy(self, arn: str) -> ManagedPolicy | None:
        for p in self.policies:
            if p.arn == arn:
                return p
        return None

    def role(self, name_or_arn: str) -> Role | None:
        for r in self.roles:
            if name_or_arn in (r.name, r.arn):
                return r
        return None

    def user(self, name_or_arn: str) -> User | None:
        for u in self.users:
            if name_or_arn in (u.name, u.arn):
                return u
        return None

    def group(self, name_or_arn: str) -> Group | None:
        for g in self.groups:
            if name_or_arn in (g.name, g.arn):
                return g
        return None

"""The account model escalation and audit read: principals, groups, managed and inline policies with
versions, boundaries, trust policies, tags. Built from `aws iam get-account-authorization-details`
output (a file, or what adapters/ collected) by account/snapshot.py."""

from __future__ import annotations

from dataclasses import dataclass, field

from iamfence.diagnostics import Diagnostic
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

    @property
    def is_service_linked(self) -> bool:
        """Users are never service-linked (lets callers treat users and roles alike)."""
        return False


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
class InstanceProfile:
    """An instance profile and the roles it holds (EC2 instances launched with it run as them)."""

    arn: str
    name: str
    path: str = "/"
    role_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ComputeResource:
    """Optional input: a compute resource known to run as a role (a Lambda function, an EC2
    instance, a CloudFormation stack, ...). `kind` is a short service word ("lambda", "ec2",
    "cloudformation", "glue", "sagemaker", "ecs", "codebuild", ...)."""

    kind: str
    arn: str
    role_arn: str


Principal = User | Role
"""The principals the graph is made of."""


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    account_id: str
    users: tuple[User, ...] = ()
    roles: tuple[Role, ...] = ()
    groups: tuple[Group, ...] = ()
    policies: tuple[ManagedPolicy, ...] = ()
    partition: str = "aws"
    instance_profiles: tuple[InstanceProfile, ...] = ()
    compute: tuple[ComputeResource, ...] = ()
    """Optional input: compute known to run as roles (see ComputeResource)."""
    scp_levels: tuple[tuple[NamedPolicy, ...], ...] = ()
    """Optional input: SCPs by organization level (root, OUs..., account); () means none apply."""
    resource_policies: tuple[tuple[str, NamedPolicy], ...] = ()
    """Optional input: (resource ARN, resource-based policy) pairs."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """Warnings found while loading (errors raise InvalidInputError instead)."""
    _index: dict[str, object] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    """Lookup by name and ARN, built once (the snapshot itself stays frozen)."""

    def __post_init__(self) -> None:
        index = self._index
        for kind, items in (
            ("group", self.groups),
            ("user", self.users),
            ("role", self.roles),
            ("policy", self.policies),
        ):
            for item in items:
                index.setdefault(f"{kind}:{item.arn}", item)
                index.setdefault(f"{kind}:{item.name}", item)

    def policy(self, arn: str) -> ManagedPolicy | None:
        found = self._index.get(f"policy:{arn}")
        return found if isinstance(found, ManagedPolicy) else None

    def role(self, name_or_arn: str) -> Role | None:
        found = self._index.get(f"role:{name_or_arn}")
        return found if isinstance(found, Role) else None

    def user(self, name_or_arn: str) -> User | None:
        found = self._index.get(f"user:{name_or_arn}")
        return found if isinstance(found, User) else None

    def group(self, name_or_arn: str) -> Group | None:
        found = self._index.get(f"group:{name_or_arn}")
        return found if isinstance(found, Group) else None

    def principal(self, name_or_arn: str) -> User | Role | None:
        """A user or role by ARN, or by name (a user first when a user and a role share it)."""
        return self.user(name_or_arn) or self.role(name_or_arn)

    @property
    def principals(self) -> tuple[User | Role, ...]:
        return (*self.users, *self.roles)

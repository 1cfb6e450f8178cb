"""The escalation properties of a permissions-boundary design, as queries.

Each property claims that no request of a kind can be allowed, for the delegated developer (its
policies, with the boundary when it carries it) and for the roles it creates (which carry the
boundary and may have any identity policy: modelled as Allow `*` on `*`, the worst case). The
escalation paths are those of the seed workflow and the IAM User Guide, "Permissions boundaries for
IAM entities" (delegating responsibility to others): creating principals without the boundary,
changing or removing a boundary, editing the boundary or developer policy, attaching policies to
unbounded principals, escaping the role name prefix (paths included), passing, assuming or
re-trusting roles outside the prefix, protected tags, and user and group side doors.

Ids are stable: `<subject>.<property>` (subject `developer` or `role`), with `/<tag key>` for the
per-key tag properties."""

from __future__ import annotations

from dataclasses import dataclass

from iamfence.engine.types import PolicySet
from iamfence.model import (
    ActionSpec,
    BoundaryDesign,
    Effect,
    NamedPolicy,
    PolicyDocument,
    PolicyType,
    PrincipalEntry,
    PrincipalKind,
    PrincipalSpec,
    Statement,
    allow_everything,
)
from iamfence.symbolic.types import (
    ContextRequirement,
    Property,
    Query,
    Requirement,
    ResourceTarget,
)

PERMISSIONS_BOUNDARY_KEY = "iam:PermissionsBoundary"


@dataclass(frozen=True, slots=True)
class Subject:
    """Whom the properties are about and what protects them."""

    partition: str
    account_id: str
    boundary_arn: str
    role_prefix: str
    developer_principal: str
    developer: PolicySet
    role_principal: str
    role: PolicySet
    developer_policy_arn: str | None = None
    protected_tag_keys: tuple[str, ...] = ()


def _everything() -> NamedPolicy:
    return NamedPolicy("any-identity-policy", allow_everything(sid="AnyPolicy"))


def subject(
    *,
    identity: tuple[NamedPolicy, ...],
    permissions_boundary: NamedPolicy | None,
    boundary_arn: str,
    role_prefix: str,
    principal: str,
    developer_has_boundary: bool = True,
    developer_policy_arn: str | None = None,
    protected_tag_keys: tuple[str, ...] = (),
    role_path: str = "/",
    scp: tuple[tuple[NamedPolicy, ...], ...] = (),
) -> Subject:
    """A subject from policies given by hand (the `--identity ... --permissions-boundary` form)."""
    parts = principal.split(":", 5)
    partition = parts[1] if len(parts) == 6 else "aws"
    account = parts[4] if len(parts) == 6 else ""
    if not account:
        pieces = boundary_arn.split(":", 5)
        account = pieces[4] if len(pieces) == 6 else ""
    path = role_path if role_path.endswith("/") else role_path + "/"
    role_principal = f"arn:{partition}:iam::{account}:role{path}{role_prefix}iamfence-probe"
    boundary_pb = permissions_boundary
    if boundary_pb is not None:
        boundary_pb = NamedPolicy(
            boundary_pb.name, boundary_pb.document, PolicyType.PERMISSIONS_BOUNDARY
        )
    developer = PolicySet(
        identity=identity,
        permissions_boundary=boundary_pb if developer_has_boundary else None,
        scp=scp,
    )
    role = PolicySet(identity=(_everything(),), permissions_boundary=boundary_pb, scp=scp)
    return Subject(
        partition,
        account,
        boundary_arn,
        role_prefix,
        principal,
        developer,
        role_principal,
        role,
        developer_policy_arn,
        protected_tag_keys,
    )


def subject_from_design(
    design: BoundaryDesign,
    principal: str | None = None,
    scp: tuple[tuple[NamedPolicy, ...], ...] = (),
) -> Subject:
    who = principal or f"arn:{design.partition}:iam::{design.account_id}:role/iamfence-developer"
    return subject(
        identity=(NamedPolicy(design.developer_policy_arn, design.developer_policy),),
        permissions_boundary=NamedPolicy(
            design.boundary_policy_arn, design.boundary_policy, PolicyType.PERMISSIONS_BOUNDARY
        ),
        boundary_arn=design.boundary_policy_arn,
        role_prefix=design.role_prefix,
        principal=who,
        developer_has_boundary=design.self_propagating,
        developer_policy_arn=design.developer_policy_arn,
        protected_tag_keys=design.protected_tag_keys,
        role_path=design.role_path or "/",
        scp=scp,
    )


@dataclass(frozen=True, slots=True)
class _Spec:
    id: str
    title: str
    actions: tuple[str, ...]
    target: ResourceTarget
    requirements: tuple[ContextRequirement, ...] = ()
    trust_account: bool = False
    """Add a trust policy that trusts the account (the worst case for sts:AssumeRole)."""


_EDIT_POLICY = (
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:DeletePolicyVersion",
    "iam:DeletePolicy",
)
_CREDENTIALS = (
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
)


def _specs(s: Subject, principal: str) -> list[_Spec]:
    iam = f"arn:{s.partition}:iam::{s.account_id}:"
    roles = f"{iam}role/*"
    users = f"{iam}user/*"
    outside = ResourceTarget(roles, name_outside_prefix=s.role_prefix)
    other_pb = (
        ContextRequirement(
            PERMISSIONS_BOUNDARY_KEY, Requirement.ABSENT_OR_NOT_EQUAL, s.boundary_arn
        ),
    )
    edit = _EDIT_POLICY
    specs = [
        _Spec("create-role-without-boundary", "Create a role without the boundary or with another",
              ("iam:CreateRole",), ResourceTarget(roles), other_pb),
        _Spec("create-user-without-boundary", "Create a user without the boundary or with another",
              ("iam:CreateUser",), ResourceTarget(users), other_pb),
        _Spec("swap-role-boundary", "Set another permissions boundary on a role",
              ("iam:PutRolePermissionsBoundary",), ResourceTarget(roles), other_pb),
        _Spec("swap-user-boundary", "Set another permissions boundary on a user",
              ("iam:PutUserPermissionsBoundary",), ResourceTarget(users), other_pb),
        _Spec("delete-role-boundary", "Delete a role's permissions boundary",
              ("iam:DeleteRolePermissionsBoundary",), ResourceTarget(roles)),
        _Spec("delete-user-boundary", "Delete a user's permissions boundary",
              ("iam:DeleteUserPermissionsBoundary",), ResourceTarget(users)),
        _Spec("edit-boundary-policy", "Edit or delete the boundary policy (versions, default)",
              edit, ResourceTarget(s.boundary_arn)),
        _Spec("attach-policy-to-unbounded-role",
              "Attach or put a policy on a role without the boundary",
              ("iam:AttachRolePolicy", "iam:PutRolePolicy"), ResourceTarget(roles), other_pb),
        _Spec("attach-policy-to-unbounded-user",
              "Attach or put a policy on a user without the boundary",
              ("iam:AttachUserPolicy", "iam:PutUserPolicy"), ResourceTarget(users), other_pb),
        _Spec("role-name-outside-prefix",
              f"Create a role whose name does not start with {s.role_prefix!r} (paths included)",
              ("iam:CreateRole",), outside),
        _Spec("pass-role-outside-prefix", "Pass a role outside the prefix to a service",
              ("iam:PassRole",), outside),
        _Spec("assume-role-outside-prefix", "Assume a role outside the prefix",
              ("sts:AssumeRole",), outside, trust_account=True),
        _Spec("update-trust-outside-prefix", "Change the trust policy of a role outside the prefix",
              ("iam:UpdateAssumeRolePolicy",), outside),
        _Spec("user-credentials", "Create or change credentials of another user",
              _CREDENTIALS, ResourceTarget(users, exclude=(principal,))),
        _Spec("group-side-door", "Add a user to a group or change a group's policies",
              ("iam:AddUserToGroup", "iam:AttachGroupPolicy", "iam:PutGroupPolicy"),
              ResourceTarget(f"{iam}group/*")),
    ]  # fmt: skip
    if s.developer_policy_arn:
        specs.insert(7, _Spec("edit-developer-policy",
                              "Edit or delete the developer policy (versions, default)",
                              edit, ResourceTarget(s.developer_policy_arn)))  # fmt: skip
    for key in s.protected_tag_keys:
        specs.append(_tag_spec(iam, key, remove=False))
        specs.append(_tag_spec(iam, key, remove=True))
    return specs


def _tag_spec(iam: str, key: str, *, remove: bool) -> _Spec:
    tag_keys = ContextRequirement("aws:TagKeys", Requirement.CONTAINS, key, multi=True)
    actions: tuple[str, ...]
    if remove:
        actions = ("iam:UntagRole", "iam:UntagUser", "iam:UntagPolicy")
        return _Spec(f"remove-protected-tag/{key}", f"Remove the protected tag {key!r}",
                     actions, ResourceTarget(f"{iam}*"), (tag_keys,))  # fmt: skip
    request_tag = ContextRequirement(f"aws:RequestTag/{key}", Requirement.PRESENT)
    actions = ("iam:TagRole", "iam:TagUser", "iam:TagPolicy", "iam:CreateRole", "iam:CreateUser")
    return _Spec(f"set-protected-tag/{key}", f"Set the protected tag {key!r}",
                 actions, ResourceTarget(f"{iam}*"), (tag_keys, request_tag))  # fmt: skip


def _trust(s: Subject) -> NamedPolicy:
    root = f"arn:{s.partition}:iam::{s.account_id}:root"
    statement = Statement(
        Effect.ALLOW,
        ActionSpec(("sts:AssumeRole",)),
        None,
        PrincipalSpec((PrincipalEntry(PrincipalKind.AWS, root),)),
        sid="TrustsTheAccount",
    )
    return NamedPolicy(
        "trust-policy-trusting-the-account", PolicyDocument((statement,)), PolicyType.TRUST
    )


def escalation_properties(s: Subject) -> tuple[Property, ...]:
    """Every property, for the developer and for the roles it creates."""
    out: list[Property] = []
    for label, principal, policies in (
        ("developer", s.developer_principal, s.developer),
        ("role", s.role_principal, s.role),
    ):
        for spec in _specs(s, principal):
            ps = policies
            if spec.trust_account:
                ps = PolicySet(
                    identity=ps.identity,
                    permissions_boundary=ps.permissions_boundary,
                    session=ps.session,
                    resource=_trust(s),
                    scp=ps.scp,
                )
            query = Query(principal, spec.actions, spec.target, spec.requirements)
            title = f"{'Developer' if label == 'developer' else 'Created role'}: {spec.title}"
            out.append(Property(f"{label}.{spec.id}", title, ps, query))
    return tuple(out)

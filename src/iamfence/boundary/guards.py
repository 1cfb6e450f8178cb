"""The guard and delegation statements of a design, each citing the AWS documentation it follows.

Sources (AWS IAM User Guide):
- [PB] "Permissions boundaries for IAM entities", section "Delegating responsibility to others using
  permissions boundaries": a delegated administrator may create users/roles and change their policies
  only with `iam:PermissionsBoundary` equal to the boundary, may not remove or change the boundary,
  and may not change the boundary policy or its own policy.
- [COND] "IAM JSON policy elements: Condition operators": a key missing from the request makes a
  condition false, except for negated operators (StringNotEquals, ...), where it makes it true. So
  Allow + StringEquals alone leaves a missing key merely un-allowed, and Deny + StringNotEquals also
  denies it explicitly (it wins over any other Allow: "Policy evaluation logic").
- [IAMRES] "Controlling access to IAM resources" and the Service Authorization Reference for IAM:
  `iam:PassedToService` limits the services a role may be passed to; `iam:PermissionsBoundary` is
  present on CreateRole, CreateUser, Put/Attach/Detach/Delete role and user policies,
  Put/Delete{Role,User}PermissionsBoundary, DeleteRole, UpdateRole(Description) and
  UpdateAssumeRolePolicy.
- [TAGS] "Controlling access to AWS resources using tags": `aws:TagKeys` holds the tag keys a request
  sets or removes; ForAnyValue makes the condition true when any of them is protected and false when
  the request carries no tags.
- [ARN] "IAM identifiers" and "IAM JSON policy elements: Resource": see boundary/arns.py (paths).
"""

from __future__ import annotations

from iamfence.boundary.arns import DesignArns
from iamfence.model import ActionSpec, ConditionClause, Effect, ResourceSpec, Statement

BOUNDED_ROLE_ACTIONS = (
    "iam:AttachRolePolicy",
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "iam:DetachRolePolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateRole",
    "iam:UpdateRoleDescription",
)
"""Role actions that carry iam:PermissionsBoundary [IAMRES]: allowed only on roles with this boundary."""
BOUNDED_USER_ACTIONS = (
    "iam:AttachUserPolicy",
    "iam:CreateUser",
    "iam:DeleteUserPolicy",
    "iam:DetachUserPolicy",
    "iam:PutUserPermissionsBoundary",
    "iam:PutUserPolicy",
)
ROLE_TAG_ACTIONS = ("iam:TagRole", "iam:UntagRole")
POLICY_ACTIONS = (
    "iam:CreatePolicy",
    "iam:CreatePolicyVersion",
    "iam:DeletePolicy",
    "iam:DeletePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:TagPolicy",
    "iam:UntagPolicy",
)
POLICY_VERSION_ACTIONS = (
    "iam:CreatePolicyVersion",
    "iam:DeletePolicy",
    "iam:DeletePolicyVersion",
    "iam:SetDefaultPolicyVersion",
)
USER_OTHER_ACTIONS = (
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:DeleteAccessKey",
    "iam:DeleteLoginProfile",
    "iam:DeleteUser",
    "iam:TagUser",
    "iam:UntagUser",
    "iam:UpdateAccessKey",
    "iam:UpdateLoginProfile",
)
IDENTITY_MANAGEMENT_PATTERNS = (
    "iam:*AccessKey*",
    "iam:*Group*",
    "iam:*LoginProfile",
    "iam:*MFADevice",
    "iam:*SSHPublicKey",
    "iam:*ServiceSpecificCredential",
    "iam:*SigningCertificate",
    "iam:*User*",
    "iam:ChangePassword",
)
"""Every IAM user, group, access-key, login-profile and credential action (wildcards over-deny a few
reads such as iam:GetUser; a Deny may over-reach, never under-reach)."""
GROUP_PATTERNS = ("iam:*Group*",)
IAM_WRITE_PATTERNS = (
    "iam:A*",  # Accept, Add, Associate, Attach
    "iam:C*",  # Change, Create
    "iam:D*",  # Deactivate, Delete, Detach, Disable
    "iam:E*",  # Enable
    "iam:P*",  # Pass, Put
    "iam:R*",  # Reject, Remove, Reset, Resync
    "iam:Se*",  # Send, Set
    "iam:T*",  # Tag
    "iam:U*",  # Untag, Update, Upload
)
"""Exactly the IAM actions above the List and Read access levels, by verb, in the fewest wildcards
(tests/boundary check both directions against the catalog, so a new verb fails the tests rather
than slipping past the prefix guard, and no read is denied)."""
IAM_READ = ("iam:Get*", "iam:List*")
PASS_ROLE = "iam:PassRole"
ASSUME_ROLE = "sts:AssumeRole"
BOUNDARY_KEY = "iam:PermissionsBoundary"


def _stmt(
    sid: str,
    effect: Effect,
    actions: tuple[str, ...],
    resources: tuple[str, ...],
    conditions: tuple[ConditionClause, ...] = (),
    *,
    not_resource: bool = False,
) -> Statement:
    return Statement(
        effect,
        ActionSpec(actions),
        ResourceSpec(resources, negated=not_resource),
        conditions=conditions,
        sid=sid,
    )


def delegation(arns: DesignArns, pass_to: tuple[str, ...], users: bool) -> tuple[Statement, ...]:
    """What a developer may do in IAM [PB]: bounded roles (and users when enabled) under the prefix,
    policies under the prefix, PassRole to listed services [IAMRES], AssumeRole of prefix roles."""
    this_boundary = (ConditionClause("StringEquals", BOUNDARY_KEY, (arns.boundary,)),)
    role = arns.writable("role")
    out = [
        _stmt("IamRead", Effect.ALLOW, IAM_READ, ("*",)),
        _stmt("BoundedRoles", Effect.ALLOW, BOUNDED_ROLE_ACTIONS, (role,), this_boundary),
        # Each action below applies to one resource type only, so one statement serves both.
        _stmt(
            "PrefixRolesAndPolicies",
            Effect.ALLOW,
            (*ROLE_TAG_ACTIONS, *POLICY_ACTIONS, ASSUME_ROLE),
            (role, arns.writable("policy")),
        ),
    ]
    if users:
        user = arns.writable("user")
        out.append(
            _stmt("BoundedUsers", Effect.ALLOW, BOUNDED_USER_ACTIONS, (user,), this_boundary)
        )
        out.append(_stmt("PrefixUsers", Effect.ALLOW, USER_OTHER_ACTIONS, (user,)))
    if pass_to:
        passed = (ConditionClause("StringEquals", "iam:PassedToService", pass_to),)
        out.append(_stmt("PassPrefixRoles", Effect.ALLOW, (PASS_ROLE,), (role,), passed))
    return tuple(out)


def denials(
    arns: DesignArns, users: bool, protected_tags: tuple[str, ...]
) -> tuple[Statement, ...]:
    """The explicit Deny guards, in both documents."""
    other_boundary = (ConditionClause("StringNotEquals", BOUNDARY_KEY, (arns.boundary,)),)
    out = [
        # [PB][COND]: a missing or different boundary is denied, whatever else allows it. (User
        # actions join only when users are managed; otherwise DenyIdentityManagement denies them.)
        _stmt(
            "DenyWithoutBoundary",
            Effect.DENY,
            BOUNDED_ROLE_ACTIONS + (BOUNDED_USER_ACTIONS if users else ()),
            ("*",),
            other_boundary,
        ),
        # [PB]: the boundary cannot be removed from any role or user.
        _stmt(
            "DenyBoundaryRemoval",
            Effect.DENY,
            ("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary"),
            ("*",),
        ),
        # [PB]: neither the boundary policy nor the developer policy can be changed or deleted.
        _stmt(
            "DenyPolicyTampering",
            Effect.DENY,
            POLICY_VERSION_ACTIONS,
            (arns.boundary, arns.developer),
        ),
        # [ARN]: nothing outside the prefix (roles, policies, users) is written, passed or assumed;
        # this also denies every account-level IAM write (aliases, providers, password policy).
        _stmt(
            "DenyOutsidePrefix",
            Effect.DENY,
            _prefix_actions(),
            _prefix_resources(arns, users),
            not_resource=True,
        ),
        # [ARN]: `<path><prefix>*` also matches deeper paths through '/'; deny those.
        _stmt(
            "DenyNestedPaths",
            Effect.DENY,
            _prefix_actions(),
            tuple(arns.nested(k) for k in _kinds(users)),
        ),
    ]
    managed = GROUP_PATTERNS if users else IDENTITY_MANAGEMENT_PATTERNS
    out.append(_stmt("DenyIdentityManagement", Effect.DENY, managed, ("*",)))
    if protected_tags:
        # [TAGS]: a protected key can be neither set nor removed, on any resource of any service.
        tagged = (
            ConditionClause("ForAnyValue:StringEqualsIgnoreCase", "aws:TagKeys", protected_tags),
        )
        out.append(_stmt("DenyProtectedTags", Effect.DENY, ("*",), ("*",), tagged))
    return tuple(out)


def _kinds(users: bool) -> tuple[str, ...]:
    return ("role", "policy", "user") if users else ("role", "policy")


def _prefix_actions() -> tuple[str, ...]:
    """Every IAM write (a Deny may over-reach: account-level writes fall outside the prefix too)
    and sts:AssumeRole."""
    return (*IAM_WRITE_PATTERNS, ASSUME_ROLE)


def _prefix_resources(arns: DesignArns, users: bool) -> tuple[str, ...]:
    return tuple(arns.writable(k) for k in _kinds(users))

"""Guard cases as data: each row is a request template that must be allowed or denied.

Templates name ARNs by placeholder ({app_role}, {boundary}, ...), filled from the design by
`guard_cases`. The rows follow the IAM User Guide, "Permissions boundaries for IAM entities"
(delegation example: create roles only with the boundary, never delete or change it, never edit the
boundary policy), the condition keys iam:PermissionsBoundary and iam:PassedToService
("IAM condition context keys"), aws:TagKeys / aws:RequestTag ("Controlling access during AWS
requests"), and the seed's five escalation attempts."""

from __future__ import annotations

from dataclasses import dataclass

from iamfence.model import ContextType, ContextValue, Request
from iamfence.testing.cases import APP_ROLE, DEVELOPER, Category, Expectation, TestCase
from iamfence.testing.names import DEVELOPER_ROLE, UNBOUNDED_ROLE, DesignNames, session_arn

A, D = Expectation.ALLOW, Expectation.DENY
ARN, STR = ContextType.ARN, ContextType.STRING


@dataclass(frozen=True, slots=True)
class GuardRow:
    name: str
    why: str
    category: Category
    who: str
    action: str
    resource: str
    expect: Expectation
    context: tuple[tuple[str, ContextType, str], ...] = ()
    when: str = ""
    """"" always; "users" / "no-users": only when user management is enabled / disabled;
    "self-propagating": only when the developer carries the boundary; "pass-services" /
    "no-pass-services": only when the spec lists / lists no services roles may be passed to;
    "tag": once per protected tag key ({tag_key})."""


PB = "iam:PermissionsBoundary"
PTS = "iam:PassedToService"
ROWS: tuple[GuardRow, ...] = (
    GuardRow("create prefixed role with the boundary", "developers may create bounded app roles", Category.ROLE_CREATION, DEVELOPER, "iam:CreateRole", "{app_role}", A, ((PB, ARN, "{boundary}"),)),
    GuardRow("seed attempt 1: create role without a boundary", "an unbounded role escapes the boundary", Category.ROLE_CREATION, DEVELOPER, "iam:CreateRole", "{app_role}", D),
    GuardRow("create role with another boundary", "a weaker boundary escapes the boundary", Category.ROLE_CREATION, DEVELOPER, "iam:CreateRole", "{app_role}", D, ((PB, ARN, "{other_boundary}"),)),
    GuardRow("create role outside the prefix", "developers manage only prefixed roles", Category.ROLE_CREATION, DEVELOPER, "iam:CreateRole", "{wrong_prefix_role}", D, ((PB, ARN, "{boundary}"),)),
    GuardRow("create role with a smuggled path", "role/<prefix>* must not match a path (<prefix>x/admin)", Category.ROLE_CREATION, DEVELOPER, "iam:CreateRole", "{smuggled_role}", D, ((PB, ARN, "{boundary}"),)),
    GuardRow("create role under a foreign path", "a prefixed name under an unapproved path", Category.ROLE_CREATION, DEVELOPER, "iam:CreateRole", "{foreign_path_role}", D, ((PB, ARN, "{boundary}"),)),
    GuardRow("developer reads a role", "developers must see the roles they manage", Category.GUARD, DEVELOPER, "iam:GetRole", "{app_role}", A),
    GuardRow("developer creates a prefixed managed policy", "developers write the policies of their roles", Category.GUARD, DEVELOPER, "iam:CreatePolicy", "{app_policy}", A),
    GuardRow("developer creates a managed policy outside the prefix", "policies outside the prefix are the security team's", Category.GUARD, DEVELOPER, "iam:CreatePolicy", "{wrong_prefix_policy}", D),
    GuardRow("developer tags a prefixed role", "ordinary tags are the developers' own", Category.GUARD, DEVELOPER, "iam:TagRole", "{app_role}", A, (("aws:TagKeys", STR, "iamfence-purpose"),)),
    GuardRow("seed attempt 3: remove the boundary from a role", "DeleteRolePermissionsBoundary unbounds a role", Category.GUARD, DEVELOPER, "iam:DeleteRolePermissionsBoundary", "{app_role}", D),
    GuardRow("swap a role's boundary", "PutRolePermissionsBoundary to another policy unbounds a role", Category.GUARD, DEVELOPER, "iam:PutRolePermissionsBoundary", "{app_role}", D, ((PB, ARN, "{other_boundary}"),)),
    GuardRow("seed attempt 2: new version of the boundary policy", "editing the boundary removes every guard", Category.GUARD, DEVELOPER, "iam:CreatePolicyVersion", "{boundary}", D),
    GuardRow("set default version of the boundary policy", "an old version may be weaker", Category.GUARD, DEVELOPER, "iam:SetDefaultPolicyVersion", "{boundary}", D),
    GuardRow("delete a version of the boundary policy", "boundary history must stay", Category.GUARD, DEVELOPER, "iam:DeletePolicyVersion", "{boundary}", D),
    GuardRow("delete the boundary policy", "a deleted boundary bounds nothing", Category.GUARD, DEVELOPER, "iam:DeletePolicy", "{boundary}", D),
    GuardRow("new version of the developer policy", "developers must not widen their own policy", Category.GUARD, DEVELOPER, "iam:CreatePolicyVersion", "{developer_policy}", D),
    GuardRow("set default version of the developer policy", "an old version may be wider", Category.GUARD, DEVELOPER, "iam:SetDefaultPolicyVersion", "{developer_policy}", D),
    GuardRow("delete a version of the developer policy", "policy history must stay", Category.GUARD, DEVELOPER, "iam:DeletePolicyVersion", "{developer_policy}", D),
    GuardRow("delete the developer policy", "the delegation must not be removed by its holders", Category.GUARD, DEVELOPER, "iam:DeletePolicy", "{developer_policy}", D),
    GuardRow("attach a policy to an unbounded role", "attaching to roles outside the prefix raises them", Category.GUARD, DEVELOPER, "iam:AttachRolePolicy", "{unbounded_role}", D),
    GuardRow("attach a policy to a prefixed role without the boundary", "a prefixed role without the boundary is unbounded", Category.GUARD, DEVELOPER, "iam:AttachRolePolicy", "{app_role}", D),
    GuardRow("attach a policy to a bounded prefixed role", "developers manage their bounded roles", Category.GUARD, DEVELOPER, "iam:AttachRolePolicy", "{app_role}", A, ((PB, ARN, "{boundary}"),)),
    GuardRow("put an inline policy on an unbounded role", "inline policies raise roles outside the prefix", Category.GUARD, DEVELOPER, "iam:PutRolePolicy", "{unbounded_role}", D),
    GuardRow("put an inline policy on a prefixed role without the boundary", "the boundary condition applies to inline policies too", Category.GUARD, DEVELOPER, "iam:PutRolePolicy", "{app_role}", D),
    GuardRow("update the trust policy of an unbounded role", "UpdateAssumeRolePolicy lets developers assume unbounded roles", Category.ASSUME_ROLE, DEVELOPER, "iam:UpdateAssumeRolePolicy", "{unbounded_role}", D),
    GuardRow("seed attempt 5: assume an unbounded role", "an unbounded role's permissions escape the boundary", Category.ASSUME_ROLE, DEVELOPER, "sts:AssumeRole", "{unbounded_role}", D),
    GuardRow("pass a prefixed role to an allowed service", "developers deploy compute with their roles", Category.PASS_ROLE, DEVELOPER, "iam:PassRole", "{app_role}", A, ((PTS, STR, "{pass_service}"),), "pass-services"),
    GuardRow("pass a prefixed role when no service is listed", "the spec lets roles be passed to no service", Category.PASS_ROLE, DEVELOPER, "iam:PassRole", "{app_role}", D, ((PTS, STR, "lambda.amazonaws.com"),), "no-pass-services"),
    GuardRow("pass a prefixed role to another service", "PassRole is limited by iam:PassedToService", Category.PASS_ROLE, DEVELOPER, "iam:PassRole", "{app_role}", D, ((PTS, STR, "{other_service}"),)),
    GuardRow("pass an unbounded role", "passing an unbounded role to compute runs code with its permissions", Category.PASS_ROLE, DEVELOPER, "iam:PassRole", "{unbounded_role}", D, ((PTS, STR, "{pass_service}"),)),
    GuardRow("create a user", "users are a side door unless the spec enables them", Category.GUARD, DEVELOPER, "iam:CreateUser", "{user}", D, ((PB, ARN, "{boundary}"),), "no-users"),
    GuardRow("create a user without the boundary", "an unbounded user escapes the boundary", Category.GUARD, DEVELOPER, "iam:CreateUser", "{user}", D, (), "users"),
    GuardRow("create an access key for another user", "access keys of other users are their credentials", Category.GUARD, DEVELOPER, "iam:CreateAccessKey", "{other_user}", D),
    GuardRow("create a login profile for another user", "a console password takes over a user", Category.GUARD, DEVELOPER, "iam:CreateLoginProfile", "{other_user}", D),
    GuardRow("add a user to a group", "group policies raise the user", Category.GUARD, DEVELOPER, "iam:AddUserToGroup", "{group}", D),
    GuardRow("remove the developer's own boundary", "the developer carries the boundary too", Category.SELF_MODIFICATION, DEVELOPER, "iam:DeleteRolePermissionsBoundary", "{developer_role}", D, (), "self-propagating"),
    GuardRow("set a protected tag", "tags drive access decisions (ABAC)", Category.GUARD, DEVELOPER, "iam:TagRole", "{app_role}", D, (("aws:TagKeys", STR, "{tag_key}"),), "tag"),
    GuardRow("remove a protected tag", "tags drive access decisions (ABAC)", Category.GUARD, DEVELOPER, "iam:UntagRole", "{app_role}", D, (("aws:TagKeys", STR, "{tag_key}"),), "tag"),
    GuardRow("app role removes its own boundary", "the boundary cannot be modified by those it bounds", Category.SELF_MODIFICATION, APP_ROLE, "iam:DeleteRolePermissionsBoundary", "{app_role}", D),
    GuardRow("app role swaps its own boundary", "the boundary cannot be modified by those it bounds", Category.SELF_MODIFICATION, APP_ROLE, "iam:PutRolePermissionsBoundary", "{app_role}", D, ((PB, ARN, "{other_boundary}"),)),
    GuardRow("app role edits the boundary policy", "the boundary cannot be modified by those it bounds", Category.SELF_MODIFICATION, APP_ROLE, "iam:CreatePolicyVersion", "{boundary}", D),
    GuardRow("seed attempt 4: app role with iam:* creates an unbounded role", "identity policies grant only within the boundary", Category.SELF_MODIFICATION, APP_ROLE, "iam:CreateRole", "{app_role}", D),
    GuardRow("app role raises an unbounded role", "identity policies grant only within the boundary", Category.SELF_MODIFICATION, APP_ROLE, "iam:AttachRolePolicy", "{unbounded_role}", D),
    GuardRow("app role creates a role with a smuggled path", "role/<prefix>* must not match a path, for bounded roles too", Category.SELF_MODIFICATION, APP_ROLE, "iam:CreateRole", "{smuggled_role}", D, ((PB, ARN, "{boundary}"),)),
    GuardRow("app role creates an access key for another user", "bounded roles must not take over users", Category.SELF_MODIFICATION, APP_ROLE, "iam:CreateAccessKey", "{other_user}", D),
    GuardRow("app role creates a user", "users are a side door unless the spec enables them", Category.SELF_MODIFICATION, APP_ROLE, "iam:CreateUser", "{user}", D, ((PB, ARN, "{boundary}"),), "no-users"),
    GuardRow("app role sets a protected tag", "tags drive access decisions (ABAC)", Category.SELF_MODIFICATION, APP_ROLE, "iam:TagRole", "{app_role}", D, (("aws:TagKeys", STR, "{tag_key}"),), "tag"),
    GuardRow("app role assumes an unbounded role", "assuming unbounded roles escapes the boundary", Category.SELF_MODIFICATION, APP_ROLE, "sts:AssumeRole", "{unbounded_role}", D),
)  # fmt: skip


def _values(names: DesignNames, tag_key: str) -> dict[str, str]:
    design = names.design
    services = design.pass_role_services or ("lambda.amazonaws.com",)
    other = next(
        s
        for s in ("ec2.amazonaws.com", "glue.amazonaws.com", "sagemaker.amazonaws.com")
        if s not in services
    )
    account = f"arn:{names.partition}:iam::{names.account}"
    return {
        "app_role": names.role(names.app_role_name),
        "wrong_prefix_role": names.role("admin-backdoor"),
        "smuggled_role": names.role("admin", f"{names.role_path}{names.prefix}x/"),
        "foreign_path_role": names.role(names.app_role_name, "/iamfence-foreign/")
        if names.role_path == "/"
        else names.role(names.app_role_name, "/"),
        "unbounded_role": names.role(UNBOUNDED_ROLE, "/"),
        "app_policy": f"{account}:policy/{names.prefix}iamfence-test",
        "wrong_prefix_policy": f"{account}:policy/admin-backdoor",
        "developer_role": names.role(DEVELOPER_ROLE, "/"),
        "boundary": design.boundary_policy_arn,
        "developer_policy": design.developer_policy_arn,
        "other_boundary": names.other_boundary,
        "user": f"{account}:user/{names.prefix}iamfence-test",
        "other_user": f"{account}:user/alice",
        "group": f"{account}:group/admins",
        "pass_service": services[0],
        "other_service": other,
        "tag_key": tag_key,
    }


def _applies(row: GuardRow, names: DesignNames) -> bool:
    design = names.design
    if row.when == "users":
        return design.allow_user_management
    if row.when == "no-users":
        return not design.allow_user_management
    if row.when == "self-propagating":
        return design.self_propagating
    if row.when in ("pass-services", "no-pass-services"):
        return bool(design.pass_role_services) is (row.when == "pass-services")
    return True


def guard_cases(names: DesignNames) -> list[TestCase]:
    cases: list[TestCase] = []
    tag_keys = names.design.protected_tag_keys
    for row in ROWS:
        if not _applies(row, names):
            continue
        for tag_key in tag_keys if row.when == "tag" else ("",):
            values = _values(names, tag_key)
            context = tuple(
                (key, _typed(kind, template.format(**values), key == "aws:TagKeys"))
                for key, kind, template in row.context
            )
            if row.action.startswith("iam:") or row.action.startswith("sts:"):
                context = (*context, ("aws:RequestedRegion", ContextValue.string("us-east-1")))
            who_role = values["developer_role"] if row.who == DEVELOPER else values["app_role"]
            name = f"{row.name} ({tag_key})" if tag_key else row.name
            cases.append(
                TestCase(
                    name,
                    row.why,
                    row.category,
                    row.who,
                    Request(
                        session_arn(who_role), row.action, row.resource.format(**values), context
                    ),
                    row.expect,
                )
            )
    return cases


def _typed(kind: ContextType, value: str, multi: bool) -> ContextValue:
    return ContextValue(kind, (value,), multi=multi)

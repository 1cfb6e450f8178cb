"""Fixture accounts for escalation tests: a compact YAML form expanded into the exact shape of
`aws iam get-account-authorization-details` output (so every test goes through the loader).

    account:
      users:  [{name, inline: {name: [statements]}, managed: [policy names], groups: [names],
                boundary: policy name, tags: {k: v}}]
      roles:  [{name, trust: [statements], inline, managed, boundary, tags, instance_profile: bool}]
      groups: [{name, inline, managed}]
      policies: {name: [statements]} or {name: {versions: [[statements], ...], default: index}}
      aws_policies: {name: [statements]}   # AWS managed (arn:aws:iam::aws:policy/NAME)

Policy names resolve to customer managed ARNs unless listed under aws_policies."""

from __future__ import annotations

from typing import Any

ACCOUNT = "111122223333"


def _doc(statements: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statements}


def policy_arn(name: str, aws_names: set[str]) -> str:
    if name in aws_names:
        return f"arn:aws:iam::aws:policy/{name}"
    return f"arn:aws:iam::{ACCOUNT}:policy/{name}"


def _attached(names: list[str], aws_names: set[str]) -> list[dict[str, str]]:
    return [{"PolicyName": n, "PolicyArn": policy_arn(n, aws_names)} for n in names]


def _inline(items: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    return [{"PolicyName": k, "PolicyDocument": _doc(v)} for k, v in items.items()]


def _boundary(spec: dict[str, Any], aws_names: set[str]) -> dict[str, Any]:
    if "boundary" not in spec:
        return {}
    arn = policy_arn(spec["boundary"], aws_names)
    return {
        "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}
    }


def _tags(spec: dict[str, Any]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in spec.get("tags", {}).items()]


def _policy(name: str, body: Any, aws_names: set[str]) -> dict[str, Any]:
    if isinstance(body, dict):
        versions = body["versions"]
        default = body["default"]
    else:
        versions, default = [body], 0
    return {
        "PolicyName": name,
        "Arn": policy_arn(name, aws_names),
        "Path": "/",
        "DefaultVersionId": f"v{default + 1}",
        "PolicyVersionList": [
            {"VersionId": f"v{i + 1}", "IsDefaultVersion": i == default, "Document": _doc(v)}
            for i, v in enumerate(versions)
        ],
    }


def expand(account: dict[str, Any]) -> dict[str, Any]:
    aws_names = set(account.get("aws_policies", {}))
    users = [
        {
            "UserName": u["name"],
            "Path": "/",
            "Arn": f"arn:aws:iam::{ACCOUNT}:user/{u['name']}",
            "UserPolicyList": _inline(u.get("inline", {})),
            "AttachedManagedPolicies": _attached(u.get("managed", []), aws_names),
            "GroupList": u.get("groups", []),
            "Tags": _tags(u),
            **_boundary(u, aws_names),
        }
        for u in account.get("users", [])
    ]
    roles = []
    for r in account.get("roles", []):
        arn = f"arn:aws:iam::{ACCOUNT}:role/{r['name']}"
        role = {
            "RoleName": r["name"],
            "Path": "/",
            "Arn": arn,
            "AssumeRolePolicyDocument": _doc(r.get("trust", [])),
            "RolePolicyList": _inline(r.get("inline", {})),
            "AttachedManagedPolicies": _attached(r.get("managed", []), aws_names),
            "InstanceProfileList": [],
            "Tags": _tags(r),
            **_boundary(r, aws_names),
        }
        if r.get("instance_profile"):
            role["InstanceProfileList"] = [
                {
                    "InstanceProfileName": r["name"],
                    "Path": "/",
                    "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{r['name']}",
                    "Roles": [{"RoleName": r["name"], "Arn": arn}],
                }
            ]
        roles.append(role)
    groups = [
        {
            "GroupName": g["name"],
            "Path": "/",
            "Arn": f"arn:aws:iam::{ACCOUNT}:group/{g['name']}",
            "GroupPolicyList": _inline(g.get("inline", {})),
            "AttachedManagedPolicies": _attached(g.get("managed", []), aws_names),
        }
        for g in account.get("groups", [])
    ]
    policies = [_policy(n, b, aws_names) for n, b in account.get("policies", {}).items()]
    policies += [_policy(n, b, aws_names) for n, b in account.get("aws_policies", {}).items()]
    return {
        "UserDetailList": users,
        "GroupDetailList": groups,
        "RoleDetailList": roles,
        "Policies": policies,
        "IsTruncated": False,
    }

"""Synthetic `aws iam get-account-authorization-details` documents for benchmarks.

`synthetic_account(roles, policies, seed, boundary_arn)` returns one response object in the shape
the AWS CLI writes (documents as JSON objects, PascalCase fields, IsTruncated false). Shapes follow
what real accounts hold: service roles trusting lambda/ec2/ecs-tasks/glue, cross-role chains,
account-root trust, customer managed policies with several versions, inline policies, users in
groups, AWS managed policies (ReadOnlyAccess-like, AdministratorAccess), a few permissions-management
grants (PassRole, AssumeRole, policy edits) so that escalation analysis has real work, and, when
`boundary_arn` is given, a boundary policy attached to about a third of the roles and users.
Deterministic for a given seed.
"""

from __future__ import annotations

import random
import zlib
from typing import Any

ACCOUNT = "111122223333"
SERVICES = (
    "lambda.amazonaws.com",
    "ec2.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "glue.amazonaws.com",
)
_DATE = "2024-01-01T00:00:00+00:00"

_READ_SETS: tuple[tuple[str, ...], ...] = (
    ("s3:GetObject", "s3:ListBucket"),
    ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem"),
    ("logs:CreateLogStream", "logs:PutLogEvents"),
    ("sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"),
    ("kms:Decrypt", "kms:GenerateDataKey"),
    ("ec2:Describe*",),
    ("cloudwatch:PutMetricData",),
    ("secretsmanager:GetSecretValue",),
)

_RISKY: tuple[dict[str, Any], ...] = (
    {
        "Effect": "Allow",
        "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
        "Resource": "*",
    },
    {
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Resource": f"arn:aws:iam::{ACCOUNT}:role/svc-*",
    },
    {
        "Effect": "Allow",
        "Action": ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"],
        "Resource": f"arn:aws:iam::{ACCOUNT}:policy/*",
    },
    {
        "Effect": "Allow",
        "Action": "iam:PutRolePolicy",
        "Resource": f"arn:aws:iam::{ACCOUNT}:role/app-*",
    },
    {
        "Effect": "Allow",
        "Action": ["iam:PassRole"],
        "Resource": "*",
        "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}},
    },
    {"Effect": "Allow", "Action": ["ec2:RunInstances"], "Resource": "*"},
)


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _statement(rng: random.Random, index: int) -> dict[str, Any]:
    actions = list(rng.choice(_READ_SETS))
    service = actions[0].split(":")[0]
    if service == "s3":
        resource: str | list[str] = [
            f"arn:aws:s3:::bucket-{index}",
            f"arn:aws:s3:::bucket-{index}/*",
        ]
    elif service == "dynamodb":
        resource = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/table-{index}"
    elif service == "sqs":
        resource = f"arn:aws:sqs:us-east-1:{ACCOUNT}:queue-{index}"
    else:
        resource = "*"
    statement: dict[str, Any] = {"Effect": "Allow", "Action": actions, "Resource": resource}
    if rng.random() < 0.1:
        statement["Condition"] = {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}
    return statement


def _policy_document(rng: random.Random, index: int) -> dict[str, Any]:
    statements = [_statement(rng, index * 10 + k) for k in range(rng.randint(1, 4))]
    if rng.random() < 0.05:
        statements.append(dict(rng.choice(_RISKY)))
    if rng.random() < 0.05:
        statements.append({"Effect": "Deny", "Action": "iam:*", "Resource": "*"})
    return _doc(*statements)


def _managed(
    name: str, arn: str, versions: list[dict[str, Any]], attachments: int
) -> dict[str, Any]:
    count = len(versions)
    return {
        "PolicyName": name,
        "PolicyId": "ANPA" + format(zlib.crc32(arn.encode()), "016d"),
        "Arn": arn,
        "Path": "/",
        "DefaultVersionId": f"v{count}",
        "AttachmentCount": attachments,
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": True,
        "CreateDate": _DATE,
        "UpdateDate": _DATE,
        "PolicyVersionList": [
            {
                "Document": doc,
                "VersionId": f"v{i + 1}",
                "IsDefaultVersion": i + 1 == count,
                "CreateDate": _DATE,
            }
            for i, doc in enumerate(versions)
        ],
    }


def _trust(rng: random.Random, index: int) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.7:
        principal: dict[str, Any] = {"Service": rng.choice(SERVICES)}
    elif roll < 0.85:
        principal = {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    else:
        principal = {"AWS": f"arn:aws:iam::{ACCOUNT}:role/app-{max(index - 1, 0)}"}
    return _doc({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"})


def _boundary_document() -> dict[str, Any]:
    return _doc(
        {
            "Effect": "Allow",
            "Action": ["s3:*", "dynamodb:*", "logs:*", "sqs:*", "lambda:*", "iam:PassRole"],
            "Resource": "*",
        },
        {
            "Effect": "Deny",
            "Action": ["iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"],
            "Resource": "*",
        },
    )


_AWS_ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
_AWS_READ = "arn:aws:iam::aws:policy/ReadOnlyAccess"


class _Generator:
    """The random choices, in a fixed order (same seed, same account)."""

    def __init__(
        self, rng: random.Random, policy_arns: list[str], boundary_arn: str | None
    ) -> None:
        self.rng = rng
        self.policy_arns = policy_arns
        self.boundary_arn = boundary_arn

    def attached(self, count: int) -> list[dict[str, str]]:
        rng = self.rng
        arns = self.policy_arns
        chosen = rng.sample(arns, min(count, len(arns))) if arns else []
        if rng.random() < 0.002:
            chosen.append(_AWS_ADMIN)
        if rng.random() < 0.05:
            chosen.append(_AWS_READ)
        return [{"PolicyName": arn.rsplit("/", 1)[-1], "PolicyArn": arn} for arn in chosen]

    def boundary(self) -> dict[str, Any]:
        if self.boundary_arn is not None and self.rng.random() < 0.33:
            return {
                "PermissionsBoundary": {
                    "PermissionsBoundaryType": "Policy",
                    "PermissionsBoundaryArn": self.boundary_arn,
                }
            }
        return {}

    def role(self, i: int) -> dict[str, Any]:
        rng = self.rng
        name = f"app-{i}" if i % 3 else f"svc-{i}"
        arn = f"arn:aws:iam::{ACCOUNT}:role/{name}"
        inline = (
            [{"PolicyName": f"inline-{i}", "PolicyDocument": _policy_document(rng, i)}]
            if rng.random() < 0.4
            else []
        )
        role = {
            "Path": "/",
            "RoleName": name,
            "RoleId": f"AROA{i:016d}",
            "Arn": arn,
            "CreateDate": _DATE,
            "AssumeRolePolicyDocument": _trust(rng, i),
            "InstanceProfileList": [],
            "RolePolicyList": inline,
            "AttachedManagedPolicies": self.attached(rng.randint(0, 3)),
            "Tags": [{"Key": "team", "Value": rng.choice(("blue", "green", "red"))}],
            "RoleLastUsed": {},
            **self.boundary(),
        }
        if "ec2" in str(role["AssumeRolePolicyDocument"]):
            member = {
                "RoleName": name,
                "Arn": arn,
                "Path": "/",
                "RoleId": f"AROA{i:016d}",
                "CreateDate": _DATE,
            }
            role["InstanceProfileList"] = [
                {
                    "Path": "/",
                    "InstanceProfileName": name,
                    "InstanceProfileId": f"AIPA{i:016d}",
                    "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{name}",
                    "CreateDate": _DATE,
                    "Roles": [member],
                }
            ]
        return role

    def user(self, u: int, groups: list[str]) -> dict[str, Any]:
        rng = self.rng
        name = f"user-{u}"
        own = (
            [{"PolicyName": "own", "PolicyDocument": _policy_document(rng, u)}]
            if rng.random() < 0.2
            else []
        )
        return {
            "Path": "/",
            "UserName": name,
            "UserId": f"AIDA{u:016d}",
            "Arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
            "CreateDate": _DATE,
            "UserPolicyList": own,
            "GroupList": rng.sample(groups, min(len(groups), rng.randint(0, 2))),
            "AttachedManagedPolicies": self.attached(rng.randint(0, 1)),
            "Tags": [],
            **self.boundary(),
        }


def synthetic_account(
    roles: int, policies: int, seed: int, boundary_arn: str | None
) -> dict[str, Any]:
    """One get-account-authorization-details response with `roles` roles, `policies` customer
    managed policies (plus two AWS managed ones and the boundary), roles // 10 users in a few groups."""
    rng = random.Random(seed)
    policy_arns = [f"arn:aws:iam::{ACCOUNT}:policy/policy-{i}" for i in range(policies)]
    out_policies = [
        _managed(
            f"policy-{i}", arn, [_policy_document(rng, i) for _ in range(rng.randint(1, 3))], 1
        )
        for i, arn in enumerate(policy_arns)
    ]
    out_policies.append(
        _managed(
            "AdministratorAccess",
            _AWS_ADMIN,
            [_doc({"Effect": "Allow", "Action": "*", "Resource": "*"})],
            2,
        )
    )
    read = {
        "Effect": "Allow",
        "Action": ["s3:Get*", "ec2:Describe*", "iam:Get*", "iam:List*"],
        "Resource": "*",
    }
    out_policies.append(_managed("ReadOnlyAccess", _AWS_READ, [_doc(read)], 5))
    if boundary_arn is not None:
        out_policies.append(
            _managed(boundary_arn.rsplit("/", 1)[-1], boundary_arn, [_boundary_document()], 0)
        )
    gen = _Generator(rng, policy_arns, boundary_arn)
    role_list = [gen.role(i) for i in range(roles)]
    groups = [f"group-{g}" for g in range(max(1, roles // 200))]
    group_list = [
        {
            "Path": "/",
            "GroupName": g,
            "GroupId": f"AGPA{k:016d}",
            "Arn": f"arn:aws:iam::{ACCOUNT}:group/{g}",
            "CreateDate": _DATE,
            "GroupPolicyList": [],
            "AttachedManagedPolicies": gen.attached(2),
        }
        for k, g in enumerate(groups)
    ]
    user_list = [gen.user(u, groups) for u in range(max(1, roles // 10))]
    return {
        "UserDetailList": user_list,
        "GroupDetailList": group_list,
        "RoleDetailList": role_list,
        "Policies": out_policies,
        "IsTruncated": False,
    }

"""Deterministic random cases for the oracle differential test: real actions and resource ARNs
(iam-simulate validates them against its action catalog), global condition keys only (it drops
keys it does not know for the action), no NotPrincipal (its documented form varies by service)."""

from __future__ import annotations

import random
from typing import Any

A, B = "111122223333", "444455556666"
KEY = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
PRINCIPALS = [
    f"arn:aws:iam::{A}:user/alice",
    f"arn:aws:sts::{A}:assumed-role/app/s1",
    f"arn:aws:iam::{B}:user/bob",
    f"arn:aws:iam::{A}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk",
]
REQUESTS = [
    ("s3:GetObject", "arn:aws:s3:::docs/a.txt"),
    ("s3:PutObject", "arn:aws:s3:::docs/b/c.txt"),
    ("s3:GetObject", "arn:aws:s3:::other/x"),
    ("s3:GetObject", "arn:aws:s3:::home/alice/x"),
    ("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{A}:jobs"),
    ("sqs:SendMessage", f"arn:aws:sqs:us-east-1:{B}:jobs"),
    ("kms:Decrypt", KEY),
    ("sts:AssumeRole", f"arn:aws:iam::{A}:role/deploy"),
    ("dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/orders"),
]
ACTIONS = [
    "*",
    "s3:*",
    "s3:Get*",
    "s3:?etObject",
    "sqs:SendMessage",
    "kms:*",
    "sts:AssumeRole",
    "dynamodb:Get*",
]
RESOURCES = [
    "*",
    "*",
    "arn:aws:s3:::docs/*",
    "arn:aws:s3:::*",
    "arn:aws:sqs:*:*:jobs",
    f"arn:aws:kms:*:{A}:key/*",
    f"arn:aws:iam::{A}:role/*",
    "arn:aws:dynamodb:*:*:table/orders",
    "arn:aws:s3:::home/${aws:username}/*",
]
# key -> (operators, policy values, context values); context values are strings/lists as sent.
KEYS: dict[str, tuple[list[str], list[str], list[Any]]] = {
    "aws:PrincipalTag/team": (
        [
            "StringEquals",
            "StringNotEquals",
            "StringLike",
            "StringEqualsIgnoreCase",
            "StringEqualsIfExists",
            "Null",
        ],
        ["blue", "Blue", "b*", "red"],
        ["blue", "Blue", "red"],
    ),
    "aws:RequestedRegion": (
        ["StringEquals", "StringNotEquals"],
        ["us-east-1", "eu-west-1"],
        ["us-east-1", "eu-west-1"],
    ),
    "aws:MultiFactorAuthPresent": (
        ["Bool", "BoolIfExists", "Null"],
        ["true", "false"],
        ["true", "false"],
    ),
    "aws:SourceIp": (
        ["IpAddress", "NotIpAddress"],
        ["203.0.113.0/24", "2001:db8::/32", "0.0.0.0/0"],
        ["203.0.113.5", "198.51.100.7", "2001:db8::1"],
    ),
    "aws:MultiFactorAuthAge": (
        ["NumericLessThan", "NumericGreaterThanEquals", "NumericNotEquals"],
        ["60", "3600"],
        ["30", "3600", "7200"],
    ),
    "aws:CurrentTime": (
        ["DateLessThan", "DateGreaterThan"],
        ["2026-06-01T00:00:00Z", "1780272000"],
        ["2026-01-01T00:00:00Z", "2026-12-01T00:00:00Z"],
    ),
    "aws:TagKeys": (
        ["ForAllValues:StringEquals", "ForAnyValue:StringEquals", "ForAllValues:StringLike"],
        ["env", "team", "t*"],
        [["env"], ["env", "team"], ["owner"]],
    ),
    "aws:PrincipalArn": (
        ["ArnLike", "ArnNotLike"],
        [f"arn:aws:iam::{A}:role/app", f"arn:aws:iam::{A}:user/*"],
        [],
    ),
}
RESOURCE_PRINCIPALS: list[Any] = [
    "*",
    {"AWS": PRINCIPALS[0]},
    {"AWS": f"arn:aws:iam::{A}:role/app"},
    {"AWS": PRINCIPALS[1]},
    {"AWS": PRINCIPALS[2]},
    {"AWS": f"arn:aws:iam::{A}:root"},
    {"AWS": f"arn:aws:iam::{B}:root"},
]
FULL = {"Effect": "Allow", "Action": "*", "Resource": "*"}


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def some(self, items: list[Any], k: int = 2) -> Any:
        chosen = self.r.sample(items, self.r.randint(1, min(k, len(items))))
        return chosen[0] if len(chosen) == 1 else chosen

    def condition(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        if self.r.random() < 0.55:
            return out
        for key in self.r.sample(sorted(KEYS), self.r.randint(1, 2)):
            ops, values, _ = KEYS[key]
            op = self.r.choice(ops)
            out.setdefault(op, {})[key] = (
                self.r.choice(["true", "false"]) if op == "Null" else self.some(values)
            )
        return out

    def statement(self, effect: str | None = None, principal: Any = None) -> dict[str, Any]:
        st: dict[str, Any] = {
            "Effect": effect or self.r.choice(["Allow", "Allow", "Allow", "Deny"])
        }
        if principal is not None:
            st["Principal"] = principal
        st["NotAction" if self.r.random() < 0.1 else "Action"] = self.some(ACTIONS)
        st["Resource"] = self.some(RESOURCES)
        cond = self.condition()
        if cond:
            st["Condition"] = cond
        return st

    def document(self, principals: list[Any] | None = None, n: int = 3) -> dict[str, Any]:
        sts = [
            self.statement(principal=self.r.choice(principals) if principals else None)
            for _ in range(self.r.randint(1, n))
        ]
        if self.r.random() < 0.4:
            full = dict(FULL)
            if principals:
                full["Principal"] = self.r.choice(principals)
            sts.insert(0, full)
        return {"Version": "2012-10-17", "Statement": sts}

    def context(self, principal: str) -> dict[str, Any]:
        ctx: dict[str, Any] = {
            "aws:SecureTransport": "true",
            "aws:CurrentTime": self.r.choice(KEYS["aws:CurrentTime"][2]),
        }
        # aws:RequestedRegion is also in every request; the generated requests are us-east-1 calls.
        ctx["aws:RequestedRegion"] = "us-east-1"
        if ":assumed-role/" in principal:
            # AWS sets aws:PrincipalArn for a session to its role's ARN with the role's path, which
            # the session ARN does not carry; the generated roles have path "/", and the request says so.
            head, rest = principal.split(":assumed-role/")
            ctx["aws:PrincipalArn"] = f"{head.replace(':sts:', ':iam:')}:role/{rest.split('/')[0]}"
        for key in self.r.sample(sorted(KEYS), self.r.randint(0, 4)):
            if KEYS[key][2]:
                ctx[key] = self.r.choice(KEYS[key][2])
        return ctx

    def case(self, i: int) -> dict[str, Any]:
        principal = self.r.choice(PRINCIPALS)
        action, resource = self.r.choice(REQUESTS)
        parts = resource.split(":")
        account = parts[4] or self.r.choice([A, A, B])
        policies: dict[str, Any] = {
            "identity": [self.document() for _ in range(self.r.randint(0, 2))],
            "resource_account": account,
        }
        if self.r.random() < 0.35:
            policies["permissions_boundary"] = self.document()
        if ":assumed-role/" in principal and self.r.random() < 0.4:
            policies["session"] = [self.document(n=2)]
        if self.r.random() < 0.55 or action in ("kms:Decrypt", "sts:AssumeRole"):
            policies["resource"] = self.document(principals=RESOURCE_PRINCIPALS)
            if action == "sts:AssumeRole":  # a trust policy: no Resource, sts actions
                for st in policies["resource"]["Statement"]:
                    st.pop("Resource", None)
                    st.pop("NotAction", None)
                    st["Action"] = self.r.choice(["sts:AssumeRole", "sts:*"])
        if self.r.random() < 0.3:
            policies["scp"] = [
                [
                    {"Version": "2012-10-17", "Statement": [FULL]},
                    *([self.document(n=2)] if self.r.random() < 0.5 else []),
                ]
                for _ in range(self.r.randint(1, 3))
            ]
        if self.r.random() < 0.25:
            rcp_deny = self.statement("Deny", "*")
            rcp_deny.pop("NotAction", None)  # customer RCPs: Deny with a service-scoped Action
            rcp_deny["Action"] = self.some([a for a in ACTIONS if a != "*"])
            deny = {"Version": "2012-10-17", "Statement": [rcp_deny]}
            full_rcp = {"Version": "2012-10-17", "Statement": [{**FULL, "Principal": "*"}]}
            policies["rcp"] = [[full_rcp, *([deny] if self.r.random() < 0.6 else [])]]
        return {
            "id": f"oracle-{i}",
            "request": {
                "principal": principal,
                "action": action,
                "resource": resource,
                "context": self.context(principal),
            },
            "policies": policies,
        }


def generate(n: int, seed: int = 20261128) -> list[dict[str, Any]]:
    g = Gen(seed)
    return [g.case(i) for i in range(n)]

"""Small random policies and requests (hypothesis), in the raw case-file shape, for differential
tests: a small universe so that matches, misses and every policy-type interaction happen often."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

A, B = "111122223333", "444455556666"
USER = f"arn:aws:iam::{A}:user/alice"
ROLE = f"arn:aws:iam::{A}:role/app"
SESSION = f"arn:aws:sts::{A}:assumed-role/app/s1"
OTHER_USER = f"arn:aws:iam::{B}:user/bob"
SLR = f"arn:aws:iam::{A}:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk"
FEDERATED = f"arn:aws:sts::{A}:federated-user/carol"
PRINCIPALS = [
    USER,
    USER,
    SESSION,
    SESSION,
    OTHER_USER,
    SLR,
    FEDERATED,
    "anonymous",
    "cloudtrail.amazonaws.com",
]

ACTIONS = [
    "s3:GetObject",
    "s3:PutObject",
    "sqs:SendMessage",
    "iam:CreateRole",
    "kms:Decrypt",
    "sts:AssumeRole",
]
RESOURCES = [
    "arn:aws:s3:::docs/a.txt",
    "arn:aws:s3:::docs/b/c.txt",
    "arn:aws:s3:::other/x",
    "arn:aws:s3:::home/alice/x",
    f"arn:aws:sqs:us-east-1:{A}:jobs",
    f"arn:aws:kms:us-east-1:{A}:key/k1",
    f"arn:aws:iam::{A}:role/deploy",
]
ACTION_PATTERNS = [
    "*",
    "s3:*",
    "s3:Get*",
    "s3:?etObject",
    "S3:GETOBJECT",
    "sqs:SendMessage",
    "iam:*",
]
RESOURCE_PATTERNS = [
    "*",
    "arn:aws:s3:::docs/*",
    "arn:aws:s3:::docs/?.txt",
    "arn:aws:s3:::*",
    "arn:aws:s3:::Docs/*",
    "arn:aws:sqs:*:111122223333:*",
    "arn:aws:s3:::home/${aws:username}/*",
    "arn:aws:s3:::home/${aws:PrincipalTag/team, 'alice'}/*",
    "arn:aws:s3:::docs/${aws:PrincipalArn}",
]

STRING_VALUES = ["blue", "Blue", "red", "b*", "bl?e"]
REGIONS = ["us-east-1", "eu-west-1"]
IPS = ["203.0.113.5", "198.51.100.7", "2001:db8::1"]
CIDRS = ["203.0.113.0/24", "2001:db8::/32", "0.0.0.0/0"]
TAG_KEYS = ["env", "team", "owner"]

# key -> (operators, policy values, context values)
KEYS: dict[str, tuple[list[str], list[Any], list[Any]]] = {
    "aws:PrincipalTag/team": (
        [
            "StringEquals",
            "StringNotEquals",
            "StringLike",
            "StringNotLike",
            "StringEqualsIgnoreCase",
            "StringEqualsIfExists",
            "StringNotEqualsIfExists",
            "Null",
        ],
        [*STRING_VALUES, "${aws:username}", "${aws:PrincipalArn}"],
        ["blue", "Blue", "red", "alice"],
    ),
    "aws:RequestedRegion": (["StringEquals", "StringNotEquals", "StringLike"], REGIONS, REGIONS),
    "aws:MultiFactorAuthPresent": (
        ["Bool", "BoolIfExists", "Null"],
        ["true", "false"],
        [True, False],
    ),
    "aws:SourceIp": (["IpAddress", "NotIpAddress", "IpAddressIfExists"], CIDRS, IPS),
    "aws:MultiFactorAuthAge": (
        ["NumericLessThan", "NumericGreaterThanEquals", "NumericEquals", "NumericNotEquals"],
        ["60", "3600"],
        [30, 3600, 7200],
    ),
    "aws:SecureTransport": (["Bool", "BoolIfExists"], ["true", "false"], [True, False]),
    "aws:TagKeys": (
        [
            "ForAllValues:StringEquals",
            "ForAnyValue:StringEquals",
            "ForAllValues:StringLike",
            "ForAnyValue:StringNotEquals",
            "StringEquals",
        ],
        [*TAG_KEYS, "t*"],
        [[], ["env"], ["env", "team"], ["owner", "env"]],
    ),
}


@st.composite
def conditions(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if draw(st.integers(0, 2)):
        return out
    for key in draw(st.lists(st.sampled_from(sorted(KEYS)), min_size=1, max_size=2, unique=True)):
        ops, values, _ = KEYS[key]
        op = draw(st.sampled_from(ops))
        if op == "Null":
            vals: Any = draw(st.sampled_from(["true", "false"]))
        else:
            vals = draw(st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True))
        out.setdefault(op, {})[key] = vals
    return out


def _one_or_list(draw: st.DrawFn, items: list[str]) -> Any:
    chosen = draw(st.lists(st.sampled_from(items), min_size=1, max_size=2, unique=True))
    return chosen[0] if len(chosen) == 1 and draw(st.booleans()) else chosen


@st.composite
def statements(draw: st.DrawFn, principal: Any = None) -> dict[str, Any]:
    stmt: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Allow", "Allow", "Deny"]))}
    if principal is not None:
        stmt["Principal"] = principal
    stmt["NotAction" if draw(st.integers(0, 5)) == 0 else "Action"] = _one_or_list(
        draw, ACTION_PATTERNS
    )
    stmt["NotResource" if draw(st.integers(0, 5)) == 0 else "Resource"] = (
        _one_or_list(draw, RESOURCE_PATTERNS[:-1])
        if "NotResource" in stmt or draw(st.booleans())
        else _one_or_list(draw, RESOURCE_PATTERNS)
    )
    cond = draw(conditions())
    if cond:
        stmt["Condition"] = cond
    return stmt


def _fix_not_resource(stmt: dict[str, Any]) -> dict[str, Any]:
    """Variables in NotResource are left out: their no-value behaviour is not documented."""
    if "NotResource" in stmt:
        pats = (
            stmt["NotResource"] if isinstance(stmt["NotResource"], list) else [stmt["NotResource"]]
        )
        stmt["NotResource"] = [p for p in pats if "${" not in p] or ["arn:aws:s3:::other/*"]
    return stmt


@st.composite
def documents(
    draw: st.DrawFn, principals: list[Any] | None = None, max_statements: int = 3
) -> dict[str, Any]:
    n = draw(st.integers(1, max_statements))
    stmts: list[dict[str, Any]] = []
    if draw(st.integers(0, 2)) == 0:  # a broad allow, as FullAWSAccess-style policies have
        stmts.append({"Effect": "Allow", "Action": "*", "Resource": "*"})
        if principals:
            stmts[0]["Principal"] = draw(st.sampled_from(principals))
    for _ in range(n):
        principal = draw(st.sampled_from(principals)) if principals else None
        stmts.append(_fix_not_resource(draw(statements(principal))))
    if principals is RESOURCE_PRINCIPALS:
        for stmt in stmts:
            if stmt["Effect"] == "Deny" and draw(st_small_chance()):
                stmt["NotPrincipal"] = draw(st.sampled_from(NOT_PRINCIPALS))
                del stmt["Principal"]
    version = draw(st.sampled_from(["2012-10-17"] * 5 + ["2008-10-17"]))
    return {"Version": version, "Statement": stmts}


def st_small_chance() -> st.SearchStrategy[bool]:
    return st.integers(0, 7).map(lambda i: i == 0)


RESOURCE_PRINCIPALS: list[Any] = [
    "*",
    {"AWS": "*"},
    {"AWS": USER},
    {"AWS": ROLE},
    {"AWS": SESSION},
    {"AWS": OTHER_USER},
    {"AWS": f"arn:aws:iam::{B}:root"},
    {"AWS": B},
    {"AWS": [USER, SESSION]},
    {"AWS": FEDERATED},
    {"Service": "cloudtrail.amazonaws.com"},
    {"AWS": f"arn:aws:iam::{A}:root"},
]
NOT_PRINCIPALS: list[Any] = [
    # the documented form: the principal's ARN(s) together with its account ARN
    {"AWS": [USER, f"arn:aws:iam::{A}:root"]},
    {"AWS": [SESSION, ROLE, f"arn:aws:iam::{A}:root"]},
    {"AWS": [OTHER_USER, f"arn:aws:iam::{B}:root"]},
]


@st.composite
def rcp_level(draw: st.DrawFn) -> list[dict[str, Any]]:
    """RCPFullAWSAccess (usually) plus Deny statements naming actions (no NotAction in RCPs)."""
    docs = []
    if draw(st.integers(0, 4)):
        full = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
        docs.append({"Version": "2012-10-17", "Statement": [full]})
    for _ in range(draw(st.integers(0, 2))):
        stmt = _fix_not_resource(draw(statements("*")))
        stmt["Effect"] = "Deny"
        stmt.pop("NotAction", None)
        stmt["Action"] = draw(st.sampled_from(ACTION_PATTERNS[1:]))
        docs.append({"Version": "2012-10-17", "Statement": [stmt]})
    return docs


@st.composite
def contexts(draw: st.DrawFn) -> dict[str, Any]:
    ctx: dict[str, Any] = {}
    for key in draw(st.lists(st.sampled_from(sorted(KEYS)), max_size=4, unique=True)):
        ctx[key] = draw(st.sampled_from(KEYS[key][2]))
    return ctx


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    principal = draw(st.sampled_from(PRINCIPALS))
    request = {
        "principal": principal,
        "action": draw(st.sampled_from(ACTIONS)),
        "resource": draw(st.sampled_from(RESOURCES)),
        "context": draw(contexts()),
    }
    policies: dict[str, Any] = {
        "identity": draw(st.lists(documents(), max_size=2)),
        "resource_account": draw(st.sampled_from([A, A, B])),
    }
    if draw(st.booleans()):
        policies["permissions_boundary"] = draw(documents())
    if principal == SESSION and draw(st.booleans()):
        policies["session"] = draw(st.lists(documents(max_statements=2), min_size=1, max_size=2))
    if draw(st.booleans()) or request["action"] in ("kms:Decrypt", "sts:AssumeRole"):
        policies["resource"] = draw(documents(principals=RESOURCE_PRINCIPALS))
        if request["action"] == "sts:AssumeRole" and request["resource"].endswith(":role/deploy"):
            for stmt in policies["resource"]["Statement"]:  # a trust policy has no Resource
                stmt.pop("Resource", None)
                stmt.pop("NotResource", None)
                if stmt.pop("NotPrincipal", None) is not None:  # not allowed in trust policies
                    stmt["Principal"] = {"AWS": USER}
    if draw(st.integers(0, 3)) == 0:
        policies["scp"] = draw(
            st.lists(st.lists(documents(max_statements=2), max_size=2), min_size=1, max_size=3)
        )
    if draw(st.integers(0, 3)) == 0:
        policies["rcp"] = draw(st.lists(rcp_level(), min_size=1, max_size=2))
    if draw(st.integers(0, 5)) == 0:
        policies["management_account"] = draw(st.sampled_from([A, B]))
    if request["principal"] in ("anonymous", "cloudtrail.amazonaws.com"):
        for name in ("identity", "permissions_boundary", "session", "scp"):
            policies.pop(name, None)
    return {"id": "generated", "request": request, "policies": policies}

"""The request/case file loader (parse/cases.py): shapes, typing, diagnostics with pointers."""

from __future__ import annotations

import json

import pytest

from iamfence.engine import Decision
from iamfence.errors import InvalidInputError
from iamfence.model import ContextType, PolicyType
from iamfence.parse.cases import key_type, load_cases, read_cases

CASE = {
    "id": "c1",
    "request": {
        "principal": "arn:aws:sts::111122223333:assumed-role/app-api/s1",
        "action": "s3:GetObject",
        "resource": "arn:aws:s3:::bucket/key",
        "context": {
            "aws:SourceIp": "203.0.113.5",
            "aws:MultiFactorAuthPresent": True,
            "aws:MultiFactorAuthAge": 30,
            "aws:TagKeys": ["a", "b"],
            "aws:CurrentTime": "2026-01-01T00:00:00Z",
            "aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:t",
            "custom:blob": {"type": "binary", "value": "QQ=="},
        },
    },
    "policies": {
        "identity": [
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
            }
        ],
        "permissions_boundary": None,
        "session": [],
        "resource": None,
        "resource_account": "111122223333",
        "scp": [
            [
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
                }
            ],
            [],
        ],
        "rcp": [],
    },
    "expect": "Allow",
}


def test_one_object_array_and_json_lines() -> None:
    one = load_cases(json.dumps(CASE))
    assert len(one) == 1 and one[0].id == "c1" and one[0].expect is Decision.ALLOW
    second = dict(CASE, id="c2")
    assert [c.id for c in load_cases(json.dumps([CASE, second]))] == ["c1", "c2"]
    lines = json.dumps(CASE) + "\n\n" + json.dumps(second) + "\n"
    assert [c.id for c in load_cases(lines.encode())] == ["c1", "c2"]


def test_policies_and_levels() -> None:
    case = load_cases(CASE)[0]
    assert case.policies.identity[0].name == "identity[0]"
    assert [len(level) for level in case.policies.scp] == [1, 0]
    assert case.policies.scp[0][0].type is PolicyType.SCP
    assert case.policies.resource_account == "111122223333"


def test_context_typing() -> None:
    ctx = dict(load_cases(CASE)[0].request.context)
    assert ctx["aws:SourceIp"].type is ContextType.IP
    assert ctx["aws:MultiFactorAuthPresent"].type is ContextType.BOOL
    assert ctx["aws:MultiFactorAuthPresent"].values == ("true",)
    assert ctx["aws:MultiFactorAuthAge"].type is ContextType.NUMBER
    assert ctx["aws:TagKeys"].multi and ctx["aws:TagKeys"].values == ("a", "b")
    assert ctx["aws:CurrentTime"].type is ContextType.DATE
    assert ctx["aws:SourceArn"].type is ContextType.ARN
    assert ctx["custom:blob"].type is ContextType.BINARY
    assert key_type("s3:prefix") is ContextType.STRING


def test_trust_policy_kind_for_assume_role() -> None:
    case = {
        "request": {
            "principal": "arn:aws:iam::111122223333:user/a",
            "action": "sts:AssumeRole",
            "resource": "arn:aws:iam::111122223333:role/r",
        },
        "policies": {
            "resource": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "111122223333"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        },
    }
    loaded = load_cases(case)[0]
    assert (
        loaded.policies.resource is not None and loaded.policies.resource.type is PolicyType.TRUST
    )
    assert loaded.id == "case-1" and loaded.expect is None


@pytest.mark.parametrize(
    ("mutate", "code", "pointer"),
    [
        (lambda c: c["request"].pop("action"), "IF602", "/request"),
        (lambda c: c["request"].update(action="GetObject"), "IF603", "/request/action"),
        (lambda c: c.update(expect="Maybe"), "IF605", "/expect"),
        (lambda c: c.update(extra=1), "IF604", "/extra"),
        (
            lambda c: c["request"]["context"].update({"k": {"type": "ip", "value": "x"}}),
            "IF606",
            "/request/context/k/value",
        ),
        (
            lambda c: c["policies"].update(resource_account="12"),
            "IF603",
            "/policies/resource_account",
        ),
        (
            lambda c: c["policies"]["identity"][0]["Statement"][0].pop("Effect"),
            "IF120",
            "/policies/identity/0/Statement/0",
        ),
        (lambda c: c["policies"].update(scp="x"), "IF603", "/policies/scp"),
    ],
)
def test_diagnostics_with_pointers(mutate: object, code: str, pointer: str) -> None:
    case = json.loads(json.dumps(CASE))
    mutate(case)  # type: ignore[operator]
    result = read_cases(json.dumps(case, indent=1), "cases.json")
    assert not result.ok and not result.cases
    hits = [d for d in result.diagnostics if d.code == code]
    assert hits, result.diagnostics
    assert hits[0].location.pointer == pointer
    assert hits[0].location.file == "cases.json" and hits[0].location.line > 0


def test_invalid_json_and_json_lines_line_numbers() -> None:
    result = read_cases("{not json", "bad.json")
    assert [d.code for d in result.diagnostics] == ["IF600"]
    lines = json.dumps(CASE) + "\n" + "{broken\n"
    result = read_cases(lines, "bad.jsonl")
    assert result.diagnostics[0].code == "IF600" and result.diagnostics[0].location.line == 2
    assert len(result.cases) == 1


def test_duplicate_ids_and_load_raises() -> None:
    with pytest.raises(InvalidInputError) as info:
        load_cases(json.dumps([CASE, CASE]))
    assert "IF607" in str(info.value)


def test_a_trust_policy_for_tag_session_loads_as_a_trust_policy() -> None:
    """A real trust policy has no Resource element; for sts:TagSession on a role it is the role's
    trust policy (IAM UG, "Passing session tags in AWS STS"), so it loads as one."""
    from iamfence.model import PolicyType
    from iamfence.parse.cases import load_cases

    case = {
        "request": {
            "principal": "arn:aws:iam::111122223333:user/alice",
            "action": "sts:TagSession",
            "resource": "arn:aws:iam::111122223333:role/app",
        },
        "policies": {
            "identity": [
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "sts:TagSession", "Resource": "*"}],
                }
            ],
            "resource": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"},
                        "Action": "sts:TagSession",
                    }
                ],
            },
        },
    }
    (loaded,) = load_cases(case, file="c.json")
    assert loaded.policies.resource is not None
    assert loaded.policies.resource.type is PolicyType.TRUST

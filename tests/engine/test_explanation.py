"""Explanations: blocked_by, deciding statements, per-statement and per-condition codes."""

from __future__ import annotations

from iamfence.engine import Decision, PolicySet, StatementRef, authorize, compile_policies
from iamfence.model import ContextType, ContextValue, NamedPolicy, PolicyType, Request
from iamfence.parse import load_policy

USER = "arn:aws:iam::111122223333:user/alice"


def _p(doc: dict[str, object], name: str, kind: PolicyType = PolicyType.IDENTITY) -> NamedPolicy:
    return NamedPolicy(name, load_policy(doc, kind=kind), kind)


IDENTITY = _p(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Ec2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
            {
                "Sid": "S3FromOffice",
                "Effect": "Allow",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
            },
            {"Sid": "NoDelete", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
        ],
    },
    "dev-policy",
)
BOUNDARY = _p(
    {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "OnlyS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    },
    "boundary",
    PolicyType.PERMISSIONS_BOUNDARY,
)
POLICIES = PolicySet(identity=(IDENTITY,), permissions_boundary=BOUNDARY)


def test_allow_names_the_deciding_statements() -> None:
    req = Request(USER, "s3:GetObject", "arn:aws:s3:::b/k").with_context(
        "aws:SourceIp", ContextValue(ContextType.IP, ("203.0.113.9",))
    )
    result = authorize(req, POLICIES)
    assert result.decision is Decision.ALLOW
    assert result.explanation is not None
    assert result.explanation.deciding == (
        StatementRef(PolicyType.IDENTITY, "dev-policy", 1, "S3FromOffice"),
        StatementRef(PolicyType.PERMISSIONS_BOUNDARY, "boundary", 0, "OnlyS3"),
    )
    details = dict(result.explanation.details)
    assert details[StatementRef(PolicyType.IDENTITY, "dev-policy", 0, "Ec2")] == (
        "action-mismatch",
    )
    assert details[StatementRef(PolicyType.IDENTITY, "dev-policy", 1, "S3FromOffice")] == (
        "IpAddress(aws:SourceIp)=match",
        "match",
    )
    assert "aws:username" in result.explanation.derived_keys


def test_condition_failure_codes_and_blocked_by() -> None:
    result = authorize(Request(USER, "s3:GetObject", "arn:aws:s3:::b/k"), POLICIES)
    assert result.decision is Decision.IMPLICIT_DENY
    assert result.explanation is not None and result.explanation.blocked_by == (
        PolicyType.IDENTITY,
    )
    details = dict(result.explanation.details)
    assert details[StatementRef(PolicyType.IDENTITY, "dev-policy", 1, "S3FromOffice")] == (
        "IpAddress(aws:SourceIp)=key-absent",
        "condition-false",
    )


def test_explicit_deny_names_the_deny() -> None:
    result = authorize(Request(USER, "s3:DeleteObject", "arn:aws:s3:::b/k"), POLICIES)
    assert result.decision is Decision.EXPLICIT_DENY
    assert result.explanation is not None
    assert result.explanation.deciding == (
        StatementRef(PolicyType.IDENTITY, "dev-policy", 2, "NoDelete"),
    )
    assert result.explanation.blocked_by == (PolicyType.IDENTITY,)


def test_boundary_blocks() -> None:
    result = authorize(Request(USER, "ec2:RunInstances", "*"), POLICIES)
    assert result.decision is Decision.IMPLICIT_DENY
    assert result.explanation is not None and result.explanation.blocked_by == (
        PolicyType.PERMISSIONS_BOUNDARY,
    )


def test_indeterminate_names_unresolved_statements() -> None:
    timed = _p(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "s3:*",
                    "Resource": "*",
                    "Condition": {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}},
                }
            ],
        },
        "timed",
    )
    result = authorize(Request(USER, "s3:GetObject", "*"), PolicySet(identity=(timed,)))
    assert result.decision is Decision.INDETERMINATE
    assert result.reason is not None and "identity:timed#0" in result.reason
    assert result.explanation is not None and result.explanation.unresolved == ("identity:timed#0",)
    fast = compile_policies(PolicySet(identity=(timed,))).authorize(
        Request(USER, "s3:GetObject", "*")
    )
    assert fast.decision is Decision.INDETERMINATE and fast.explanation is None


def test_unknown_resource_account_matters() -> None:
    rbp = _p(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "111122223333"},
                    "Action": "s3:*",
                    "Resource": "*",
                }
            ],
        },
        "bucket",
        PolicyType.RESOURCE,
    )
    allow_s3 = _p(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
        },
        "id",
    )
    # S3 ARNs carry no account: with the bucket's account unknown, a same-account reading would
    # deny (account grant needs identity) and so would a cross-account one: both agree.
    result = authorize(Request(USER, "s3:GetObject", "arn:aws:s3:::b/k"), PolicySet(resource=rbp))
    assert result.decision is Decision.IMPLICIT_DENY
    ok = authorize(
        Request(USER, "s3:GetObject", "arn:aws:s3:::b/k"),
        PolicySet(identity=(allow_s3,), resource=rbp),
    )
    assert ok.decision is Decision.ALLOW

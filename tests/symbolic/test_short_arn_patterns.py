"""A short ARN pattern whose inner segment ends with `*` spans colons in AWS and in the engine
(IAM User Guide, Resource: wildcards in resource ARNs). The encoder does not model that, so the
prover must answer unknown for it, never holds."""

from __future__ import annotations

from iamfence.engine import PolicySet, authorize
from iamfence.model import NamedPolicy, Request
from iamfence.parse import load_policy
from iamfence.symbolic import Query, ResourceTarget, Verdict, can_allow

PRINCIPAL = "arn:aws:iam::111122223333:user/alice"


def _policies(resource: str) -> PolicySet:
    doc = load_policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": resource}
            ],
        }
    )
    return PolicySet(identity=(NamedPolicy("p", doc),))


def test_the_engine_lets_the_short_pattern_match() -> None:
    policies = _policies("arn:aws:ec2:*:instance/*")
    request = Request(
        PRINCIPAL, "ec2:TerminateInstances", "arn:aws:ec2:eu-west-1:111122223333:instance/i-1"
    )
    assert authorize(request, policies).allowed


def test_the_prover_never_says_holds_for_it() -> None:
    query = Query(PRINCIPAL, ("ec2:TerminateInstances",), ResourceTarget("arn:aws:ec2:*:*:*"))
    result = can_allow(_policies("arn:aws:ec2:*:instance/*"), query)
    assert result.verdict is Verdict.UNKNOWN
    assert result.reason and "short ARN pattern" in result.reason


def test_a_full_pattern_is_still_proven() -> None:
    query = Query(PRINCIPAL, ("ec2:TerminateInstances",), ResourceTarget("arn:aws:ec2:*:*:*"))
    result = can_allow(_policies("arn:aws:ec2:*:*:instance/*"), query)
    assert result.verdict is Verdict.VIOLATED

"""CompiledPolicySet.with_resource_policy: the same principal side with another resource policy
(a role's trust policy for sts:AssumeRole), without touching the original."""

from iamfence.engine import Decision, PolicySet, compile_policies
from iamfence.model import NamedPolicy, PolicyType, Request
from iamfence.parse import load_policy

ALICE = "arn:aws:iam::111122223333:user/alice"
TARGET = "arn:aws:iam::111122223333:role/target"


def _trust(principal: str) -> NamedPolicy:
    doc = load_policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
            ],
        },
        kind=PolicyType.TRUST,
    )
    return NamedPolicy(f"trust:{principal}", doc, PolicyType.TRUST)


def test_trust_policies_swap_in_and_the_original_is_unchanged() -> None:
    identity = load_policy(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
        }
    )
    base = compile_policies(PolicySet(identity=(NamedPolicy("id", identity),)))
    request = Request(ALICE, "sts:AssumeRole", TARGET)
    trusting = base.with_resource_policy(_trust(ALICE), "111122223333")
    other = base.with_resource_policy(_trust("arn:aws:iam::111122223333:user/bob"), "111122223333")
    assert trusting.authorize(request).decision is Decision.ALLOW
    assert other.authorize(request).decision is Decision.IMPLICIT_DENY
    # A trust policy must grant even within the account: the base set has none.
    assert base.authorize(request).decision is Decision.IMPLICIT_DENY
    assert base.policies.resource is None
    # Reusing a set compiled with the same trust policy gives the same answer.
    reused = base.with_resource_policy(
        trusting.policies.resource, "111122223333", compiled_in=trusting
    )
    assert reused.resource is trusting.resource
    assert reused.authorize(request).decision is Decision.ALLOW

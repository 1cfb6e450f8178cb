"""Property: the service-indexed bulk path decides exactly like the full explained path, and
authorize() is deterministic, on random policies and requests."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.engine import PolicySet, authorize, compile_policies
from iamfence.model import (
    ActionSpec,
    ConditionClause,
    ContextValue,
    Effect,
    NamedPolicy,
    PolicyDocument,
    PolicyType,
    PrincipalEntry,
    PrincipalKind,
    PrincipalSpec,
    Request,
    ResourceSpec,
    Statement,
)

ACTIONS = ["s3:GetObject", "s3:PutObject", "ec2:RunInstances", "iam:PassRole", "kms:Decrypt"]
PATTERNS = ["*", "s3:*", "s3:Get*", "ec2:*", "*:*Object", "iam:PassRole", "kms:*", "s?:GetObject"]
RESOURCES = [
    "arn:aws:s3:::b/k",
    "arn:aws:kms:us-east-1:111122223333:key/1",
    "*",
    "arn:aws:iam::111122223333:role/r",
]
RPATTERNS = [
    "*",
    "arn:aws:s3:::b/*",
    "arn:aws:kms:*:111122223333:key/*",
    "arn:aws:iam::*:role/${aws:username}",
]
PRINCIPALS = [
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:sts::111122223333:assumed-role/app/s1",
    "arn:aws:sts::444455556666:assumed-role/app/s1",
    "lambda.amazonaws.com",
]
CONDITIONS = [
    ConditionClause("Bool", "aws:MultiFactorAuthPresent", (True,)),
    ConditionClause("StringEquals", "aws:username", ("alice",)),
    ConditionClause("IpAddress", "aws:SourceIp", ("10.0.0.0/8",)),
    ConditionClause("Bool", "aws:SecureTransport", ("true",)),
]


@st.composite
def statements(draw: st.DrawFn, resource_policy: bool) -> Statement:
    principal = None
    if resource_policy:
        value = draw(
            st.sampled_from(
                ["*", "111122223333", "arn:aws:iam::111122223333:role/app", PRINCIPALS[1]]
            )
        )
        principal = PrincipalSpec(
            (PrincipalEntry(PrincipalKind.AWS, value),),
            negated=draw(st.booleans()) and value != "*",
        )
    return Statement(
        effect=draw(st.sampled_from([Effect.ALLOW, Effect.ALLOW, Effect.DENY])),
        action=ActionSpec(
            tuple(draw(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=2))),
            draw(st.booleans()),
        ),
        resource=ResourceSpec(
            tuple(draw(st.lists(st.sampled_from(RPATTERNS), min_size=1, max_size=2))),
            draw(st.booleans()),
        ),
        principal=principal,
        conditions=tuple(draw(st.lists(st.sampled_from(CONDITIONS), max_size=1))),
    )


def policy(name: str, kind: PolicyType) -> st.SearchStrategy[NamedPolicy]:
    return st.lists(statements(kind is PolicyType.RESOURCE), min_size=1, max_size=3).map(
        lambda s: NamedPolicy(name, PolicyDocument(tuple(s)), kind)
    )


@st.composite
def policy_sets(draw: st.DrawFn) -> PolicySet:
    return PolicySet(
        identity=tuple(draw(st.lists(policy("id", PolicyType.IDENTITY), max_size=2))),
        permissions_boundary=draw(st.none() | policy("pb", PolicyType.PERMISSIONS_BOUNDARY)),
        session=tuple(draw(st.lists(policy("sess", PolicyType.SESSION), max_size=1))),
        resource=draw(st.none() | policy("rbp", PolicyType.RESOURCE)),
        resource_account=draw(st.sampled_from([None, "111122223333"])),
        scp=tuple((p,) for p in draw(st.lists(policy("scp", PolicyType.SCP), max_size=2))),
    )


@st.composite
def requests(draw: st.DrawFn) -> Request:
    context = []
    if draw(st.booleans()):
        context.append(("aws:MultiFactorAuthPresent", ContextValue.boolean(draw(st.booleans()))))
    if draw(st.booleans()):
        context.append(("aws:SecureTransport", ContextValue.boolean(True)))
    return Request(
        draw(st.sampled_from(PRINCIPALS)),
        draw(st.sampled_from(ACTIONS)),
        draw(st.sampled_from(RESOURCES)),
        tuple(context),
    )


@settings(max_examples=200, deadline=None)
@given(policies=policy_sets(), request=requests())
def test_fast_path_equals_explained_path(policies: PolicySet, request: Request) -> None:
    explained = authorize(request, policies, explain=True)
    fast = compile_policies(policies).authorize(request)
    assert fast.decision is explained.decision
    assert fast.reason == explained.reason
    if explained.decision.denied and explained.explanation is not None:
        assert explained.explanation.blocked_by or explained.explanation.deciding

"""Property: on random small policies the symbolic answer agrees with the engine on sampled
concrete requests. HOLDS: no sampled request in the query's space is allowed; VIOLATED: the
counterexample is allowed by the engine (can_allow replays it and would raise otherwise)."""

from __future__ import annotations

import fnmatch
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamfence.engine import Decision, authorize, compile_policies
from iamfence.engine.types import PolicySet
from iamfence.model import (
    ActionSpec,
    ConditionClause,
    ContextType,
    ContextValue,
    Effect,
    NamedPolicy,
    PolicyDocument,
    PolicyType,
    Request,
    ResourceSpec,
    Statement,
)
from iamfence.symbolic import Query, ResourceTarget, Verdict, can_allow

PRINCIPAL = "arn:aws:iam::111122223333:role/app-dev"
PRINCIPALS = (PRINCIPAL, "arn:aws:iam::111122223333:user/alice")
ACTIONS = ("s3:GetObject", "s3:PutObject", "iam:CreateRole", "iam:PassRole")
ACTION_PATTERNS = ("*", "s3:*", "s3:Get*", "iam:*", "iam:Create*", "iam:PassRole", "s3:?etObject")
RESOURCE_PATTERNS = (
    "*",
    "arn:aws:s3:::b1/*",
    "arn:aws:s3:::b*",
    "arn:aws:iam::111122223333:role/app-*",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:iam::*:role/x",
    "arn:aws:*:*:*:*",
    "arn:AWS:IAM::111122223333:role/app-*",
    "arn:aws:s3:::b1/k?y",
    "arn:aws:iam::111122223333:*",
    "arn:aws:s3:::b1/${aws:RequestTag/team}/*",
    "arn:aws:s3:::b1/${aws:RequestTag/team, 'red'}",
    "arn:aws:iam::111122223333:role/${aws:PrincipalAccount}-*",
    "arn:aws:s3:::b1/${aws:username}/*",
)
CLAUSES = (
    ("StringEquals", "aws:RequestTag/team", ("red",)),
    ("StringNotEquals", "aws:RequestTag/team", ("red", "blue")),
    ("StringLike", "aws:RequestTag/team", ("r*",)),
    ("StringEqualsIgnoreCase", "aws:RequestTag/team", ("RED",)),
    ("NumericLessThan", "s3:max-keys", ("10",)),
    ("NumericGreaterThanEquals", "s3:max-keys", ("2.5",)),
    ("DateGreaterThan", "aws:CurrentTime", ("2026-01-01T00:00:00Z",)),
    ("Bool", "aws:SecureTransport", ("true",)),
    ("IpAddress", "aws:SourceIp", ("10.0.0.0/8",)),
    ("NotIpAddress", "aws:SourceIp", ("10.0.0.0/8", "::1/128")),
    ("Null", "aws:RequestTag/team", ("true",)),
    ("Null", "aws:RequestTag/team", ("false",)),
    ("ForAnyValue:StringEquals", "aws:TagKeys", ("team", "env")),
    ("ForAllValues:StringLike", "aws:TagKeys", ("t*",)),
    ("StringEqualsIfExists", "iam:PassedToService", ("lambda.amazonaws.com",)),
    ("ArnLike", "aws:SourceArn", ("arn:aws:s3:::b*",)),
    ("ArnNotLike", "aws:SourceArn", ("arn:aws:s3:::b1",)),
    ("StringEquals", "s3:prefix", ("${aws:RequestTag/team}",)),
    ("StringNotLike", "s3:prefix", ("${aws:RequestTag/team}/*",)),
)
ACTION_QUERIES = ("s3:*", "iam:*", "*", "iam:?reate*")
"""Query actions with wildcards: the action is then a solver variable (free-action mode)."""
TARGETS = ("arn:aws:s3:::*", "arn:aws:iam::111122223333:role/*", "*")
RESOURCES = (
    "arn:aws:s3:::b1/key",
    "arn:aws:s3:::b1/red/x",
    "arn:aws:s3:::b1/red",
    "arn:aws:s3:::b1/alice/x",
    "arn:aws:iam::111122223333:role/111122223333-x",
    "arn:aws:s3:::b2",
    "arn:aws:s3:::b1/kay",
    "arn:aws:s3:::c",
    "arn:aws:iam::111122223333:role/app-a",
    "arn:aws:iam::111122223333:role/x",
    "arn:aws:iam::111122223333:role/app-x/admin",
    "arn:aws:iam::111122223333:ROLE/app-a",
    "*",
)
S = ContextType.STRING
OPTIONAL_VALUES: dict[str, tuple[ContextValue | None, ...]] = {
    "aws:RequestTag/team": (None, *(ContextValue(S, (v,)) for v in ("red", "RED", "blue", "r"))),
    "s3:max-keys": (
        None,
        *(ContextValue(ContextType.NUMBER, (v,)) for v in ("1", "10", "2.5", "x")),
    ),
    "aws:SourceIp": (
        None,
        *(ContextValue(ContextType.IP, (v,)) for v in ("10.1.2.3", "192.168.0.1", "::1")),
    ),
    "aws:TagKeys": (
        None,
        ContextValue(S, ("team",), True),
        ContextValue(S, ("env", "x"), True),
        ContextValue(S, ("t1", "t2"), True),
    ),
    "s3:prefix": (
        None,
        ContextValue(S, ("red",)),
        ContextValue(S, ("red/x",)),
        ContextValue(S, ("blue",)),
    ),
    "iam:PassedToService": (
        None,
        ContextValue(S, ("lambda.amazonaws.com",)),
        ContextValue(S, ("ec2.amazonaws.com",)),
    ),
    "aws:SourceArn": (
        None,
        ContextValue(ContextType.ARN, ("arn:aws:s3:::bx",)),
        ContextValue(S, ("arn:aws:s3:::b1",)),
        ContextValue(S, ("notarn",)),
    ),
}
ALWAYS: dict[str, tuple[ContextValue, ...]] = {
    "aws:CurrentTime": tuple(
        ContextValue(ContextType.DATE, (v,))
        for v in ("2025-06-01T00:00:00Z", "2027-01-01T00:00:00Z")
    ),
    "aws:SecureTransport": (ContextValue.boolean(True), ContextValue.boolean(False)),
    "aws:userid": (ContextValue(S, ("AROAEXAMPLE:s",)),),
    "aws:EpochTime": (ContextValue(ContextType.NUMBER, ("1750000000",)),),
}


@st.composite
def statements(draw: st.DrawFn) -> Statement:
    actions = tuple(
        draw(st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=2, unique=True))
    )
    resources = tuple(
        draw(st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2, unique=True))
    )
    clauses = draw(st.lists(st.sampled_from(CLAUSES), max_size=2, unique=True))
    return Statement(
        draw(st.sampled_from((Effect.ALLOW, Effect.ALLOW, Effect.DENY))),
        ActionSpec(actions, draw(st.booleans()) and draw(st.booleans())),
        ResourceSpec(resources, draw(st.booleans()) and draw(st.booleans())),
        None,
        tuple(ConditionClause(op, key, values) for op, key, values in clauses),
    )


def documents(min_size: int = 1) -> st.SearchStrategy[PolicyDocument]:
    return st.lists(statements(), min_size=min_size, max_size=3).map(
        lambda s: PolicyDocument(tuple(s))
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[PolicySet, Query]:
    identity = NamedPolicy("identity", draw(documents()))
    boundary = None
    if draw(st.booleans()):
        boundary = NamedPolicy("boundary", draw(documents()), PolicyType.PERMISSIONS_BOUNDARY)
    policies = PolicySet(identity=(identity,), permissions_boundary=boundary)
    query = Query(
        PRINCIPAL, (draw(st.sampled_from(ACTIONS)),), ResourceTarget(draw(st.sampled_from(TARGETS)))
    )
    return policies, query


def samples(query: Query) -> list[Request]:
    glob = query.resource.glob
    resources = [r for r in RESOURCES if glob == "*" or (r != "*" and fnmatch.fnmatchcase(r, glob))]
    keys = sorted(OPTIONAL_VALUES)
    out: list[Request] = []
    always = [[(k, v) for v in values] for k, values in ALWAYS.items()]
    combos = list(itertools.product(*(OPTIONAL_VALUES[k] for k in keys)))
    pattern = query.actions[0].lower()
    actions = [a for a in ACTIONS if fnmatch.fnmatchcase(a.lower(), pattern)]
    stride = max(1, len(combos) // 250)  # a spread of ~250 of the contexts
    for index, combo in enumerate(combos[::stride]):
        for resource in resources:
            fixed = [pair[index % len(pair)] for pair in always]
            context = tuple(fixed) + tuple(
                (k, v) for k, v in zip(keys, combo, strict=True) if v is not None
            )
            action = actions[index % len(actions)]
            out.append(Request(query.principal, action, resource, context))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_symbolic_agrees_with_engine(scenario: tuple[PolicySet, Query]) -> None:
    policies, query = scenario
    result = can_allow(policies, query, timeout=20.0)
    assert result.verdict is not Verdict.UNKNOWN, result.reason
    if result.verdict is Verdict.VIOLATED:
        assert result.counterexample is not None
        assert authorize(result.counterexample, policies).decision is Decision.ALLOW
        return
    compiled = compile_policies(policies)
    for request in samples(query):
        decision = compiled.authorize(request).decision
        assert decision is not Decision.ALLOW, request

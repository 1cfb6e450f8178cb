"""Derived context keys, unknown keys, and: no operator ever raises on a context value of the wrong
type (AWS: no match)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.engine.conditions import REGISTRY, SetQualifier, lookup
from iamfence.engine.conditions.evaluate import compile_condition, evaluate_condition
from iamfence.engine.context import EvalContext
from iamfence.engine.matchers import Tri
from iamfence.engine.patterns import UNKNOWN
from iamfence.engine.principal import classify, derived_context, is_service_linked_role
from iamfence.model import ConditionClause, ContextType, ContextValue, Request


def _ctx(principal: str, *context: tuple[str, ContextValue], org: bool = False) -> EvalContext:
    return EvalContext(Request(principal, "s3:GetObject", "*", tuple(context)), in_organization=org)


def test_user_derivations() -> None:
    ctx = _ctx("arn:aws:iam::111122223333:user/team/alice")
    assert ctx.get("aws:username") == ContextValue.string("alice")
    assert ctx.get("aws:principaltype") == ContextValue.string("User")
    assert ctx.get("aws:principalaccount") == ContextValue.string("111122223333")
    assert ctx.get("aws:principalarn") == ContextValue(
        ContextType.ARN, ("arn:aws:iam::111122223333:user/team/alice",)
    )
    assert ctx.get("aws:userid") is UNKNOWN and ctx.get("aws:currenttime") is UNKNOWN
    assert ctx.get("aws:sourceip") is None and ctx.get("aws:multifactorauthpresent") is None
    assert ctx.get("aws:principalorgid") is None
    assert _ctx("arn:aws:iam::111122223333:user/a", org=True).get("aws:principalorgid") is UNKNOWN


def test_session_derivations() -> None:
    ctx = _ctx("arn:aws:sts::111122223333:assumed-role/app/s1")
    assert ctx.get("aws:username") is None
    assert ctx.get("aws:principaltype") == ContextValue.string("AssumedRole")
    # The role's path is not in the session ARN: the key is set by AWS but unknown here.
    assert ctx.get("aws:principalarn") is UNKNOWN
    given = ContextValue(ContextType.ARN, ("arn:aws:iam::111122223333:role/team/app",))
    assert (
        _ctx("arn:aws:sts::111122223333:assumed-role/app/s1", ("aws:PrincipalArn", given)).get(
            "aws:principalarn"
        )
        == given
    )


def test_service_and_anonymous_derivations() -> None:
    svc = _ctx("lambda.amazonaws.com")
    assert svc.get("aws:principalservicename") == ContextValue.string("lambda.amazonaws.com")
    assert svc.get("aws:principalisawsservice") == ContextValue.boolean(True)
    assert svc.get("aws:userid") is None
    assert derived_context(classify("*")) == {"aws:principaltype": ContextValue.string("Anonymous")}


def test_service_linked_role_detection() -> None:
    slr = classify("arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForECS/ecs")
    assert is_service_linked_role(slr, None)
    app = classify("arn:aws:sts::111122223333:assumed-role/app/s1")
    assert not is_service_linked_role(app, None)
    assert is_service_linked_role(
        app, "arn:aws:iam::111122223333:role/aws-service-role/ecs.amazonaws.com/app"
    )


_VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "10.0.0.1",
            "::1",
            "2026-01-01",
            "true",
            "QQ==",
            "arn:aws:s3:::b",
            "12.5",
            "nan",
            "inf",
            "1e400",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    operator=st.sampled_from(sorted(op.name for op in REGISTRY.values())),
    qualifier=st.sampled_from(["", "ForAllValues:", "ForAnyValue:"]),
    if_exists=st.booleans(),
    policy_values=st.lists(
        st.one_of(_VALUES, st.booleans(), st.integers()), min_size=1, max_size=3
    ),
    context_values=st.lists(_VALUES, max_size=3),
    multi=st.booleans(),
)
def test_no_operator_raises(
    operator: str,
    qualifier: str,
    if_exists: bool,
    policy_values: list[object],
    context_values: list[str],
    multi: bool,
) -> None:
    name = qualifier + operator + ("IfExists" if if_exists and operator != "Null" else "")
    clause = ConditionClause(name, "test:key", tuple(policy_values))  # type: ignore[arg-type]
    cond = compile_condition(clause, variables=True)
    value = ContextValue(
        ContextType.STRING, tuple(context_values), multi=multi or len(context_values) != 1
    )
    result, reason = evaluate_condition(
        cond, _ctx("arn:aws:iam::111122223333:user/a", ("test:key", value))
    )
    assert result in (Tri.YES, Tri.NO, Tri.UNKNOWN) and reason
    parsed = lookup(name)
    if (
        parsed.qualifier is SetQualifier.NONE
        and value.multi
        and value.values
        and not parsed.is_null
    ):
        assert result is Tri.UNKNOWN

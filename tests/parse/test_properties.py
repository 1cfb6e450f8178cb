"""hypothesis: the parser never raises, and parse∘serialize is a round trip."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.diagnostics import Diagnostic
from iamfence.model import PolicyType
from iamfence.parse import parse_policy, policy_to_json

KINDS = st.sampled_from(list(PolicyType))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
ELEMENT_NAMES = st.sampled_from(
    [
        "Version",
        "Id",
        "Statement",
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
        "AWS",
        "Service",
        "StringEquals",
        "Null",
        "x",
    ]
)
POLICY_SHAPED = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(["*", "Allow", "Deny", "s3:Get*", "arn:aws:s3:::b", "2012-10-17", ""]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(ELEMENT_NAMES, children, max_size=5)
    ),
    max_leaves=25,
)


def _check(result_diagnostics: tuple[Diagnostic, ...]) -> None:
    for d in result_diagnostics:
        assert d.code.startswith("IF1")
        assert isinstance(d.location.pointer, str)


@settings(max_examples=300, deadline=None)
@given(value=JSON_VALUES | POLICY_SHAPED, kind=KINDS)
def test_never_raises_on_json_values(value: Any, kind: PolicyType) -> None:
    result = parse_policy(json.dumps(value), kind=kind)
    _check(result.diagnostics)
    if isinstance(value, dict):
        mapping = parse_policy(value, kind=kind)
        assert {d.code for d in mapping.diagnostics} == {d.code for d in result.diagnostics}


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60), kind=KINDS)
def test_never_raises_on_text(text: str, kind: PolicyType) -> None:
    result = parse_policy(text, kind=kind)
    assert not result.ok or result.document is not None


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=60))
def test_never_raises_on_bytes(data: bytes) -> None:
    parse_policy(data)
    parse_policy(b'{"Version": "2012-10-17", "Statement": [' + data + b"]}")


# --- round trip on generated policies -----------------------------------------------------------
NAMES = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    min_size=1,
    max_size=10,
)
ACTIONS = st.builds(
    lambda s, a: f"{s}:{a}",
    st.sampled_from(["s3", "ec2", "iam", "sts", "execute-api"]),
    st.from_regex(r"[A-Za-z*?]{1,8}", fullmatch=True),
) | st.just("*")
RESOURCES = st.just("*") | st.builds(
    lambda s, r: f"arn:aws:{s}:::{r}", st.sampled_from(["s3", "sqs", "iam"]), NAMES
)
SCALARS = (
    st.text(max_size=6)
    | st.booleans()
    | st.integers(-1000, 1000)
    | st.floats(allow_nan=False, allow_infinity=False)
)
OPERATORS = st.sampled_from(
    [
        "StringEquals",
        "ForAnyValue:StringLike",
        "NumericLessThanIfExists",
        "Bool",
        "Null",
        "ArnLike",
        "IpAddress",
    ]
)
CONDITION = st.dictionaries(
    OPERATORS,
    st.dictionaries(
        st.builds(lambda n: f"aws:{n}", NAMES),
        st.lists(SCALARS, min_size=1, max_size=3).map(lambda v: v[0] if len(v) == 1 else v),
        min_size=1,
        max_size=2,
    ),
    max_size=3,
)


@st.composite
def statements(draw: st.DrawFn, kind: PolicyType) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if draw(st.booleans()):
        out["Sid"] = draw(NAMES)
    out["Effect"] = draw(st.sampled_from(["Allow", "Deny"]))
    if kind is PolicyType.RESOURCE:
        out["Principal"] = draw(
            st.just("*")
            | st.fixed_dictionaries(
                {
                    "AWS": st.lists(
                        st.from_regex(r"[0-9]{12}", fullmatch=True), min_size=1, max_size=3
                    )
                }
            )
        )
    out[draw(st.sampled_from(["Action", "NotAction"]))] = draw(
        st.lists(ACTIONS, min_size=1, max_size=3)
    )
    out[draw(st.sampled_from(["Resource", "NotResource"]))] = draw(
        st.lists(RESOURCES, min_size=1, max_size=3)
    )
    condition = draw(CONDITION)
    if condition:
        out["Condition"] = condition
    return out


@st.composite
def policies(draw: st.DrawFn) -> tuple[PolicyType, dict[str, Any]]:
    kind = draw(
        st.sampled_from([PolicyType.IDENTITY, PolicyType.RESOURCE, PolicyType.PERMISSIONS_BOUNDARY])
    )
    body = draw(st.lists(statements(kind), min_size=1, max_size=4))
    seen: set[str] = set()
    for statement in body:  # Sids must be unique
        if statement.get("Sid") in seen:
            del statement["Sid"]
        seen.add(statement.get("Sid", ""))
    doc: dict[str, Any] = {
        "Version": draw(st.sampled_from(["2012-10-17", "2008-10-17"])),
        "Statement": body,
    }
    if draw(st.booleans()):
        doc["Id"] = draw(NAMES)
    return kind, doc


@settings(max_examples=200, deadline=None)
@given(generated=policies())
def test_round_trip(generated: tuple[PolicyType, dict[str, Any]]) -> None:
    kind, raw = generated
    first = parse_policy(raw, kind=kind)
    assert first.ok, first.diagnostics
    assert first.document is not None
    text = policy_to_json(first.document)
    again = parse_policy(text, kind=kind)
    assert again.document == first.document
    assert policy_to_json(again.document) == text
    assert parse_policy(json.dumps(raw, indent=1), kind=kind).document == first.document


# --- mappings built in Python, inferred kinds, trust policies -----------------------------------
PY_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=6)
    | st.frozensets(st.integers(), max_size=2)
    | st.binary(max_size=3),
    lambda children: (
        st.lists(children, max_size=3)
        | st.tuples(children, children)
        | st.dictionaries(ELEMENT_NAMES | st.integers() | st.none(), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(ELEMENT_NAMES | st.integers(), PY_VALUES, max_size=4))
def test_never_raises_on_python_mappings(value: dict[Any, Any]) -> None:
    for kind in (None, PolicyType.TRUST):
        result = parse_policy(value, kind=kind)
        _check(result.diagnostics)
        assert (result.document is None) == (not result.ok)


@settings(max_examples=200, deadline=None)
@given(value=POLICY_SHAPED)
def test_inferred_kind_never_raises_and_is_reported(value: Any) -> None:
    result = parse_policy(json.dumps(value), kind=None)
    assert result.kind in set(PolicyType)
    if result.document is not None:
        assert parse_policy(json.dumps(value), kind=result.kind).document == result.document


PRINCIPAL_VALUES = st.one_of(
    st.just({"AWS": "*"}),
    st.fixed_dictionaries(
        {"AWS": st.lists(st.from_regex(r"[0-9]{12}", fullmatch=True), min_size=1, max_size=2)}
    ),
    st.fixed_dictionaries(
        {"Service": st.sampled_from(["ec2.amazonaws.com", "lambda.amazonaws.com"])},
        optional={"AWS": st.just("arn:aws:iam::111122223333:role/ci")},
    ),
    st.just({"Federated": "arn:aws:iam::111122223333:saml-provider/Corp"}),
)


@settings(max_examples=150, deadline=None)
@given(
    principals=st.lists(PRINCIPAL_VALUES, min_size=1, max_size=3),
    condition=CONDITION,
)
def test_trust_round_trip(principals: list[dict[str, Any]], condition: dict[str, Any]) -> None:
    statements = []
    for principal in principals:
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Principal": principal,
            "Action": ["sts:AssumeRole", "sts:TagSession"],
        }
        if condition:
            statement["Condition"] = condition
        statements.append(statement)
    raw = {"Version": "2012-10-17", "Statement": statements}
    first = parse_policy(raw, kind=PolicyType.TRUST)
    assert first.ok and first.document is not None, first.diagnostics
    again = parse_policy(policy_to_json(first.document, indent=2), kind=PolicyType.TRUST)
    assert again.document == first.document
    assert parse_policy(json.dumps(raw), kind=None).kind is PolicyType.TRUST

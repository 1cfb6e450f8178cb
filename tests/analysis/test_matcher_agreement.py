"""The catalog's action-pattern matcher agrees with the engine's (hypothesis), so catalog
expansion, the pattern reading of grants and the engine see the same actions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.catalog import Catalog, load_catalog
from iamfence.catalog.grants import statement_matches_action
from iamfence.engine.matchers import compile_actions
from iamfence.model import ActionSpec, Effect, ResourceSpec, Statement

_CHARS = st.sampled_from(list("s3:GetObjcLi*?[].aA "))
_PATTERN = st.text(_CHARS, min_size=1, max_size=10)
_ACTION = st.sampled_from(
    [
        "s3:GetObject",
        "s3:getobjectacl",
        "s3:ListBucket",
        "iam:PassRole",
        "s3express:GetObject",
        "ec2:DescribeInstances",
        "s3:Get[O]bject",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PATTERN, min_size=1, max_size=3), _ACTION, st.booleans())
def test_statement_matching_agrees_with_the_engine(
    patterns: list[str], action: str, negated: bool
) -> None:
    spec = ActionSpec(tuple(patterns), negated)
    statement = Statement(Effect.ALLOW, spec, ResourceSpec(("*",)))
    assert statement_matches_action(statement, action) == compile_actions(spec).matches(
        action.lower()
    )


_CATALOG: Catalog = load_catalog()


@pytest.mark.parametrize(
    "pattern",
    ["s3:Get*", "s3:*Object*", "iam:?assRole", "ec2:Describe*", "*:List*", "sts:*", "s3*"],
)
def test_expansion_is_what_the_engine_matches(pattern: str) -> None:
    matcher = compile_actions(ActionSpec((pattern,)))
    expected = {a for a in _CATALOG.expand("*") if matcher.matches(a.lower())}
    assert set(_CATALOG.expand(pattern)) == expected

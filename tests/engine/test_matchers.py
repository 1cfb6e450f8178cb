"""Action, resource and principal matchers, including hypothesis properties against a naive
character-by-character glob."""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.engine.matchers import (
    Grant,
    Tri,
    compile_actions,
    compile_principals,
    compile_resources,
)
from iamfence.engine.patterns import UNKNOWN, Var, parse_template
from iamfence.engine.principal import PrincipalClass, classify
from iamfence.model import ActionSpec, PrincipalEntry, PrincipalKind, PrincipalSpec, ResourceSpec


def naive_glob(pattern: str, text: str) -> bool:
    @cache
    def go(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(text)
        c = pattern[i]
        if c == "*":
            return go(i + 1, j) or (j < len(text) and go(i, j + 1))
        if j < len(text) and (c == "?" or c == text[j]):
            return go(i + 1, j + 1)
        return False

    return go(0, 0)


_CHARS = st.text(alphabet="ab*?:/", max_size=8)


@settings(max_examples=300, deadline=None)
@given(pattern=st.text(alphabet="abAB*?", max_size=6), action=st.text(alphabet="abAB", max_size=6))
def test_action_glob_matches_naive(pattern: str, action: str) -> None:
    matcher = compile_actions(ActionSpec((f"s3:{pattern}",)))
    expected = naive_glob(f"s3:{pattern}".lower(), f"s3:{action}".lower())
    assert matcher.matches(f"s3:{action}".lower()) is expected


@settings(max_examples=300, deadline=None)
@given(pattern=_CHARS, resource=st.text(alphabet="ab:/", max_size=8))
def test_resource_part_glob_matches_naive(pattern: str, resource: str) -> None:
    """Inside the resource part `*` spans `/` and `:` (segment six)."""
    matcher = compile_resources(ResourceSpec((f"arn:aws:s3:::{pattern}",)), variables=True)
    expected = naive_glob(pattern, resource)
    assert (matcher.matches(f"arn:aws:s3:::{resource}", None) is Tri.YES) is expected


def test_action_index_and_negation() -> None:
    m = compile_actions(ActionSpec(("s3:Get*", "ec2:DescribeInstances")))
    assert m.services == frozenset({"s3", "ec2"})
    assert m.matches("s3:getobject") and m.matches("ec2:describeinstances")
    assert not m.matches("ec2:runinstances")
    neg = compile_actions(ActionSpec(("iam:*",), negated=True))
    assert (
        neg.services is None and neg.matches("s3:getobject") and not neg.matches("iam:createuser")
    )
    assert compile_actions(ActionSpec(("*",))).services is None
    assert compile_actions(ActionSpec(("s*:get",))).services is None


def test_resource_segments() -> None:
    m = compile_resources(ResourceSpec(("arn:aws:ec2:*:111122223333:instance/*",)), variables=True)
    assert m.matches("arn:aws:ec2:us-east-1:111122223333:instance/i-1", None) is Tri.YES
    assert m.matches("arn:AWS:EC2:us-east-1:111122223333:instance/i-1", None) is Tri.YES
    assert m.matches("arn:aws:ec2:us-east-1:111122223333:Instance/i-1", None) is Tri.NO
    assert m.matches("arn:aws:ec2:us:east:111122223333:instance/i-1", None) is Tri.NO
    trailing = compile_resources(ResourceSpec(("arn:aws:s3:*",)), variables=True)
    assert trailing.matches("arn:aws:s3:::bucket/key", None) is Tri.YES
    notres = compile_resources(ResourceSpec(("arn:aws:s3:::b",), negated=True), variables=True)
    assert notres.matches("arn:aws:s3:::b", None) is Tri.NO
    assert notres.matches("arn:aws:s3:::c", None) is Tri.YES
    assert notres.matches("*", None) is Tri.YES


class _Lookup:
    def __init__(self, values: dict[str, object]) -> None:
        self.values = values

    def variable(self, key: str) -> object:
        return self.values.get(key)


def test_resource_variables() -> None:
    m = compile_resources(ResourceSpec(("arn:aws:s3:::home/${aws:username}/*",)), variables=True)
    assert m.matches("arn:aws:s3:::home/alice/x", _Lookup({"aws:username": "alice"})) is Tri.YES  # type: ignore[arg-type]
    assert m.matches("arn:aws:s3:::home/bob/x", _Lookup({"aws:username": "alice"})) is Tri.NO  # type: ignore[arg-type]
    assert m.matches("arn:aws:s3:::home//x", _Lookup({})) is Tri.NO  # type: ignore[arg-type]
    assert m.matches("arn:aws:s3:::home/a/x", _Lookup({"aws:username": UNKNOWN})) is Tri.UNKNOWN  # type: ignore[arg-type]
    literal = compile_resources(
        ResourceSpec(("arn:aws:s3:::home/${aws:username}/*",)), variables=False
    )
    assert literal.matches("arn:aws:s3:::home/${aws:username}/x", None) is Tri.YES


def test_templates() -> None:
    t = parse_template("a${*}b${aws:username}${x, 'd'}*", True)
    assert t.has_vars
    assert t.parts[1] == "*" and t.parts[3] == Var("aws:username") and t.parts[4] == Var("x", "d")
    assert not parse_template("a${b}", False).has_vars


def _spec(*entries: tuple[PrincipalKind, str], negated: bool = False) -> PrincipalSpec:
    return PrincipalSpec(tuple(PrincipalEntry(k, v) for k, v in entries), negated=negated)


SESSION = classify("arn:aws:sts::111122223333:assumed-role/app/s1")
USER = classify("arn:aws:iam::111122223333:user/path/alice")


def test_classify() -> None:
    assert (
        SESSION.kind is PrincipalClass.SESSION
        and SESSION.role_arn == "arn:aws:iam::111122223333:role/app"
    )
    assert (
        USER.kind is PrincipalClass.USER and USER.name == "alice" and USER.account == "111122223333"
    )
    assert classify("lambda.amazonaws.com").kind is PrincipalClass.SERVICE
    assert classify("*").kind is PrincipalClass.ANONYMOUS
    assert (
        classify("arn:aws:sts::111122223333:federated-user/bob").kind
        is PrincipalClass.FEDERATED_USER
    )
    assert classify("arn:aws:iam::111122223333:root").kind is PrincipalClass.ROOT


def test_principal_grants() -> None:
    aws = PrincipalKind.AWS
    assert compile_principals(_spec((aws, SESSION.text))).grant(SESSION, None) is Grant.DIRECT  # type: ignore[union-attr]
    assert (
        compile_principals(_spec((aws, "arn:aws:iam::111122223333:role/app"))).grant(SESSION, None)
        is Grant.ROLE
    )  # type: ignore[union-attr]
    assert (
        compile_principals(_spec((aws, "arn:aws:iam::111122223333:role/team/app"))).grant(
            SESSION, None
        )
        is Grant.ROLE
    )  # type: ignore[union-attr]
    assert compile_principals(_spec((aws, "111122223333"))).grant(USER, None) is Grant.ACCOUNT  # type: ignore[union-attr]
    assert (
        compile_principals(_spec((aws, "arn:aws:iam::111122223333:root"))).grant(USER, None)
        is Grant.ACCOUNT
    )  # type: ignore[union-attr]
    assert compile_principals(_spec((aws, "444455556666"))).grant(USER, None) is Grant.NONE  # type: ignore[union-attr]
    assert compile_principals(_spec((aws, "*"))).grant(classify("*"), None) is Grant.DIRECT  # type: ignore[union-attr]
    svc = compile_principals(_spec((PrincipalKind.SERVICE, "lambda.amazonaws.com")))
    assert svc is not None and svc.grant(classify("lambda.amazonaws.com"), None) is Grant.DIRECT
    assert svc.grant(USER, None) is Grant.NONE


def test_not_principal_excludes_only_full_chain() -> None:
    aws = PrincipalKind.AWS
    only_user = compile_principals(_spec((aws, USER.text), negated=True))
    both = compile_principals(_spec((aws, USER.text), (aws, "111122223333"), negated=True))
    assert only_user is not None and not only_user.excludes(USER, None)
    assert both is not None and both.excludes(USER, None)
    assert only_user.mentions(USER, None)

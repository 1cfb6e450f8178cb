import pytest

from iamfence.errors import InvalidInputError
from iamfence.model import ContextType
from iamfence.testing import APP_ROLE, Category, DesignNames, Expectation, design_tests, user_tests
from iamfence.testing.names import session_arn

from .designs import hand_design


def names() -> DesignNames:
    return DesignNames(hand_design(), "eu-west-1")


def test_valid_tests_become_cases_with_typed_context() -> None:
    items = [
        {
            "name": "app may read its bucket",
            "principal": "app-role",
            "action": "s3:GetObject",
            "resource": "arn:aws:s3:::b/k",
            "context": {
                "aws:SecureTransport": True,
                "aws:MultiFactorAuthAge": 30,
                "aws:TagKeys": ["a", "b"],
            },
            "expect": "allow",
        },
        {
            "name": "explicit arn",
            "principal": "arn:aws:iam::111122223333:user/bob",
            "action": "s3:DeleteBucket",
            "resource": "*",
            "expect": "DENY",
        },
    ]
    first, second = user_tests(items, names(), file="t.yaml")
    assert first.category is Category.USER and first.principal == APP_ROLE
    assert first.request.principal == session_arn(
        "arn:aws:iam::111122223333:role/app-iamfence-test"
    )
    assert first.expect is Expectation.ALLOW
    ctx = dict(first.request.context)
    assert ctx["aws:SecureTransport"].type is ContextType.BOOL
    assert ctx["aws:SecureTransport"].values == ("true",)
    assert ctx["aws:MultiFactorAuthAge"].type is ContextType.NUMBER
    assert ctx["aws:TagKeys"].multi and ctx["aws:TagKeys"].values == ("a", "b")
    assert second.request.principal == "arn:aws:iam::111122223333:user/bob"
    assert second.expect is Expectation.DENY


def test_every_problem_is_reported_with_its_pointer() -> None:
    items = [
        {
            "name": "x",
            "principal": "developer",
            "action": "s3:GetObject",
            "resource": "*",
            "expect": "maybe",
        },
        {
            "name": "y",
            "principal": "developer",
            "resource": "*",
            "expect": "allow",
            "colour": "red",
        },
        "not an object",
        {
            "name": "z",
            "principal": "developer",
            "action": "a:b",
            "resource": "*",
            "expect": "deny",
            "context": {"k": {"x": 1}},
        },
    ]
    with pytest.raises(InvalidInputError) as caught:
        user_tests(items, names(), file="t.yaml", base="/tests")
    found = {(d.code, d.location.pointer) for d in caught.value.diagnostics}  # type: ignore[attr-defined]
    assert found == {
        ("IF605", "/tests/0/expect"),
        ("IF604", "/tests/1/colour"),
        ("IF602", "/tests/1/action"),
        ("IF601", "/tests/2"),
        ("IF606", "/tests/3/context/k"),
    }
    assert all(d.location.file == "t.yaml" for d in caught.value.diagnostics)  # type: ignore[attr-defined]


def test_not_a_list_is_an_error() -> None:
    with pytest.raises(InvalidInputError):
        user_tests({"name": "x"}, names())


def test_design_tests_keep_spec_order_and_expectations() -> None:
    from iamfence.model import DesignTest

    design = hand_design(
        tests=(
            DesignTest(
                "a", "developer", "iam:CreateRole", "arn:aws:iam::111122223333:role/app-a", (), True
            ),
            DesignTest("b", "app-role", "iam:DeletePolicy", "*", (), False),
        )
    )
    cases = design_tests(design, DesignNames(design, "eu-west-1"))
    assert [c.name for c in cases] == ["a", "b"]
    assert [c.expect for c in cases] == [Expectation.ALLOW, Expectation.DENY]

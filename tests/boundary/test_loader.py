"""Spec loading: located IF4xx diagnostics (data/spec_errors.yaml) and typed values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.boundary import ACCOUNT_PLACEHOLDER, build_design, load_spec, profile_text
from iamfence.catalog.types import AccessLevel
from iamfence.diagnostics import Diagnostic
from iamfence.errors import InvalidInputError
from iamfence.model import ContextType

from .helpers import PROFILES, catalog

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "spec_errors.yaml").read_text()
)["cases"]


def _diagnostics(exc: InvalidInputError) -> list[Diagnostic]:
    found = [d for d in exc.diagnostics if isinstance(d, Diagnostic)]
    assert len(found) == len(exc.diagnostics)
    return found


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_spec_error_is_located(case: dict[str, Any]) -> None:
    with pytest.raises(InvalidInputError) as info:
        spec = load_spec(case["text"], "spec.yaml")
        assert case.get("build"), "the spec loaded but the case expects a load error"
        build_design(spec, catalog())
    first = _diagnostics(info.value)[0]
    loc = first.location
    assert (first.code, loc.pointer, loc.line, loc.column) == (
        case["code"],
        case["pointer"],
        case["line"],
        case["column"],
    )
    assert loc.file == "spec.yaml"
    assert str(first).startswith(f"spec.yaml:{case['line']}:{case['column']} {case['code']} ")


def test_all_errors_reported_at_once() -> None:
    text = "version: iamfence/v1\nservces: []\nrole_prefix: 7\nservices: [{service: s3, access: [x]}]\n"
    with pytest.raises(InvalidInputError) as info:
        load_spec(text, "s.yaml")
    codes = [(d.code, d.location.pointer) for d in _diagnostics(info.value)]
    assert codes == [
        ("IF404", "/servces"),
        ("IF406", "/role_prefix"),
        ("IF406", "/services/0/access/0"),
    ]


def test_defaults_and_typed_values() -> None:
    spec = load_spec(
        "version: iamfence/v1\nservices: [{service: s3, access: [read, list, read]}]\n"
        "tests:\n  - {name: t, principal: app-role, action: 's3:GetObject', resource: '*',"
        " context: {aws:SecureTransport: true, aws:TagKeys: [a, b], n: 3}, expect: deny}\n",
        "s.yaml",
    )
    assert spec.account_id is None and spec.account == ACCOUNT_PLACEHOLDER
    assert (spec.role_prefix, spec.role_path, spec.partition) == ("app-", "/", "aws")
    assert spec.self_propagating is True and spec.user_management is False
    assert spec.services[0].access == (AccessLevel.READ, AccessLevel.LIST)
    test = spec.tests[0]
    assert test.expect_allow is False
    ctx = dict(test.context)
    assert ctx["aws:SecureTransport"].type is ContextType.BOOL
    assert ctx["aws:TagKeys"].values == ("a", "b") and ctx["aws:TagKeys"].multi
    assert ctx["n"].type is ContextType.NUMBER
    assert spec.location("/services/0/access/1").line == 2


@pytest.mark.parametrize("profile", PROFILES)
def test_profiles_are_valid_specs(profile: str) -> None:
    spec = load_spec(profile_text(profile, "111122223333"), "p.yaml")
    assert spec.account_id == "111122223333"
    assert spec.tests and spec.services and spec.pass_role_services
    assert load_spec(profile_text(profile), "p.yaml").account_id is None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        load_spec(text, "fuzz.yaml")
    except InvalidInputError as exc:
        assert exc.diagnostics and all(d.code.startswith("IF4") for d in _diagnostics(exc))

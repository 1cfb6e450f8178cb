"""Every design the authoring tests build passes its own battery, and the battery follows the spec:
scoped grants (`resources:`), no pass-role services, user management."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from iamfence.boundary import build_design, load_spec
from iamfence.catalog import load_catalog
from iamfence.model import BoundaryDesign
from iamfence.testing import Expectation, generate_battery, run_local

DATA = Path(__file__).resolve().parent.parent / "boundary" / "data"
SPECS = [DATA / "scoped.yaml", *sorted((DATA / "specs").glob("*.yaml"))]


def _design(path: Path) -> BoundaryDesign:
    raw = yaml.safe_load(path.read_text())
    text = raw["spec"] if isinstance(raw, dict) and "spec" in raw else path.read_text()
    spec = load_spec(text, str(path))
    return build_design(spec.with_account_id(spec.account_id or "111122223333"), load_catalog())


@pytest.mark.parametrize("path", SPECS, ids=[p.stem for p in SPECS])
def test_built_designs_pass_their_battery(path: Path) -> None:
    design = _design(path)
    report = run_local(design, generate_battery(design, load_catalog()))
    assert report.ok, [o.case.name for o in report.failures]


def test_a_scoped_grant_is_tested_inside_and_outside_its_resources() -> None:
    design = _design(DATA / "scoped.yaml")
    cases = generate_battery(design, load_catalog())
    (scope,) = [g.resources for g in design.services if g.service == "lambda"]
    inside = [
        c
        for c in cases
        if c.request.action.startswith("lambda:")
        and c.expect is Expectation.ALLOW
        and c.request.resource != "*"
    ]
    outside = [c for c in cases if c.name.endswith("outside the granted resources")]
    assert inside and all(
        c.request.resource.startswith(scope[0].rstrip("*").replace(":*:", ":eu-west-1:"))
        for c in inside
    )
    assert outside and all(
        ":function:iamfence-outside" in c.request.resource and c.expect is Expectation.DENY
        for c in outside
    )


def test_no_pass_role_services_means_pass_role_is_denied() -> None:
    design = _design(DATA / "scoped.yaml")
    assert design.pass_role_services == ()
    pass_cases = [
        c for c in generate_battery(design, load_catalog()) if c.request.action == "iam:PassRole"
    ]
    assert pass_cases and all(c.expect is Expectation.DENY for c in pass_cases)

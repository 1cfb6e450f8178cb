"""The battery must be able to fail (issue 6, item 5): remove each guard statement of a generated
boundary and developer policy in turn, and the battery must catch every removal.

A deny guard is defence in depth: it must hold on its own, whatever else is allowed, and the generated
denies overlap (DenyOutsidePrefix also covers the boundary policy's ARN, for instance), so removing one
of two overlapping denies changes no decision and no battery could see it. Each deny is therefore
tested as the only line of defence, in the worst case it exists for: every other deny of its document
removed, and the allows widened:
- a boundary deny, with an `Allow *` statement added to the boundary;
- a developer-policy deny, for a developer who also holds `Allow *` and carries no boundary.
Removing the deny must then let through a request of the battery that it denied before.
An allow statement is removed as generated, and some allowed case must then be denied."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pytest

from iamfence.boundary import build_design, load_spec, profile_names, profile_text
from iamfence.catalog import load_catalog
from iamfence.engine import PolicySet, compile_policies
from iamfence.model import BoundaryDesign, Effect, NamedPolicy, PolicyDocument, PolicyType
from iamfence.testing import APP_ROLE, Expectation, Status, TestCase, generate_battery, run_local
from iamfence.testing.local import WIDEST_IDENTITY, principal_kind


@cache
def _built(profile: str) -> tuple[BoundaryDesign, tuple[TestCase, ...]]:
    catalog = load_catalog()
    design = build_design(
        load_spec(profile_text(profile, "111122223333"), f"{profile}.yaml"), catalog
    )
    return design, generate_battery(design, catalog)


def _without(document: PolicyDocument, index: int) -> PolicyDocument:
    return replace(
        document, statements=document.statements[:index] + document.statements[index + 1 :]
    )


def _widened(document: PolicyDocument) -> PolicyDocument:
    return replace(
        document, statements=(*document.statements, *WIDEST_IDENTITY.document.statements)
    )


def _denied(
    cases: tuple[TestCase, ...], policies_for: dict[str, PolicySet], design: BoundaryDesign
) -> set[str]:
    """Names of the deny-expected cases that these policies deny."""
    engines = {kind: compile_policies(p) for kind, p in policies_for.items()}
    out = set()
    for case in cases:
        if case.expect is not Expectation.DENY:
            continue
        result = engines[principal_kind(design, case.principal)].authorize(case.request)
        if result.decision.denied:
            out.add(case.name)
    return out


def _boundary_stress(design: BoundaryDesign, boundary: PolicyDocument) -> dict[str, PolicySet]:
    named = NamedPolicy("boundary", _widened(boundary), PolicyType.PERMISSIONS_BOUNDARY)
    developer = NamedPolicy("developer", design.developer_policy)
    return {
        APP_ROLE: PolicySet(identity=(WIDEST_IDENTITY,), permissions_boundary=named),
        "developer": PolicySet(identity=(developer, WIDEST_IDENTITY), permissions_boundary=named),
    }


def _developer_stress(
    design: BoundaryDesign, developer_policy: PolicyDocument
) -> dict[str, PolicySet]:
    developer = PolicySet(identity=(NamedPolicy("developer", developer_policy), WIDEST_IDENTITY))
    boundary = NamedPolicy("boundary", design.boundary_policy, PolicyType.PERMISSIONS_BOUNDARY)
    return {
        APP_ROLE: PolicySet(identity=(WIDEST_IDENTITY,), permissions_boundary=boundary),
        "developer": developer,
    }


def _statements(profile: str) -> list[tuple[str, str, int]]:
    design, _ = _built(profile)
    return [
        (profile, field, i)
        for field in ("boundary_policy", "developer_policy")
        for i in range(len(getattr(design, field).statements))
    ]


ALL = [s for p in profile_names() for s in _statements(p)]


@pytest.mark.parametrize(
    ("profile", "field", "index"), ALL, ids=[f"{p}-{f}-{i}" for p, f, i in ALL]
)
def test_the_battery_catches_the_removal_of_every_statement(
    profile: str, field: str, index: int
) -> None:
    design, cases = _built(profile)
    document: PolicyDocument = getattr(design, field)
    statement = document.statements[index]
    mutant_document = _without(document, index)
    if statement.effect is Effect.ALLOW:
        report = run_local(replace(design, **{field: mutant_document}), cases)
        caught = [o.case.name for o in report.failures if o.case.expect is Expectation.ALLOW]
        assert caught, f"removing allow statement {statement.sid} of the {field} went unnoticed"
        return
    stress = _boundary_stress if field == "boundary_policy" else _developer_stress
    only_this_deny = replace(
        document,
        statements=tuple(
            s for i, s in enumerate(document.statements) if s.effect is Effect.ALLOW or i == index
        ),
    )
    no_deny = _without(only_this_deny, only_this_deny.statements.index(statement))
    before = _denied(cases, stress(design, only_this_deny), design)
    after = _denied(cases, stress(design, no_deny), design)
    assert before - after, f"removing deny statement {statement.sid} of the {field} went unnoticed"


def test_generated_designs_pass_their_own_battery() -> None:
    for profile in profile_names():
        design, cases = _built(profile)
        report = run_local(design, cases)
        assert report.ok, [o.case.name for o in report.failures]
        assert report.count(Status.PASSED) == len(cases) > 100

"""Every corpus case through the real engine (iamfence.engine.authorize) via the case-file loader."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine_corpus.corpus import RawCase, for_loader, raw_cases

try:
    from iamfence.engine import authorize
    from iamfence.parse.cases import load_cases
except ImportError as exc:  # the engine or loader is not there yet
    pytest.skip(f"engine or case loader not importable: {exc}", allow_module_level=True)

CASES = raw_cases()

_COARSE = (
    "engine answers Indeterminate whenever a value uses a variable whose value is unknown "
    "(aws:PrincipalArn of a role session), although the rest of the statement already decides"
)
KNOWN_ENGINE_DISAGREEMENTS: dict[str, str] = {
    "var/unknown-variable-missing-key-decidable": _COARSE,
    "var/unknown-variable-other-service-decidable": _COARSE,
}
"""Case id -> why the engine differs (strict xfail, so a fix is noticed). Found and fixed so far:
cond-null/always-present-key-is-present (Null on an always-present key was Indeterminate)."""


def _params() -> list[Any]:
    out = []
    for c in CASES:
        reason = KNOWN_ENGINE_DISAGREEMENTS.get(c.id)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(c, id=c.id, marks=marks))
    return out


def _load(case: RawCase) -> Any:
    (loaded,) = load_cases([for_loader(case.data)], file=str(case.file))
    return loaded


def test_loader_reads_every_case() -> None:
    loaded = load_cases([for_loader(c.data) for c in CASES], file="corpus")
    assert len(loaded) == len(CASES) >= 250
    assert [c.id for c in loaded] == [c.id for c in CASES]
    assert all(
        c.expect is not None and c.expect.value == r.data["expect"]
        for c, r in zip(loaded, CASES, strict=True)
    )


@pytest.mark.parametrize("case", _params())
def test_engine_agrees_with_corpus(case: RawCase) -> None:
    loaded = _load(case)
    result = authorize(loaded.request, loaded.policies)
    assert result.decision.value == case.data["expect"], (
        f"{case.id}: expected {case.data['expect']}, engine said {result.decision.value} "
        f"({result.reason}); {case.data['why']} [{case.data['cite']}]"
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_explanation_carries_evidence(case: RawCase) -> None:
    """A denial names what blocked it, a decision names its deciding statements, an Indeterminate
    gives its reason; where the case says which policy types blocked, exactly those."""
    loaded = _load(case)
    result = authorize(loaded.request, loaded.policies, explain=True)
    explanation = result.explanation
    assert explanation is not None
    decision = result.decision.value
    if decision in ("ExplicitDeny", "Allow"):
        assert explanation.deciding, "no deciding statements"
    if decision in ("ExplicitDeny", "ImplicitDeny"):
        assert explanation.blocked_by, "no blocking policy type"
    if decision == "Allow":
        assert not explanation.blocked_by
    if decision == "Indeterminate":
        assert result.reason
    if "blocked_by" in case.data:
        assert sorted(t.value for t in explanation.blocked_by) == sorted(case.data["blocked_by"])
    if decision == "ExplicitDeny":
        types = {ref.policy_type.value for ref in explanation.deciding}
        assert types <= {t.value for t in explanation.blocked_by} | {"trust"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fast_path_agrees_with_explained_path(case: RawCase) -> None:
    loaded = _load(case)
    fast = authorize(loaded.request, loaded.policies, explain=False)
    slow = authorize(loaded.request, loaded.policies, explain=True)
    assert fast.decision is slow.decision

"""Solver outcomes: a counterexample the engine does not confirm is a bug (InternalError); a
solver timeout is UNKNOWN, never HOLDS."""

from __future__ import annotations

import pytest

from iamfence.engine.types import PolicySet
from iamfence.errors import InternalError
from iamfence.model import (
    ActionSpec,
    Effect,
    NamedPolicy,
    PolicyDocument,
    Request,
    ResourceSpec,
    Statement,
)
from iamfence.symbolic import Query, ResourceTarget, Verdict, can_allow, replay
from iamfence.symbolic import solve as solve_module
from iamfence.symbolic.z3_backend import SolverOutcome, SolverStatus

PRINCIPAL = "arn:aws:iam::111122223333:role/dev"
ALLOW_S3 = PolicySet(
    identity=(
        NamedPolicy(
            "id",
            PolicyDocument((Statement(Effect.ALLOW, ActionSpec(("s3:*",)), ResourceSpec(("*",))),)),
        ),
    )
)
QUERY = Query(PRINCIPAL, ("s3:GetObject",), ResourceTarget("arn:aws:s3:::*"))


def test_replay_raises_on_disagreement() -> None:
    denied = Request(
        PRINCIPAL, "ec2:RunInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-1"
    )
    with pytest.raises(InternalError, match="not confirmed by the engine"):
        replay(denied, ALLOW_S3, expect_allowed=True)
    allowed = Request(PRINCIPAL, "s3:GetObject", "arn:aws:s3:::b/k")
    with pytest.raises(InternalError):
        replay(allowed, ALLOW_S3, expect_allowed=False)
    assert replay(allowed, ALLOW_S3, expect_allowed=True)  # evidence: the deciding statement


def test_solver_timeout_is_unknown_never_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    def timed_out(constraints: object, timeout_ms: int) -> SolverOutcome:
        return SolverOutcome(SolverStatus.UNKNOWN, reason="solver: timeout")

    monkeypatch.setattr(solve_module, "check", timed_out)
    result = can_allow(ALLOW_S3, QUERY, timeout=0.01)
    assert result.verdict is Verdict.UNKNOWN
    assert result.reason is not None and "timeout" in result.reason


def test_bad_counterexample_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the encoder were wrong, the replay would catch it: fake a model the engine denies."""
    real_request = solve_module.Encoding.request

    def wrong_action(self: solve_module.Encoding, model: object) -> Request:
        request = real_request(self, model)
        return Request(request.principal, "ec2:RunInstances", request.resource, request.context)

    monkeypatch.setattr(solve_module.Encoding, "request", wrong_action)
    with pytest.raises(InternalError):
        can_allow(ALLOW_S3, QUERY)


def test_holds_and_violated_on_a_tiny_policy() -> None:
    assert can_allow(ALLOW_S3, QUERY).verdict is Verdict.VIOLATED
    other = Query(PRINCIPAL, ("ec2:RunInstances",), ResourceTarget("*"))
    assert can_allow(ALLOW_S3, other).verdict is Verdict.HOLDS

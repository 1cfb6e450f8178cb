"""Queries to verdicts: encode, solve with a timeout, extract a counterexample, replay it.

Every counterexample is replayed through the concrete engine before it is reported; when the
engine disagrees, that is a bug in one of the two and `InternalError` is raised (never a report)."""

from __future__ import annotations

import time
from collections.abc import Callable

from iamfence.engine import Decision, authorize
from iamfence.engine.types import PolicySet, StatementRef
from iamfence.errors import InternalError
from iamfence.model import Request
from iamfence.symbolic.combine import allowed
from iamfence.symbolic.encode import Encoding
from iamfence.symbolic.types import (
    ProofReport,
    Property,
    PropertyResult,
    Query,
    QueryResult,
    Verdict,
)
from iamfence.symbolic.values import Unsupported
from iamfence.symbolic.z3_backend import Expr, SolverOutcome, SolverStatus, check, neg

DEFAULT_TIMEOUT_SECONDS = 5.0

Clock = Callable[[], float]


def replay(
    request: Request, policies: PolicySet, *, expect_allowed: bool
) -> tuple[StatementRef, ...]:
    """Confirm a counterexample with the engine; a disagreement raises InternalError. Returns the
    statements the engine names as deciding (the evidence)."""
    result = authorize(request, policies, explain=True)
    deciding = result.explanation.deciding if result.explanation is not None else ()
    if expect_allowed and result.decision is Decision.ALLOW:
        return deciding
    if not expect_allowed and result.decision.denied:
        return deciding
    wanted = "Allow" if expect_allowed else "a denial"
    raise InternalError(
        f"symbolic counterexample not confirmed by the engine: expected {wanted}, engine says "
        f"{result.decision.value} ({result.reason or 'no reason'}) for {request!r}"
    )


def _solve(
    constraints: list[Expr], preferences: tuple[list[Expr], list[Expr]], timeout: float
) -> SolverOutcome:
    """Decide; when satisfiable, look for a model that also meets the readability preferences
    (all of them at once, else as many resource hints as can hold together)."""
    outcome = check(constraints, int(timeout * 1000))
    if outcome.status is not SolverStatus.SAT:
        return outcome
    resource, context = preferences
    best = outcome
    nicer = check([*constraints, *resource, *context], int(timeout * 1000))
    if nicer.status is SolverStatus.SAT:
        return nicer
    kept: list[Expr] = []
    for hint in resource:  # greedily keep the hints that can hold together
        trial = check([*constraints, *kept, hint], int(timeout * 1000))
        if trial.status is SolverStatus.SAT:
            kept.append(hint)
            best = trial
    return best


def can_allow(
    policies: PolicySet,
    query: Query,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    clock: Clock = time.perf_counter,
) -> QueryResult:
    """Can any request matching `query` be allowed by `policies`? One solver call per action
    (actions fixed per query); the first confirmed counterexample wins."""
    started = clock()
    reasons: list[str] = []
    for action in query.actions:
        try:
            enc = Encoding((policies,), query.principal, action, query.requirements, query.resource)
            formula = allowed(enc, policies)
            if formula is False:  # no statement can allow this action: proven without a solver
                continue
            constraints = [*enc.domain, formula, *enc.target(query)]
        except Unsupported as exc:
            reasons.append(f"{action}: {exc.reason}")
            continue
        outcome = _solve(constraints, enc.preferences(), timeout)
        if outcome.status is SolverStatus.SAT:
            request = enc.request(outcome.model)
            evidence = replay(request, policies, expect_allowed=True)
            return QueryResult(Verdict.VIOLATED, request, None, clock() - started, evidence)
        if outcome.status is SolverStatus.UNKNOWN:
            reasons.append(f"{action}: {outcome.reason}")
    if reasons:
        return QueryResult(Verdict.UNKNOWN, None, "; ".join(reasons), clock() - started)
    return QueryResult(Verdict.HOLDS, None, None, clock() - started)


def check_property(
    prop: Property, *, timeout: float = DEFAULT_TIMEOUT_SECONDS, clock: Clock = time.perf_counter
) -> PropertyResult:
    result = can_allow(prop.policies, prop.query, timeout=timeout, clock=clock)
    return PropertyResult(
        prop.id,
        prop.title,
        result.verdict,
        result.counterexample,
        prop.policies,
        result.reason,
        result.seconds,
        result.allowed_by,
    )


def differs(
    new: PolicySet,
    old: PolicySet,
    principal: str,
    action: str,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    exclude: tuple[tuple[str, ...], frozenset[tuple[bool, ...]]] = ((), frozenset()),
) -> QueryResult:
    """Is there a request for `action` (a name, or a pattern: then any matching action whose
    match vector over `exclude[0]` is none of `exclude[1]`) that `new` allows and `old` not?"""
    started = time.perf_counter()
    try:
        enc = Encoding((new, old), principal, action)
        constraints = [*enc.domain, allowed(enc, new), neg(allowed(enc, old))]
        constraints.extend(enc.exclude_signatures(*exclude))
    except Unsupported as exc:
        return QueryResult(Verdict.UNKNOWN, None, exc.reason, time.perf_counter() - started)
    outcome = _solve(constraints, enc.preferences(), timeout)
    if outcome.status is SolverStatus.SAT:
        request = enc.request(outcome.model)
        evidence = replay(request, new, expect_allowed=True)
        replay(request, old, expect_allowed=False)
        seconds = time.perf_counter() - started
        return QueryResult(Verdict.VIOLATED, request, None, seconds, evidence)
    if outcome.status is SolverStatus.UNKNOWN:
        return QueryResult(Verdict.UNKNOWN, None, outcome.reason, time.perf_counter() - started)
    return QueryResult(Verdict.HOLDS, None, None, time.perf_counter() - started)


def prove_properties(
    properties: tuple[Property, ...],
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    clock: Clock = time.perf_counter,
) -> ProofReport:
    """Check every property (each query with its own timeout)."""
    return ProofReport(tuple(check_property(p, timeout=timeout, clock=clock) for p in properties))

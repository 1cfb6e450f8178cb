"""Properties of the analysis on synthetic accounts: an explicit deny of everything on a principal
leaves it no path (explicit deny wins, IAM UG "Policy evaluation logic"), and every reported step
is backed by an engine decision for that step's principal."""

from __future__ import annotations

from dataclasses import replace

from benchmarks.synthetic import synthetic_account
from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.account import load_snapshot
from iamfence.escalation import Certainty, analyze
from iamfence.model import ActionSpec, Effect, NamedPolicy, PolicyDocument, ResourceSpec, Statement

DENY_ALL = NamedPolicy(
    "test#deny-all",
    PolicyDocument((Statement(Effect.DENY, ActionSpec(("*",)), ResourceSpec(("*",))),)),
)


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_deny_everything_removes_every_path(seed: int) -> None:
    snapshot = load_snapshot(synthetic_account(60, 15, seed, "arn:aws:iam::111122223333:policy/b"))
    report = analyze(snapshot)
    escalating = [p.arn for p in report.principals if p.escalates]
    for result in report.principals:
        for path in result.paths:
            for edge in path.steps:
                assert edge.checks, edge.technique.id
                for check in edge.checks:
                    assert (
                        check.decision.value in ("Allow", "Indeterminate")
                        or edge.certainty is Certainty.POSSIBLE
                    )
    if not escalating:
        return
    victim = escalating[seed % len(escalating)]
    roles = tuple(
        replace(r, inline_policies=(*r.inline_policies, DENY_ALL)) if r.arn == victim else r
        for r in snapshot.roles
    )
    users = tuple(
        replace(u, inline_policies=(*u.inline_policies, DENY_ALL)) if u.arn == victim else u
        for u in snapshot.users
    )
    fenced = analyze(replace(snapshot, roles=roles, users=users), principals=(victim,))
    (only,) = fenced.principals
    assert not only.escalates, [(e.technique.id, e.target.arn) for p in only.paths for e in p.steps]

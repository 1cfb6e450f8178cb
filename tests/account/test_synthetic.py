"""The synthetic account generator the benchmarks share: deterministic, loadable, sized."""

from __future__ import annotations

from benchmarks.synthetic import synthetic_account

from iamfence.account import load_snapshot

BOUNDARY = "arn:aws:iam::111122223333:policy/developer-boundary"


def test_generator_is_deterministic_and_loads() -> None:
    data = synthetic_account(200, 40, 5, BOUNDARY)
    assert data == synthetic_account(200, 40, 5, BOUNDARY)
    assert data != synthetic_account(200, 40, 6, BOUNDARY)
    snap = load_snapshot(data, file="synthetic")
    assert len(snap.roles) == 200
    assert len(snap.users) == 20
    assert len(snap.policies) == 40 + 3  # customer + AdministratorAccess, ReadOnlyAccess + boundary
    bounded = [p for p in snap.principals if p.permissions_boundary_arn == BOUNDARY]
    assert 0 < len(bounded) < len(snap.principals)
    assert not [d for d in snap.diagnostics if d.code != "IF517"]


def test_no_boundary_when_none_is_given() -> None:
    snap = load_snapshot(synthetic_account(50, 5, 1, None))
    assert all(p.permissions_boundary_arn is None for p in snap.principals)
    assert len(snap.policies) == 5 + 2

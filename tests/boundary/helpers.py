"""Shared helpers of the boundary tests: building profile designs and engine policy sets."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from iamfence.boundary import build_design, load_spec, profile_names, profile_text
from iamfence.catalog import Catalog, load_catalog
from iamfence.engine import PolicySet
from iamfence.model import (
    ActionSpec,
    BoundaryDesign,
    Effect,
    NamedPolicy,
    PolicyDocument,
    PolicyType,
    ResourceSpec,
    Statement,
)

ACCOUNT = "111122223333"
PROFILES = profile_names()


@cache
def catalog() -> Catalog:
    return load_catalog()


SPECS = Path(__file__).parent / "data" / "specs"
DATA_SPECS = tuple(sorted(p.stem for p in SPECS.glob("*.yaml")))
"""Test specs beside the profiles (data/specs/NAME.yaml, account 111122223333)."""


@cache
def design(profile: str, account: str | None = ACCOUNT) -> BoundaryDesign:
    """The design of a built-in profile, or of a data spec (whose account is fixed)."""
    if profile in DATA_SPECS:
        path = SPECS / f"{profile}.yaml"
        return build_design(load_spec(path.read_text(), str(path)), catalog())
    return build_design(load_spec(profile_text(profile, account), f"{profile}.yaml"), catalog())


def design_of(text: str, file: str = "spec.yaml") -> BoundaryDesign:
    return build_design(load_spec(text, file), catalog())


ADMIN = PolicyDocument(
    (Statement(Effect.ALLOW, ActionSpec(("*",)), ResourceSpec(("*",)), sid="Admin"),)
)
"""The widest identity policy a developer could attach to a role it created."""


def policy_sets(d: BoundaryDesign) -> dict[str, PolicySet]:
    boundary = NamedPolicy(
        d.boundary_policy_arn, d.boundary_policy, PolicyType.PERMISSIONS_BOUNDARY
    )
    developer = NamedPolicy(d.developer_policy_arn, d.developer_policy, PolicyType.IDENTITY)
    admin = NamedPolicy("app-admin", ADMIN, PolicyType.IDENTITY)
    return {
        "developer": PolicySet(
            identity=(developer,), permissions_boundary=boundary if d.self_propagating else None
        ),
        "app-role": PolicySet(identity=(admin,), permissions_boundary=boundary),
    }


def principal_arn(d: BoundaryDesign, who: str) -> str:
    if who == "developer":
        return f"arn:{d.partition}:sts::{d.account_id}:assumed-role/developer/alice"
    return f"arn:{d.partition}:sts::{d.account_id}:assumed-role/{d.role_prefix}web/app"

"""Property: the developer may write exactly the roles at `role_path` whose name starts with the
prefix, whatever the path (no smuggling through '/'), for the default path and a custom one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.model import BoundaryDesign, ContextValue, Request

from .helpers import design_of, policy_sets, principal_arn

engine = pytest.importorskip("iamfence.engine")

SPEC = """\
version: iamfence/v1
account_id: "111122223333"
services: [{service: sqs, access: [read]}]
"""
DESIGNS = {
    "/": design_of(SPEC),
    "/team/": design_of(SPEC + "role_path: /team/\n"),
}
PIECES = ["app-", "app-x", "app", "x", "team", "App-"]
segments = st.lists(st.sampled_from(PIECES), max_size=3)
names = st.builds(
    "".join, st.lists(st.sampled_from(["app-", "x", "web", "app", "-"]), min_size=1, max_size=3)
)
ACTIONS = [
    "iam:CreateRole",
    "iam:PutRolePolicy",
    "iam:AttachRolePolicy",
    "iam:UpdateAssumeRolePolicy",
]


def _writable(d: BoundaryDesign, path: str, name: str) -> bool:
    return path == d.role_path and name.startswith(d.role_prefix)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(sorted(DESIGNS)), segments, names, st.sampled_from(ACTIONS))
def test_exactly_the_prefix_roles_are_writable(
    which: str, parts: list[str], name: str, action: str
) -> None:
    d = DESIGNS[which]
    path = "/" + "".join(p + "/" for p in parts)
    arn = f"arn:aws:iam::{d.account_id}:role{path}{name}"
    request = Request(
        principal_arn(d, "developer"),
        action,
        arn,
        (("iam:PermissionsBoundary", ContextValue.string(d.boundary_policy_arn)),),
    )
    result = engine.authorize(request, policy_sets(d)["developer"], explain=False)
    assert result.allowed is _writable(d, path, name), (arn, result.decision)

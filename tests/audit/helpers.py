"""Build account snapshots and policy documents from the compact YAML forms of tests/audit/cases."""

from __future__ import annotations

from typing import Any

from iamfence.account.model import AccountSnapshot, ManagedPolicy, PolicyVersion, Role, User
from iamfence.model import ActionSpec, Effect, PolicyDocument, ResourceSpec, Statement


def document(compact: dict[str, list[str]]) -> PolicyDocument:
    """{Allow: [actions], Deny: [actions], NotAllow: [actions]} -> a document on Resource "*"."""
    statements = []
    for key, actions in compact.items():
        effect = Effect.DENY if key.endswith("Deny") else Effect.ALLOW
        negated = key.startswith("Not")
        statements.append(
            Statement(effect, ActionSpec(tuple(actions), negated), ResourceSpec(("*",)), sid=key)
        )
    return PolicyDocument(tuple(statements))


def snapshot(case: dict[str, Any]) -> AccountSnapshot:
    account = str(case["account"])
    roles = tuple(
        Role(
            arn=f"arn:aws:iam::{account}:role{r.get('path', '/')}{r['name']}",
            name=r["name"],
            path=r.get("path", "/"),
            permissions_boundary_arn=r.get("boundary"),
        )
        for r in case.get("roles", [])
    )
    users = tuple(
        User(
            arn=f"arn:aws:iam::{account}:user{u.get('path', '/')}{u['name']}",
            name=u["name"],
            path=u.get("path", "/"),
            permissions_boundary_arn=u.get("boundary"),
        )
        for u in case.get("users", [])
    )
    policies = tuple(
        ManagedPolicy(
            arn=f"arn:aws:iam::{account}:policy{p.get('path', '/')}{p['name']}",
            name=p["name"],
            path=p.get("path", "/"),
            default_version_id="v2",
            versions=(
                PolicyVersion("v1", document({"Allow": ["*"]}), False),
                PolicyVersion("v2", document(p["document"]), True),
            ),
        )
        for p in case.get("policies", [])
    )
    return AccountSnapshot(account, users=users, roles=roles, policies=policies)

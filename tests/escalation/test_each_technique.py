"""Every technique of the catalog, one minimal account each (built from the technique's own data):
the technique yields an edge when its actions are allowed and its preconditions hold, and no edge
when another policy denies its first action (the negative twin)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from iamfence.account import load_snapshot
from iamfence.escalation import Effect, Technique, load_techniques
from iamfence.escalation.edges import EdgeBuilder
from iamfence.escalation.graph import Graph, Node
from tests.escalation.fixtures import ACCOUNT, expand

ALL = load_techniques()
ADMIN = [{"Effect": "Allow", "Action": "*", "Resource": "*"}]


def _account(t: Technique, deny_first: bool) -> tuple[dict[str, Any], str]:
    kind = t.source_types[0]
    source_arn = f"arn:aws:iam::{ACCOUNT}:{kind}/source"
    actions = sorted({a.action for a in t.actions} | {"sts:AssumeRole", "iam:CreateAccessKey"})
    source: dict[str, Any] = {
        "name": "source",
        "inline": {"grant": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]},
        "managed": ["plain"],
    }
    policies: dict[str, Any] = {
        "plain": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]
    }
    groups: list[dict[str, Any]] = []
    kinds = {p.kind: p for p in t.preconditions}
    if deny_first:
        policies["deny"] = [{"Effect": "Deny", "Action": t.actions[0].action, "Resource": "*"}]
        source["managed"].append("deny")
    if t.requires_boundary:
        source["boundary"] = "bnd"
        policies["bnd"] = (
            ADMIN
            if "boundary_policy_has_other_version" not in kinds
            else {"versions": [ADMIN, ADMIN], "default": 1}
        )
    if "target_policy_has_other_version" in kinds:
        policies["versioned"] = {
            "versions": [ADMIN, [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]],
            "default": 1,
        }
        source["managed"].append("versioned")
    if "source_policies_use_principal_tags" in kinds:
        source["inline"]["abac"] = [
            {
                "Effect": "Allow",
                "Action": "ec2:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalTag/team": "x"}},
            }
        ]
    removable = kinds.get("source_has_removable_deny")
    if removable is not None:
        guard = [{"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}]
        if removable.attachment == "inline":
            source["inline"]["guard"] = guard
        elif removable.attachment == "managed":
            policies["guard"] = guard
            source["managed"].append("guard")
        else:
            groups.append({"name": "guarded", "inline": {"guard": guard}})
            source["groups"] = ["guarded"]
    if kind == "user" and any(a.resource == "self_group" for a in t.actions):
        groups.append({"name": "devs"})
        source.setdefault("groups", []).append("devs")
    services = [p.service for p in t.preconditions if p.kind == "target_trusts_service"]
    compute = [p.compute for p in t.preconditions if p.kind == "compute_runs_as_target"]
    services += [
        {
            "lambda": "lambda.amazonaws.com",
            "ec2": "ec2.amazonaws.com",
            "glue": "glue.amazonaws.com",
            "codebuild": "codebuild.amazonaws.com",
            "cloudformation": "cloudformation.amazonaws.com",
            "sagemaker": "sagemaker.amazonaws.com",
            "ecs": "ecs-tasks.amazonaws.com",
        }[c]
        for c in compute
        if c
    ]
    principal: dict[str, Any] = {"AWS": source_arn}
    if services:
        principal["Service"] = services
    target_role: dict[str, Any] = {
        "name": "target",
        "trust": [{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}],
        "managed": ["AdministratorAccess", "target-pol"],
        "instance_profile": True,
    }
    policies["target-pol"] = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]
    if "target_bounded" in kinds:
        target_role["boundary"] = "tbnd"
        policies["tbnd"] = [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]
    users = [source] if kind == "user" else []
    roles = (
        [
            source
            | {
                "trust": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "ec2.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ]
            }
        ]
        if kind == "role"
        else []
    )
    if t.target.value == "role":
        roles.append(target_role)
    if t.target.value == "user":
        users.append({"name": "target", "managed": ["AdministratorAccess"]})
    if t.target.value == "group":
        groups.append({"name": "admins", "managed": ["AdministratorAccess"]})
    account = {
        "users": users,
        "roles": roles,
        "groups": groups,
        "policies": policies,
        "aws_policies": {"AdministratorAccess": ADMIN},
    }
    return account, source_arn


@cache
def _edges(tid: str, deny_first: bool) -> tuple[Any, ...]:
    t = next(x for x in ALL if x.id == tid)
    account, source_arn = _account(t, deny_first)
    graph = Graph(load_snapshot(expand(account)))
    helpers = tuple(x for x in ALL if x.id in ("IFE-B01", "IFE-B03"))
    chosen = (
        (t,)
        if t.effect not in (Effect.TARGET_ANY_POLICY, Effect.TARGET_REMOVE_BOUNDARY)
        else (*helpers, t)
    )
    return EdgeBuilder(graph, chosen).edges(Node(source_arn))


@pytest.mark.parametrize("tid", [t.id for t in ALL])
def test_technique_yields_an_edge(tid: str) -> None:
    edges = [e for e in _edges(tid, False) if e.technique.id == tid]
    assert edges, f"{tid}: no edge"
    t = edges[0].technique
    assert [c.action for c in edges[0].checks] == [a.action for a in t.actions]


@pytest.mark.parametrize("tid", [t.id for t in ALL])
def test_deny_in_another_policy_removes_the_edge(tid: str) -> None:
    assert not [e for e in _edges(tid, True) if e.technique.id == tid]

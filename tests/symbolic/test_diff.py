"""Semantic diff cases (tests/symbolic/data/diffs.yaml) and the action-class partition."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.catalog import load_catalog
from iamfence.model import NamedPolicy
from iamfence.parse import load_policy
from iamfence.symbolic.diff import action_classes, diff_policies
from iamfence.symbolic.patterns import glob_match
from iamfence.symbolic.types import Direction, Verdict

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "diffs.yaml").read_text()
)


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog()


def actions_of(entries) -> set[str]:  # type: ignore[no-untyped-def]
    return {a for e in entries for a in e.action_class.actions}


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_diff(case: dict[str, Any], catalog) -> None:  # type: ignore[no-untyped-def]
    old = NamedPolicy("old", load_policy(case["old"]))
    new = NamedPolicy("new", load_policy(case["new"]))
    result = diff_policies(old, new, catalog, timeout=20.0)
    assert not result.unknown(), result.unknown()
    assert result.no_new_access is case["no_new_access"]
    added = result.changes(Direction.ADDED)
    removed = result.changes(Direction.REMOVED)
    assert set(case["added"]) <= actions_of(added)
    assert set(case["removed"]) <= actions_of(removed)
    if not case["added"]:
        assert not added
    if not case["removed"]:
        assert not removed
    for entry in (*added, *removed):
        assert entry.example is not None
        assert entry.example.action in entry.action_class.actions
    if "example_resource" in case:
        (entry,) = added
        assert entry.example is not None
        assert re.search(case["example_resource"], entry.example.resource), entry.example


def test_classes_partition_by_pattern_signature(catalog) -> None:  # type: ignore[no-untyped-def]
    patterns = ("s3:get*", "s3:getobject", "iam:*", "*")
    classes = action_classes(patterns, catalog)
    seen: set[str] = set()
    for cls in classes:
        assert not seen & set(cls.actions), "classes are disjoint"
        seen |= set(cls.actions)
        signatures = {
            tuple(glob_match(p, a.lower(), ignore_case=True) for p in patterns) for a in cls.actions
        }
        assert len(signatures) == 1, cls.actions[:5]
    assert {"s3:GetObject", "s3:GetBucketPolicy", "iam:CreateRole"} <= seen
    getobject = next(c for c in classes if "s3:GetObject" in c.actions)
    assert getobject.actions == ("s3:GetObject",)
    rest = [c for c in classes if c.other_services]
    assert len(rest) == 1 and rest[0].other_services > 100
    assert "s3:PutObject" in rest[0].actions  # only "*" matches it, as for the unnamed services
    assert Verdict.HOLDS.value == "holds"


def test_unlisted_actions_are_compared_on_request(catalog) -> None:  # type: ignore[no-untyped-def]
    """A pattern that matches no listed action still grants future actions: only an unlisted
    action shows it. Unlisted actions that match like a listed one are covered by its class."""
    old = NamedPolicy(
        "old",
        load_policy({"Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}),
    )
    new_doc = {
        "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "s3:*Zq*"], "Resource": "*"}]
    }
    new = NamedPolicy("new", load_policy(new_doc))
    listed_only = diff_policies(old, new, catalog, timeout=20.0)
    assert listed_only.no_new_access  # no listed s3 action contains "zq"
    result = diff_policies(old, new, catalog, unlisted=True, timeout=20.0)
    unlisted = [
        e for e in result.changes(Direction.ADDED) if "not list" in e.action_class.actions[0]
    ]
    assert len(unlisted) == 1
    example = unlisted[0].example
    assert example is not None and example.action.lower().startswith("s3:")
    assert "zq" in example.action.lower()
    assert catalog.action(example.action) is None  # a name the catalog does not list
    same = diff_policies(new, new, catalog, unlisted=True, timeout=20.0)
    assert same.no_new_access and not same.changes(Direction.REMOVED)

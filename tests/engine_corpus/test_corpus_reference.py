"""The corpus against itself and against the naive reference evaluator (no engine needed)."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.engine_corpus.corpus import RawCase, raw_cases
from tests.reference import evaluate_case

CASES = raw_cases()
DECISIONS = {"Allow", "ExplicitDeny", "ImplicitDeny", "Indeterminate"}


def test_corpus_size_and_shape() -> None:
    assert len(CASES) >= 250, f"only {len(CASES)} corpus cases"
    ids = Counter(c.id for c in CASES)
    assert not [i for i, n in ids.items() if n > 1], "duplicate case ids"
    topics = Counter(c.topic for c in CASES)
    for topic in (
        "evaluation",
        "boundary",
        "session",
        "organizations",
        "resource_policy",
        "matching",
        "conditions",
        "variables",
    ):
        assert topics[topic] >= 10, f"topic {topic} has {topics[topic]} cases"
    for c in CASES:
        assert c.data.get("cite"), f"{c.id}: no cite"
        assert c.data.get("why"), f"{c.id}: no why"
        assert c.data.get("expect") in DECISIONS, f"{c.id}: bad expect"
        assert set(c.data) <= {
            "id",
            "cite",
            "why",
            "request",
            "policies",
            "expect",
            "blocked_by",
        }, c.id


def test_both_directions_per_topic() -> None:
    """Every topic has cases that allow and cases that deny."""
    by_topic: dict[str, set[str]] = {}
    for c in CASES:
        by_topic.setdefault(c.topic, set()).add(c.data["expect"])
    for topic, seen in by_topic.items():
        assert "Allow" in seen, topic
        assert seen & {"ImplicitDeny", "ExplicitDeny"}, topic


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_reference_agrees_with_corpus(case: RawCase) -> None:
    assert evaluate_case(case.data) == case.data["expect"], case.data["why"]

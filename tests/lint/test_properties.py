"""hypothesis: lint never raises on any document the parser accepts, its findings do not depend
on how the document was given (text or mapping), and every finding is located in the source."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings

from iamfence.diagnostics import Diagnostic
from iamfence.lint import ALL_CODES, lint_policy
from iamfence.model import PolicyType
from iamfence.parse import parse_policy
from tests.parse.test_properties import policies

KNOWN = {c.code for c in ALL_CODES}


def _lint(source: Any, kind: PolicyType) -> tuple[Diagnostic, ...]:
    parsed = parse_policy(source, kind=kind)
    assert parsed.document is not None
    return lint_policy(parsed.document, kind=kind, source_map=parsed.source_map)


@settings(max_examples=200, deadline=None)
@given(generated=policies())
def test_lint_never_raises_and_locates_every_finding(
    generated: tuple[PolicyType, dict[str, Any]],
) -> None:
    kind, raw = generated
    from_text = _lint(json.dumps(raw, indent=2), kind)
    from_mapping = _lint(raw, kind)
    assert sorted(d.code for d in from_text) == sorted(d.code for d in from_mapping)
    assert {d.code for d in from_text} <= KNOWN
    for d in from_text:
        assert d.location.line >= 2 and d.location.pointer.startswith("/Statement")

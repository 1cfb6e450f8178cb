"""hypothesis: lint never raises on any document the parser accepts, its findings do not depend
on how the document was given (text or mapping), and every finding is located in the source."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.diagnostics import Diagnostic
from iamfence.lint import ALL_CODES, lint_policy
from iamfence.lint.patterns import covers
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


def _matches(pattern: str, text: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.S) is not None


PATTERN = st.text(alphabet="ab:*?", max_size=6)


@settings(max_examples=400, deadline=None)
@given(
    general=PATTERN,
    specific=PATTERN,
    texts=st.lists(st.text(alphabet="ab:", max_size=7), max_size=20),
)
def test_pattern_containment_is_sound(general: str, specific: str, texts: list[str]) -> None:
    if covers(general, specific):
        witness = specific.replace("*", "").replace("?", "a")
        for text in [witness, *texts]:
            if _matches(specific, text):
                assert _matches(general, text), (general, specific, text)

"""Every parse code (IF1xx) is unique, well-formed and documented in docs/codes.md."""

from __future__ import annotations

import re
from pathlib import Path

from iamfence.parse import codes

DOCS = Path(__file__).resolve().parents[2] / "docs" / "codes.md"


def test_codes_are_unique_and_in_range() -> None:
    names = [c.code for c in codes.ALL_CODES]
    assert len(names) == len(set(names)) >= 35
    assert all(re.fullmatch(r"IF1[0-9]{2}", n) for n in names)
    assert {f"IF10{i}" for i in range(9)} == codes.INPUT_CODES


def test_every_code_is_documented_with_its_severity() -> None:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index("## Parse diagnostics (IF1xx)")
    section = text[start : text.index("\n## ", start + 1)]
    for code in codes.ALL_CODES:
        found = re.search(rf"### {code.code}\n\*\*(\w+)\*\*", section)
        assert found is not None, code.code
        assert found.group(1) == code.severity.value, code.code

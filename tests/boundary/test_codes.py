"""Every IF4xx code is documented in docs/codes.md under "Spec diagnostics (IF4xx)"."""

from __future__ import annotations

from pathlib import Path

from iamfence.boundary import ALL_CODES

DOC = Path(__file__).resolve().parents[2] / "docs" / "codes.md"


def test_every_code_is_documented_once() -> None:
    text = DOC.read_text()
    section = text.split("## Spec diagnostics (IF4xx)", 1)[1].split("\n## ", 1)[0]
    for code in ALL_CODES:
        assert section.count(f"### {code.code}\n") == 1, code.code
        assert code.code.startswith("IF4")
    assert len({c.code for c in ALL_CODES}) == len(ALL_CODES)

"""docs/index.md lists every document under docs/, once, with a line saying what it is for, and
every link in it points to a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
INDEX = DOCS / "index.md"
LINK = re.compile(r"^- \[([^\]]+)\]\(([^)]+)\):\s*(\S.*)$", re.MULTILINE)


def _entries() -> list[tuple[str, str, str]]:
    text = INDEX.read_text(encoding="utf-8")
    return [(m.group(1), m.group(2), m.group(3)) for m in LINK.finditer(text)]


def test_every_doc_is_in_the_index() -> None:
    docs = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")} - {"index.md"}
    linked = [target for _, target, _ in _entries()]
    assert len(linked) == len(set(linked)), "a document is listed twice"
    missing = sorted(docs - set(linked))
    assert not missing, f"add a line to docs/index.md for: {missing}"


def test_every_index_link_resolves_and_says_what_the_doc_is_for() -> None:
    entries = _entries()
    assert len(entries) >= 10
    for label, target, purpose in entries:
        assert label == target, (label, target)
        assert (DOCS / target).is_file(), f"docs/index.md links to a missing file: {target}"
        assert len(purpose.split()) >= 6, f"say what {target} is for"

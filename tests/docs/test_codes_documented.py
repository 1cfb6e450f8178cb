"""Every diagnostic and finding code the code base defines is documented in docs/codes.md.

Codes are collected from the source, not from a hand-written list, so adding a code without its
documentation fails here:
- `IF\\d{3}` diagnostic and finding codes: every string literal of src/iamfence that is exactly a
  code (parse/codes.py, lint/codes.py, lint/catalog_rules.py, boundary/codes.py, account/snapshot.py,
  adapters/files.py, parse/cases.py, testing/user_tests.py, audit/..., cli/...). Mentions in
  docstrings and comments ("IF510-IF529") are not definitions and are not collected.
- escalation technique ids (`IFE-A01`), from src/iamfence/escalation/techniques/*.yaml;
- prover property ids (`create-role-without-boundary`, reported as `developer.<id>` and
  `role.<id>`), from the `_Spec(...)` table of src/iamfence/symbolic/properties.py.

An entry is a heading starting with the code (`### IF100`, `### IF100 — title`) with the text up
to the next heading or table, or a table row whose first cell starts with it (the other cells are
its text). A complete
entry has four parts: what it checks (the text after the severity, `**error** — ...`), why it
matters (`Why it matters:`), an example (`Example:`) and the fix (`Fix:`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "iamfence"
CODES_MD = ROOT / "docs" / "codes.md"

CODE = re.compile(r"IF\d{3}")
TECHNIQUE = re.compile(r"^id:\s*(IFE-[A-Z]\d{2})\s*$", re.MULTILINE)
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
SEVERITY = re.compile(r"^\*\*(error|warning|info)\*\*(\s*\([^)]*\))?\s*(—|-|:)\s*\S")
PARTS = {
    "why it matters": re.compile(r"why\s+it\s+matters\s*:", re.IGNORECASE),
    "example": re.compile(r"examples?\s*:", re.IGNORECASE),
    "fix": re.compile(r"\bfix(es)?\s*:", re.IGNORECASE),
}

AUDIT_PREFIX = "IF7"


# ------------------------------------------------------------------------------- collection


def source_codes(src: Path = SRC) -> dict[str, set[str]]:
    """Every `IF\\d{3}` string literal under `src`, with the files that use it."""
    found: dict[str, set[str]] = {}
    for path in sorted(src.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and CODE.fullmatch(node.value)
            ):
                found.setdefault(node.value, set()).add(str(path.relative_to(src)))
    return found


def technique_ids(src: Path = SRC) -> set[str]:
    ids: set[str] = set()
    for path in sorted((src / "escalation" / "techniques").glob("*.yaml")):
        ids.update(TECHNIQUE.findall(path.read_text(encoding="utf-8")))
    return ids


def prover_properties(src: Path = SRC) -> set[str]:
    """The first argument of every `_Spec(...)` call in symbolic/properties.py; for an f-string
    (`f"set-protected-tag/{key}"`) its literal text before the '/'."""
    path = src / "symbolic" / "properties.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_Spec"):
            continue
        first = node.args[0] if node.args else None
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
        elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
            names.add(str(first.values[0].value).split("/")[0])
    return names


# ---------------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class Entry:
    name: str
    text: str


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def doc_entries(markdown: str, names: set[str]) -> dict[str, list[Entry]]:
    """The entries of `names` in `markdown`: headings and table rows (first cell) whose text starts
    with the name as a whole word (`IF10` is not `IF100`; a section heading such as
    "## Command-line usage (IF000)" is not an entry)."""

    def named(text: str) -> list[str]:
        first = re.split(r"[\s|—:,(]+", text.strip().strip("`*_ "), maxsplit=1)[0].strip("`*_")
        return [first] if first in names else []

    lines = markdown.splitlines()
    entries: dict[str, list[Entry]] = {}
    i = 0
    while i < len(lines):
        heading = HEADING.match(lines[i])
        if heading:
            level = len(heading.group(1))
            j = i + 1
            while j < len(lines):
                nxt = HEADING.match(lines[j])
                if (nxt and len(nxt.group(1)) <= level) or lines[j].lstrip().startswith("|"):
                    break
                j += 1
            body = "\n".join(lines[i + 1 : j]).strip()
            for name in named(heading.group(2)):
                entries.setdefault(name, []).append(Entry(name, body))
        elif lines[i].lstrip().startswith("|"):
            cells = _cells(lines[i])
            if cells and not set(cells[0]) <= set("-: "):
                for name in named(cells[0]):
                    entries.setdefault(name, []).append(Entry(name, " | ".join(cells[1:])))
        i += 1
    return entries


def missing_parts(entry: Entry) -> list[str]:
    """The parts an entry lacks ("what it checks" is the text after the severity)."""
    text = entry.text.strip()
    gaps = []
    first = re.split(r"Why\s+it\s+matters", text)[0]
    if not SEVERITY.match(text) or len(re.sub(r"\*\*\w+\*\*", "", first).strip(" —-:")) < 10:
        gaps.append("what it checks (`**severity** — ...`)")
    gaps.extend(part for part, pattern in PARTS.items() if not pattern.search(text))
    return gaps


def problems(names: set[str], markdown: str) -> dict[str, list[str]]:
    """For each name without a complete entry: what is wrong. A name may have several entries (a
    code used with two meanings): each must be complete."""
    entries = doc_entries(markdown, names)
    report: dict[str, list[str]] = {}
    for name in sorted(names):
        found = entries.get(name)
        if not found:
            report[name] = ["no entry"]
            continue
        gaps = sorted({gap for entry in found for gap in missing_parts(entry)})
        if gaps:
            report[name] = gaps
    return report


def _describe(report: dict[str, list[str]]) -> str:
    return "\n".join(f"  {name}: missing {', '.join(gaps)}" for name, gaps in report.items())


# ------------------------------------------------------------------------------------ tests

MARKDOWN = CODES_MD.read_text(encoding="utf-8")
CODES = source_codes()


def test_collector_finds_the_codes_of_every_area() -> None:
    # One code of each defining module: a collector that misses a module would pass vacuously.
    for code in ("IF000", "IF100", "IF170", "IF242", "IF308", "IF421", "IF503", "IF520"):
        assert code in CODES, code
    for code in ("IF607", "IF701", "IF721", "IF790", "IF791", "IF792"):
        assert code in CODES, code
    assert "parse/cases.py" in CODES["IF602"] and "testing/user_tests.py" in CODES["IF602"]
    # "IF510-IF529" in a docstring is a range, not a code.
    assert "IF529" not in CODES
    assert len(technique_ids()) >= 80
    assert {"create-role-without-boundary", "set-protected-tag"} <= prover_properties()


def test_checker_reports_incomplete_and_missing_entries() -> None:
    markdown = (
        "## Things\n\n### IF900\n**error** — checks a thing. Why it matters: it does. "
        "Example: `{}`. Fix: do it.\n\n### IF901\n**warning** — checks another thing. "
        "Fix: do it.\n\n| Code | Text |\n|---|---|\n"
        "| IF902 | **info** — a row entry that checks X. Why it matters: Y. Example: Z. Fix: W. |\n"
    )
    report = problems({"IF900", "IF901", "IF902", "IF903", "IF90"}, markdown)
    assert report == {
        "IF90": ["no entry"],
        "IF901": ["example", "why it matters"],
        "IF903": ["no entry"],
    }


def test_a_new_code_without_documentation_is_reported(tmp_path: Path) -> None:
    (tmp_path / "rules.py").write_text(
        '"""Codes IF900-IF999."""\nNEW = "IF950"  # a new rule\nOLD = "IF100"\nX = "IF1000"\n',
        encoding="utf-8",
    )
    found = source_codes(tmp_path)
    assert set(found) == {"IF950", "IF100"}
    assert problems(set(found), MARKDOWN) == {"IF950": ["no entry"]}


def test_finished_area_codes_are_documented() -> None:
    """IF0xx-IF6xx: command line, parse, lint, catalog lint, spec, snapshot/input, request/case
    and user test files."""
    finished = {c for c in CODES if not c.startswith(AUDIT_PREFIX)}
    report = problems(finished, MARKDOWN)
    assert not report, "codes without a complete entry in docs/codes.md:\n" + _describe(report)


def test_audit_finding_codes_are_documented() -> None:
    audit = {c for c in CODES if c.startswith(AUDIT_PREFIX)}
    assert audit
    report = problems(audit, MARKDOWN)
    if report:
        raise AssertionError(
            "IF7xx audit findings without a complete entry in docs/codes.md: "
            + ", ".join(report)
            + "\n"
            + _describe(report)
        )


def test_escalation_techniques_are_documented() -> None:
    report = problems(technique_ids(), MARKDOWN)
    if report:
        raise AssertionError(
            "escalation technique ids (IFE-*) without a complete entry in docs/codes.md "
            "(regenerate with `iamfence escalation-techniques --format markdown`): "
            + ", ".join(report)
        )


def test_prover_properties_are_named_in_the_prove_doc() -> None:
    """docs/prove.md lists each property id with its claim (as `id` or `id/<key>`)."""
    text = (ROOT / "docs" / "prove.md").read_text(encoding="utf-8")
    missing = sorted(
        p for p in prover_properties() if f"`{p}`" not in text and f"`{p}/" not in text
    )
    assert not missing, f"prover properties not listed in docs/prove.md: {missing}"


def test_prover_properties_are_documented() -> None:
    report = problems(prover_properties(), MARKDOWN)
    if report:
        raise AssertionError(
            "prover property ids (iamfence prove) without a complete entry in docs/codes.md: "
            + ", ".join(report)
        )


def test_every_documented_code_exists() -> None:
    """A heading for a code no module defines is stale (renamed or removed code)."""
    headings = set(re.findall(r"^#{1,6}\s+(IF\d{3})\b", MARKDOWN, re.MULTILINE))
    assert headings, "docs/codes.md names no code in a heading"
    stale = sorted(headings - set(CODES))
    assert not stale, f"documented but defined nowhere in src/iamfence: {stale}"

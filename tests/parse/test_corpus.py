"""The parse corpus: tests/corpus/parse/*.yaml, one file per topic. Each case gives a document
(`document`: a mapping, `text`: source text, or `hex`: raw bytes), a `kind` (default identity), an
optional `limit`, and `expect`: the exact diagnostics as {code, pointer[, line, column]} (or
`expect_codes` when pointers are not the point). Adding a case needs no Python."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.diagnostics import Severity
from iamfence.model import PolicyType
from iamfence.parse import ParseResult, SizeLimit, parse_policy

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "parse"


def _cases() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(CORPUS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            found.append((f"{path.stem}: {case['name']}", case))
    return found


CASES = _cases()


def _parse(case: dict[str, Any], source: Any) -> ParseResult:
    kind = PolicyType(case.get("kind", "identity"))
    limit = SizeLimit(case["limit"]) if "limit" in case else None
    return parse_policy(source, kind=kind, file="case.json", limit=limit)


def _sources(case: dict[str, Any]) -> list[Any]:
    if "hex" in case:
        return [bytes.fromhex(case["hex"])]
    if "text" in case:
        return [case["text"]]
    document = case["document"]
    return [document, json.dumps(document, indent=2)]


def _check(result: ParseResult, case: dict[str, Any], *, text: bool) -> None:
    got = sorted((d.code, d.location.pointer) for d in result.diagnostics)
    if "expect_codes" in case:
        assert sorted({d.code for d in result.diagnostics}) == sorted(case["expect_codes"])
        return
    expected = case.get("expect", [])
    assert got == sorted((e["code"], e["pointer"]) for e in expected), [
        str(d) for d in result.diagnostics
    ]
    if not text:
        return
    for e in expected:
        if "line" in e:
            match = [
                d
                for d in result.diagnostics
                if (d.code, d.location.pointer) == (e["code"], e["pointer"])
            ]
            assert (match[0].location.line, match[0].location.column) == (e["line"], e["column"]), (
                str(match[0])
            )
    assert all(d.location.line >= 1 for d in result.diagnostics)


@pytest.mark.parametrize(("name", "case"), CASES, ids=[name for name, _ in CASES])
def test_case(name: str, case: dict[str, Any]) -> None:
    for source in _sources(case):
        result = _parse(case, source)
        _check(result, case, text=not isinstance(source, dict))
        errors = any(d.severity is Severity.ERROR for d in result.diagnostics)
        assert (result.document is None) == errors


def test_corpus_size() -> None:
    def invalid(case: dict[str, Any]) -> bool:
        return any(e["code"] for e in case.get("expect", [])) or bool(case.get("expect_codes"))

    invalid_count = sum(1 for _, case in CASES if _parse(case, _sources(case)[0]).document is None)
    valid_count = sum(1 for _, case in CASES if _parse(case, _sources(case)[0]).ok)
    assert invalid_count >= 60
    assert valid_count >= 40
    assert all(
        invalid(case) for _, case in CASES if _parse(case, _sources(case)[0]).document is None
    )

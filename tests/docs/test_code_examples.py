"""The examples in docs/codes.md are true: each one in tests/docs/examples.yaml is run through the
code that reports it and must produce its code, and its snippet must be the one the entry shows.
Covers the parse (IF1xx), catalog lint (IF3xx) and spec (IF4xx) examples."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.boundary import build_design, load_spec
from iamfence.catalog import Catalog, load_catalog
from iamfence.errors import InvalidInputError
from iamfence.lint.catalog_rules import check_catalog_rules
from iamfence.model import PolicyType
from iamfence.parse import load_policy, parse_policy
from tests.docs.test_codes_documented import CODES_MD, doc_entries

EXAMPLES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "examples.yaml").read_text(encoding="utf-8")
)


@cache
def _catalog() -> Catalog:
    return load_catalog()


def _codes(example: dict[str, Any]) -> set[str]:
    text = str(example["input"])
    if example["area"] == "parse":
        kind = PolicyType(example.get("kind", "identity"))
        return {d.code for d in parse_policy(text, kind=kind, file="p.json").diagnostics}
    if example["area"] == "catalog":
        document = load_policy({"Version": "2012-10-17", "Statement": [json.loads(text)]})
        return {d.code for d in check_catalog_rules(document, _catalog())}
    try:
        build_design(load_spec(text, "spec.yaml"), _catalog())
    except InvalidInputError as exc:
        return {d.code for d in exc.diagnostics}  # type: ignore[attr-defined]
    return set()


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_examples_cover_each_area() -> None:
    areas = {e["area"] for e in EXAMPLES}
    assert areas == {"parse", "catalog", "spec"}
    assert len({e["code"] for e in EXAMPLES}) == len(EXAMPLES) >= 55


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["code"] for e in EXAMPLES])
def test_documented_example_reports_its_code(example: dict[str, Any]) -> None:
    code = example["code"]
    [entry] = doc_entries(CODES_MD.read_text(encoding="utf-8"), {code})[code]
    assert _flat(example["fragment"]) in _flat(entry.text), f"{code}: the doc shows another example"
    found = _codes(example)
    assert code in found, f"{code}: the documented example reports {sorted(found)}"

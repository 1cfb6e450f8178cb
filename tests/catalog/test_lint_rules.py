"""Catalog lint rules (IF3xx) in both directions, from tests/corpus/catalog/lint_rules.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.catalog import Catalog
from iamfence.diagnostics import Location
from iamfence.lint.catalog_rules import RULES, check_catalog_rules
from iamfence.model import PolicyType
from iamfence.parse import load_policy

CASES = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "corpus" / "catalog" / "lint_rules.yaml").read_text()
)["cases"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_rule_case(case: dict[str, Any], catalog: Catalog) -> None:
    kind = PolicyType(case.get("kind", "identity"))
    document = load_policy(case["policy"], kind=kind)
    found = check_catalog_rules(document, catalog, kind=kind, file="p.json")
    assert sorted([d.code, d.location.pointer] for d in found) == sorted(case["expect"])
    for fragment in case.get("messages", []):
        assert any(fragment in d.message for d in found), [d.message for d in found]
    for d in found:
        assert d.location.file == "p.json"


def test_every_rule_is_exercised_in_both_directions() -> None:
    reported = {code for case in CASES for code, _ in case["expect"]}
    assert reported == {r.code for r in RULES}
    assert any(not case["expect"] for case in CASES)


def test_codes_filter_and_locate(catalog: Catalog) -> None:
    document = load_policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["s4:Get", "iam:PassRole"], "Resource": "*"}
            ],
        }
    )
    only = check_catalog_rules(document, catalog, codes=frozenset({"IF306"}))
    assert [d.code for d in only] == ["IF306"]
    located = check_catalog_rules(document, catalog, locate=lambda p: Location("f.json", p, 3, 7))
    assert {(d.location.line, d.location.column) for d in located} == {(3, 7)}


def test_rules_have_documentation() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "codes.md"
    text = docs.read_text()
    assert "## Catalog lint rules (IF3xx)" in text
    for rule in RULES:
        assert f"### {rule.code}" in text, rule.code


def test_through_the_lint_framework_with_source_positions(catalog: Catalog) -> None:
    from iamfence.lint.framework import lint_policy
    from iamfence.parse import parse_policy

    text = (
        "{\n"
        '  "Version": "2012-10-17",\n'
        '  "Statement": {\n'
        '    "Effect": "Allow",\n'
        '    "Action": "s3:GetObjekt",\n'
        '    "Resource": "arn:aws:s3:::bucket"\n'
        "  }\n"
        "}\n"
    )
    parsed = parse_policy(text, file="one.json")
    assert parsed.document is not None
    found = lint_policy(
        parsed.document,
        kind=PolicyType.IDENTITY,
        file="one.json",
        catalog=catalog,
        source_map=parsed.source_map,
    )
    mine = [d for d in found if d.code.startswith("IF3")]
    assert [(d.code, d.location.pointer, d.location.line) for d in mine] == [
        ("IF301", "/Statement/Action", 5)
    ]
    assert mine[0].location.file == "one.json"
    assert "did you mean s3:GetObject?" in mine[0].message
    without = lint_policy(parsed.document, kind=PolicyType.IDENTITY, file="one.json")
    assert not [d for d in without if d.code.startswith("IF3")]

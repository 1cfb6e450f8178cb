"""Non-catalog lint rules (IF2xx) in both directions, from tests/lint/rules.yaml, located through
the parser's source map; and the framework's contract (registry, catalog hook, docs)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.diagnostics import Diagnostic, Severity
from iamfence.lint import ALL_CODES, RULES, LintContext, framework, lint_policy, register_rule
from iamfence.lint.framework import registered_rules
from iamfence.lint.patterns import covers
from iamfence.model import PolicyType
from iamfence.parse import load_policy, parse_policy
from iamfence.parse.codes import Code

HERE = Path(__file__).resolve().parent
CASES: list[dict[str, Any]] = yaml.safe_load((HERE / "rules.yaml").read_text())["cases"]
DOCS = HERE.parents[1] / "docs" / "codes.md"


def _lint_text(case: dict[str, Any]) -> tuple[Diagnostic, ...]:
    kind = PolicyType(case.get("kind", "identity"))
    parsed = parse_policy(json.dumps(case["policy"], indent=2), kind=kind, file="p.json")
    assert parsed.document is not None, [str(d) for d in parsed.diagnostics]
    return lint_policy(parsed.document, kind=kind, file="p.json", source_map=parsed.source_map)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_rule_case(case: dict[str, Any]) -> None:
    found = [d for d in _lint_text(case) if d.code.startswith("IF2")]
    assert sorted([d.code, d.location.pointer] for d in found) == sorted(case["expect"]), [
        str(d) for d in found
    ]
    for d in found:
        assert d.location.file == "p.json" and d.location.line >= 2 and d.location.column >= 1


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_mapping_input_reports_the_same_codes(case: dict[str, Any]) -> None:
    kind = PolicyType(case.get("kind", "identity"))
    document = load_policy(case["policy"], kind=kind)
    found = lint_policy(document, kind=kind)
    assert sorted(d.code for d in found) == sorted(code for code, _ in case["expect"])
    assert all(d.location.line == 0 for d in found)


def test_every_code_is_exercised_in_both_directions() -> None:
    reported = {code for case in CASES for code, _ in case["expect"]}
    assert reported == {c.code for c in ALL_CODES}
    assert sum(1 for case in CASES if not case["expect"]) >= len(ALL_CODES)


def test_every_code_is_documented_with_example_and_fix() -> None:
    text = DOCS.read_text(encoding="utf-8")
    assert text.index("## Parse diagnostics (IF1xx)") < text.index("## Lint rules (IF2xx)")
    for code in ALL_CODES:
        section = re.search(rf"### {code.code}\n(.*?)(?=\n### |\n## |\Z)", text, re.S)
        assert section is not None, code.code
        body = section.group(1)
        assert f"**{code.severity.value}**" in body, code.code
        assert "Example:" in body and "Fix:" in body, code.code


def test_located_line_and_column() -> None:
    text = (
        '{"Version": "2012-10-17", "Statement": [\n'
        '  {"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::x"}\n'
        "]}"
    )
    parsed = parse_policy(text, file="a.json")
    assert parsed.document is not None
    found = lint_policy(
        parsed.document, kind=PolicyType.IDENTITY, file="a.json", source_map=parsed.source_map
    )
    assert [str(d).split(" ")[:2] for d in found] == [["a.json:2:41", "IF200"]]


def test_rules_registry_and_extension_hook() -> None:
    assert {c.code for rule in RULES for c in rule.codes} == {c.code for c in ALL_CODES}
    assert not any(rule.needs_catalog for rule in RULES)
    extra = Code("IF299", Severity.INFO, "test rule")

    @register_rule(extra, needs_catalog=True)
    def _every_statement(context: LintContext) -> Iterator[Diagnostic]:
        for index, _ in context.statements():
            yield context.diagnostic(extra, "seen", context.statement_pointer(index))

    try:
        _check_hook()
    finally:
        name = f"{__name__}.{_every_statement.__qualname__}"
        framework._REGISTRY.pop(name)
    assert "IF299" not in {c.code for r in registered_rules(with_catalog=True) for c in r.codes}


def _check_hook() -> None:
    document = load_policy(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
        }
    )
    assert [d.code for d in lint_policy(document, kind=PolicyType.IDENTITY)] == []
    with_catalog = lint_policy(document, kind=PolicyType.IDENTITY, catalog=object())
    assert "IF299" in [d.code for d in with_catalog]
    names = [r.name for r in registered_rules(with_catalog=True)]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("general", "specific", "expected"),
    [
        ("*", "s3:Get*", True),
        ("s3:*", "s3:Get*", True),
        ("s3:Get*", "s3:*", False),
        ("s3:Get?", "s3:Get*", False),
        ("s3:Get?", "s3:GetA", True),
        ("s3:Get?", "s3:Get?", True),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/*", True),
        ("arn:aws:s3:::b/x*", "arn:aws:s3:::b/*", False),
        ("a*b*c", "a*bb*c", True),
    ],
)
def test_pattern_containment(general: str, specific: str, expected: bool) -> None:
    assert covers(general, specific) is expected

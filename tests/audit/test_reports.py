"""Renderers: JSON shape, markdown and CSV escaping, SARIF suppressions, the remediation plan."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from iamfence.audit import AuditBuilder, AuditConfig, Finding, StepAction, plan
from iamfence.audit import findings as fc
from iamfence.report.audit import message, render_csv, render_json, render_markdown, render_sarif

EVIL = "=cmd|' /C calc'!A0 <b>|x"


def _result() -> object:
    builder = AuditBuilder(AuditConfig("arn:aws:iam::1:policy/B"), date(2026, 11, 28))
    builder.findings += [
        Finding.of(
            fc.ROLE_WITHOUT_BOUNDARY,
            "1",
            f"arn:aws:iam::1:role/{EVIL}",
            role_name=EVIL,
            expected_boundary="arn:b",
        ),
        Finding.of(
            fc.ROLE_OTHER_BOUNDARY,
            "1",
            "arn:aws:iam::1:role/w",
            role_name="w",
            expected_boundary="arn:b",
            actual_boundary="arn:o",
        ),
        Finding.of(
            fc.ROLE_WITHOUT_BOUNDARY,
            "1",
            "arn:aws:iam::1:role/m",
            role_name="m",
            expected_boundary="arn:b",
        ).mute("exemption: ok"),
    ]
    return builder.build("r1", "2026-11-28T00:00:00Z")


def test_json_shape_exact() -> None:
    doc = json.loads(render_json(_result()))  # type: ignore[arg-type]
    assert list(doc) == ["accounts", "findings", "summary"]
    assert list(doc["findings"][0]) == [
        "code",
        "severity",
        "account",
        "subject_arn",
        "message",
        "evidence",
        "muted",
    ]
    assert [f["muted"] for f in doc["findings"]] == [False, False, True]
    assert doc["findings"][2]["evidence"]["mute_reason"] == "exemption: ok"
    assert doc["summary"]["findings"] == 2 and doc["summary"]["muted"] == 1


def test_messages_carry_evidence() -> None:
    f = Finding.of(
        fc.ROLE_OTHER_BOUNDARY,
        "1",
        "arn:r",
        role_name="w",
        expected_boundary="arn:b",
        actual_boundary="arn:o",
    )
    assert message(f) == "role w has permissions boundary arn:o, expected arn:b"


def test_markdown_escapes_pipes_and_html() -> None:
    md = render_markdown(_result())  # type: ignore[arg-type]
    row = next(line for line in md.splitlines() if "calc" in line)
    assert "&lt;b&gt;" in row and "<b>" not in row and "\\|x" in row
    assert row.count(" | ") == 5  # six cells, no cell broken by the name's pipe


def test_csv_neutralises_formulas() -> None:
    rows = list(csv.reader(io.StringIO(render_csv(_result()))))  # type: ignore[arg-type]
    assert rows[0] == ["code", "severity", "account", "subject_arn", "message", "muted", "evidence"]
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert len(rows) == 4


def test_sarif_suppresses_muted() -> None:
    run = json.loads(render_sarif(_result()))["runs"][0]  # type: ignore[arg-type]
    assert [r.get("suppressions") for r in run["results"]] == [
        None,
        None,
        [{"kind": "external", "justification": "exemption: ok"}],
    ]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"IF701", "IF702"}
    assert run["results"][0]["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].endswith(
        "|x"
    )


def test_plan_skips_muted_and_replaces_only_when_asked() -> None:
    findings = list(_result().findings)  # type: ignore[attr-defined]
    steps = plan(findings)
    assert [(s.role_name, s.action) for s in steps] == [(EVIL, StepAction.ATTACH)]
    steps = plan(findings, replace_other=True)
    assert sorted((s.role_name, s.action.value, s.current_boundary) for s in steps) == [
        (EVIL, "attach", ""),
        ("w", "replace", "arn:o"),
    ]

"""The pull-request review (`iamfence review`): one value holding what lint, the semantic diff, the
test battery and the proofs found, and its renderers (Markdown for a PR comment, JSON, SARIF 2.1.0).
Renderers return strings; they count and format, they never decide: the verdict comes in with
the value (the CLI decides it from the counts)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Any

from iamfence.diagnostics import Diagnostic, Severity
from iamfence.report.diagnostics import diagnostic_line
from iamfence.report.proof import (
    _actions,
    _request_line,
    property_json,
    render_diff_json,
    sarif_result,
)
from iamfence.report.testrun import failure_text, outcome_json, summary
from iamfence.symbolic.types import (
    DiffEntry,
    DiffResult,
    Direction,
    ProofReport,
    PropertyResult,
    Verdict,
)
from iamfence.testing.cases import TestReport


class DiffStatus(Enum):
    COMPARED = "compared"
    """Both sides exist and were compared (see `DocumentDiff.result`)."""
    IDENTICAL = "identical"
    """The two documents are equal: no access changes, without a solver."""
    NEW = "new"
    """There is no base to compare with: everything the document allows is new."""


@dataclass(frozen=True, slots=True)
class DocumentDiff:
    label: str
    """What is compared: "boundary policy", "developer policy" or a file name."""
    status: DiffStatus
    result: DiffResult | None = None
    identical_classes: int = 0
    """Action classes whose applicable statements are equal on both sides (no solver needed)."""

    @property
    def added(self) -> int:
        if self.status is DiffStatus.NEW:
            return 1
        return len(self.result.changes(Direction.ADDED)) if self.result else 0

    @property
    def added_unknown(self) -> int:
        if self.result is None:
            return 0
        return sum(1 for e in self.result.unknown() if e.direction is Direction.ADDED)


@dataclass(frozen=True, slots=True)
class LintedDocument:
    label: str
    diagnostics: tuple[Diagnostic, ...]
    counted: bool = True
    """False for the base document in file mode: shown, but not counted against the change."""


class ReviewVerdict(Enum):
    CLEAN = "clean"
    FINDINGS = "findings"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Review:
    subject: str
    """The spec (or NEW policy file) under review."""
    base: str
    """The git ref or the OLD file it is compared with."""
    lint: tuple[LintedDocument, ...]
    diffs: tuple[DocumentDiff, ...]
    tests: TestReport | None
    """None in policy-file mode (there is no design to test)."""
    proofs: ProofReport | None
    verdict: ReviewVerdict
    fail_on_new_access: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Counts:
    lint_errors: int
    lint_warnings: int
    tests_passed: int
    tests_failed: int
    """Failed and errored (undecided) tests: neither passed."""
    holds: int
    violated: int
    unknown: int
    new_access: bool
    new_access_unknown: bool


def counts(review: Review) -> Counts:
    counted = [d for doc in review.lint if doc.counted for d in doc.diagnostics]
    tests = summary(review.tests) if review.tests else {"passed": 0, "failed": 0, "errors": 0}
    props = review.proofs.properties if review.proofs else ()
    return Counts(
        lint_errors=sum(1 for d in counted if d.severity is Severity.ERROR),
        lint_warnings=sum(1 for d in counted if d.severity is Severity.WARNING),
        tests_passed=tests["passed"],
        tests_failed=tests["failed"] + tests["errors"],
        holds=sum(1 for p in props if p.verdict is Verdict.HOLDS),
        violated=sum(1 for p in props if p.verdict is Verdict.VIOLATED),
        unknown=sum(1 for p in props if p.verdict is Verdict.UNKNOWN),
        new_access=any(d.added for d in review.diffs),
        new_access_unknown=any(d.added_unknown for d in review.diffs),
    )


# ---------------------------------------------------------------------------------- Markdown


def _verdict_line(review: Review, c: Counts) -> str:
    problems = []
    if c.lint_errors:
        problems.append(f"{c.lint_errors} lint error(s)")
    if c.tests_failed:
        problems.append(f"{c.tests_failed} failed test(s)")
    if c.violated:
        problems.append(f"{c.violated} violated propert{'y' if c.violated == 1 else 'ies'}")
    if c.new_access and review.fail_on_new_access:
        problems.append("new access")
    if c.unknown:
        problems.append(f"{c.unknown} undecided propert{'y' if c.unknown == 1 else 'ies'}")
    if c.new_access_unknown and review.fail_on_new_access:
        problems.append("undecided new access")
    match review.verdict:
        case ReviewVerdict.CLEAN:
            head = "**Verdict: PASS**"
        case ReviewVerdict.FINDINGS:
            head = "**Verdict: FAIL**"
        case ReviewVerdict.UNKNOWN:
            head = "**Verdict: UNDECIDED**"
    tail = (
        "; ".join(problems) if problems else "no lint errors, failed tests or violated properties"
    )
    if c.new_access and not review.fail_on_new_access:
        tail += " (new access below is for the reviewer)"
    return f"{head}: {tail}."


def _summary_table(review: Review, c: Counts) -> list[str]:
    tests = (
        f"{c.tests_passed} passed, {c.tests_failed} failed"
        if review.tests
        else "n/a (policy files)"
    )
    proofs = (
        f"{c.holds} holds, {c.violated} violated, {c.unknown} unknown"
        if review.proofs
        else "n/a (policy files)"
    )
    access = "yes" if c.new_access else "unknown" if c.new_access_unknown else "no"
    return [
        "| check | result |",
        "|---|---|",
        f"| lint errors | {c.lint_errors} ({c.lint_warnings} warnings) |",
        f"| tests | {tests} |",
        f"| properties | {proofs} |",
        f"| new access | {access} |",
    ]


def _lint_section(review: Review) -> list[str]:
    lines = ["### Lint", ""]
    for doc in review.lint:
        note = "" if doc.counted else " (base, for reference: not counted)"
        if not doc.diagnostics:
            lines.append(f"- **{doc.label}**{note}: no diagnostics")
            continue
        lines.append(f"- **{doc.label}**{note}:")
        lines += [f"  - `{diagnostic_line(d)}`" for d in doc.diagnostics]
    return lines


def _cell(text: str) -> str:
    """Table-cell text: a `|` (even inside a code span) would end the cell in GitHub Markdown."""
    return text.replace("|", "\\|").replace("\n", " ")


MAX_DIFF_ROWS = 25
"""Rows shown per direction and document; the JSON report has every class."""


def _entry_rows(entries: tuple[DiffEntry, ...]) -> list[str]:
    lines = ["| actions | example request |", "|---|---|"]
    for e in entries[:MAX_DIFF_ROWS]:
        example = f"`{_request_line(e.example)}`" if e.example else ""
        lines.append(f"| {_cell(_actions(e))} | {_cell(example)} |")
    if len(entries) > MAX_DIFF_ROWS:
        lines.append(
            f"| and {len(entries) - MAX_DIFF_ROWS} more action classes | (`--format json`) |"
        )
    return lines


def _diff_lines(diff: DocumentDiff) -> list[str]:
    lines = [f"#### {diff.label}", ""]
    if diff.status is DiffStatus.NEW:
        return [*lines, "New: it did not exist in the base, so everything it allows is new access."]
    if diff.status is DiffStatus.IDENTICAL or diff.result is None:
        return [*lines, "**No new access**: the document is unchanged."]
    result = diff.result
    added = result.changes(Direction.ADDED)
    proven = f"{result.classes} action classes"
    if diff.identical_classes:
        proven += f", {diff.identical_classes} of them unchanged statement by statement"
    if result.no_new_access:
        lines.append(f"**No new access** (proven over every resource and context value, {proven}).")
    elif added:
        lines.append(f"**New access** in {len(added)} action class(es) ({proven}).")
    else:
        lines.append(f"New access could not be decided for some action classes ({proven}).")
    for title, entries in (
        ("Newly allowed (NEW allows, OLD does not)", added),
        ("No longer allowed (OLD allows, NEW does not)", result.changes(Direction.REMOVED)),
    ):
        if entries:
            lines += ["", f"{title}:", "", *_entry_rows(entries)]
    unknown = result.unknown()
    if unknown:
        lines += ["", "Undecided:", ""]
        lines += [f"- {e.direction.value}: {_actions(e)}: {e.reason}" for e in unknown]
    return lines


def _diff_section(review: Review) -> list[str]:
    lines = [f"### Diff against `{review.base}`", ""]
    for diff in review.diffs:
        lines += [*_diff_lines(diff), ""]
    return lines[:-1]


def _tests_section(report: TestReport | None) -> list[str]:
    lines = ["### Test battery", ""]
    if report is None:
        return [*lines, "Not applicable: policy files carry no design to test."]
    s = summary(report)
    lines.append(
        f"{s['total']} tests: {s['passed']} passed, {s['failed']} failed, {s['errors']} errors "
        f"(backend: {report.backend})."
    )
    for outcome in report.failures:
        lines += ["", "```", failure_text(outcome), "```"]
    return lines


def _proof_rows(properties: tuple[PropertyResult, ...]) -> list[str]:
    lines = ["| property | title | verdict | counterexample | seconds |", "|---|---|---|---|---|"]
    for p in properties:
        example = f"`{_request_line(p.counterexample)}`" if p.counterexample else p.reason or ""
        verdict = p.verdict.value if p.verdict is Verdict.HOLDS else f"**{p.verdict.value}**"
        row = f"`{p.id}` | {_cell(p.title)} | {verdict} | {_cell(example)}"
        lines.append(f"| {row} | {p.seconds:.2f} |")
    return lines


def _proof_section(report: ProofReport | None) -> list[str]:
    """Properties that do not hold first, then every property in a collapsed table."""
    lines = ["### Proofs", ""]
    if report is None:
        return [*lines, "Not applicable: policy files carry no design to prove."]
    props = report.properties
    failing = tuple(p for p in props if p.verdict is not Verdict.HOLDS)
    held = len(props) - len(failing)
    lines.append(f"{len(props)} properties: {held} hold, {len(failing)} do not.")
    if failing:
        lines += ["", *_proof_rows(failing)]
    summary_line = f"All {len(props)} properties with their seconds"
    return [
        *lines,
        "",
        f"<details><summary>{summary_line}</summary>",
        "",
        *_proof_rows(props),
        "",
        "</details>",
    ]


def render_review_markdown(review: Review) -> str:
    c = counts(review)
    lines = [f"## iamfence review: `{review.subject}` against `{review.base}`", ""]
    lines += [_verdict_line(review, c), "", *_summary_table(review, c), ""]
    lines += [f"> {note}\n" for note in review.notes]
    lines += [*_lint_section(review), ""]
    lines += [*_diff_section(review), ""]
    lines += [*_tests_section(review.tests), ""]
    lines += _proof_section(review.proofs)
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n") + "\n"


# -------------------------------------------------------------------------------------- JSON


def _diff_json(diff: DocumentDiff) -> dict[str, Any]:
    data: dict[str, Any] = {"document": diff.label, "status": diff.status.value}
    if diff.result is not None:
        data.update(json.loads(render_diff_json(diff.result)))
        data["identical_classes"] = diff.identical_classes
    data["new_access"] = bool(diff.added)
    return data


def render_review_json(review: Review) -> str:
    c = counts(review)
    data = {
        "subject": review.subject,
        "base": review.base,
        "verdict": review.verdict.value,
        "summary": {
            "lint_errors": c.lint_errors,
            "lint_warnings": c.lint_warnings,
            "tests_passed": c.tests_passed,
            "tests_failed": c.tests_failed,
            "properties_holds": c.holds,
            "properties_violated": c.violated,
            "properties_unknown": c.unknown,
            "new_access": c.new_access,
            "new_access_unknown": c.new_access_unknown,
        },
        "notes": list(review.notes),
        "lint": [
            {
                "document": doc.label,
                "counted": doc.counted,
                "diagnostics": [d.to_json() for d in doc.diagnostics],
            }
            for doc in review.lint
        ],
        "diff": [_diff_json(d) for d in review.diffs],
        "tests": None
        if review.tests is None
        else {
            "backend": review.tests.backend,
            "summary": summary(review.tests),
            "failures": [outcome_json(o) for o in review.tests.failures],
        },
        "properties": None
        if review.proofs is None
        else [property_json(p) for p in review.proofs.properties],
    }
    return json.dumps(data, indent=2) + "\n"


# ------------------------------------------------------------------------------------- SARIF

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _location(uri: str, line: int = 0, column: int = 0, logical: str = "") -> dict[str, Any]:
    region = {"startLine": max(line, 1), "startColumn": max(column, 1)}
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}
    }
    if logical:
        location["logicalLocations"] = [{"fullyQualifiedName": logical}]
    return location


def _lint_results(review: Review, artifact: str | None) -> list[dict[str, Any]]:
    results = []
    for doc in review.lint:
        if not doc.counted:
            continue
        for d in doc.diagnostics:
            where = d.location
            if artifact is None:  # the documents are files of the repository
                location = _location(where.file, where.line, where.column, where.pointer)
            else:  # generated from the spec: point at the spec, name the document
                location = _location(artifact, logical=f"{doc.label}{where.pointer}")
            results.append(
                {
                    "ruleId": d.code,
                    "level": _LEVEL[d.severity],
                    "message": {"text": f"{doc.label}: {d.message}"},
                    "locations": [location],
                }
            )
    return results


def _proof_results(review: Review, artifact: str) -> list[dict[str, Any]]:
    results = []
    for p in review.proofs.properties if review.proofs else ():
        if p.verdict is Verdict.HOLDS:
            continue
        results.append({**sarif_result(p), "locations": [_location(artifact, logical=p.id)]})
    return results


def _test_results(review: Review, artifact: str) -> list[dict[str, Any]]:
    results = []
    for o in review.tests.failures if review.tests else ():
        r = o.case.request
        results.append(
            {
                "ruleId": f"test/{o.case.category.value}",
                "level": "error",
                "message": {
                    "text": f"{o.case.name}: expected {o.case.expect.value}, got "
                    f"{o.decision.value} ({o.case.principal} -> {r.action} on {r.resource})"
                },
                "locations": [_location(artifact, logical=o.case.name)],
            }
        )
    return results


def render_review_sarif(review: Review, artifact: str, *, generated: bool, version: str) -> str:
    """SARIF 2.1.0: lint diagnostics (of the documents under review), violated and unknown
    properties and failed tests as results. `artifact` is the repository path results point at
    (the spec); with `generated` false the lint diagnostics point at their own files instead."""
    results = _lint_results(review, artifact if generated else None)
    results += _proof_results(review, artifact) + _test_results(review, artifact)
    descriptions: dict[str, str] = {}
    for p in review.proofs.properties if review.proofs else ():
        descriptions[p.id] = p.title
    for result in results:
        descriptions.setdefault(result["ruleId"], result["ruleId"])
    rules = [
        {"id": rule_id, "name": rule_id, "shortDescription": {"text": text}}
        for rule_id, text in sorted(descriptions.items())
    ]
    driver = {
        "name": "iamfence",
        "version": version or "0",
        "rules": rules,
    }
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }
    return json.dumps(sarif, indent=2) + "\n"

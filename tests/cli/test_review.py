"""`iamfence review` through the CLI runner: a spec changed in a temporary git repository reviewed
against HEAD (Markdown sections, new-access entries, failed tests, SARIF, exit codes), two policy
files, invalid input; and the diff's fast path checked against the prover's full diff."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from iamfence.cli.main import app

runner = CliRunner()
DATA = Path(__file__).parent / "data"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

SNS = "  - service: sns\n    access: [list]\n"
FAILING_TEST = (
    "  - name: app deletes buckets\n"
    "    principal: app-role\n"
    "    action: s3:DeleteBucket\n"
    "    resource: arn:aws:s3:::app-data\n"
    "    context: {aws:RequestedRegion: eu-west-1}\n"
    "    expect: allow\n"
)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _repo(root: Path) -> Path:
    """A git repository with a serverless-app spec committed at HEAD (under policies/)."""
    repo = root / "repo"
    (repo / "policies").mkdir(parents=True)
    _git(repo, "init", "-q")
    spec = repo / "policies" / "spec.yaml"
    result = runner.invoke(app, ["init", "--profile", "serverless-app", "-o", str(spec)])
    assert result.exit_code == 0, result.output
    _git(repo, "add", "policies/spec.yaml")
    _git(repo, "commit", "-q", "-m", "spec")
    return spec


def _add_service_and_failing_test(spec: Path) -> None:
    text = spec.read_text()
    assert "  - service: cloudwatch\n    access: [list, read]\n" in text
    text = text.replace(
        "  - service: cloudwatch\n    access: [list, read]\n",
        "  - service: cloudwatch\n    access: [list, read]\n" + SNS,
    )
    spec.write_text(text.rstrip("\n") + "\n" + FAILING_TEST)


@dataclass(frozen=True)
class Run:
    exit_code: int
    markdown: str
    sarif: dict[str, Any]


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """One review of a change that adds a service (new access) and a test that fails."""
    root = tmp_path_factory.mktemp("review")
    spec = _repo(root)
    _add_service_and_failing_test(spec)
    report, sarif = root / "out" / "iamfence-review.md", root / "out" / "iamfence.sarif"
    args = ["review", str(spec), "--base", "HEAD", "--format", "markdown"]
    result = runner.invoke(app, [*args, "-o", str(report), "--sarif", str(sarif)])
    return Run(result.exit_code, report.read_text(), json.loads(sarif.read_text()))


def test_markdown_has_every_section_in_order(changed: Run) -> None:
    md = changed.markdown
    headings = ["## iamfence review:", "### Lint", "### Diff against `HEAD`", "### Test battery"]
    positions = [md.index(h) for h in [*headings, "### Proofs"]]
    assert positions == sorted(positions)
    assert "**Verdict: FAIL**: 1 failed test(s)" in md
    assert "| tests | " in md and " 1 failed |" in md
    assert "| new access | yes |" in md
    assert "| lint errors | 0 " in md


def test_new_access_is_listed_per_document_with_an_example(changed: Run) -> None:
    md = changed.markdown
    diff = md[md.index("### Diff") : md.index("### Test battery")]
    for document in ("#### boundary policy", "#### developer policy"):
        part = diff[diff.index(document) :]
        assert "**New access** in " in part.split("####")[1]
    assert diff.count("| `sns:ListTopics` | `sns:ListTopics on arn:aws:sns:") == 2
    assert "No longer allowed" not in diff
    # only the sns classes changed; every other class is equal statement by statement
    assert "unchanged statement by statement" in diff
    assert "s3:" not in diff and "lambda:" not in diff


def test_failed_test_shows_request_and_deciding_statement(changed: Run) -> None:
    md = changed.markdown
    tests = md[md.index("### Test battery") : md.index("### Proofs")]
    assert "1 failed" in tests
    assert "FAIL app deletes buckets: expected allow, got ExplicitDeny" in tests
    assert "request: " in tests and "s3:DeleteBucket on arn:aws:s3:::app-data" in tests
    assert "decided by: " in tests and "(DenyListedActions)" in tests


def test_proofs_list_each_property_with_verdict_and_seconds(changed: Run) -> None:
    md = changed.markdown
    proofs = md[md.index("### Proofs") :]
    rows = [line for line in proofs.splitlines() if line.startswith("| `")]
    assert len(rows) >= 20
    assert all(line.split(" | ")[2] == "holds" for line in rows), rows[:3]
    assert "| `developer.create-role-without-boundary` | Developer: Create a role" in proofs
    assert all(float(line.rstrip(" |").rsplit("| ", 1)[1]) >= 0 for line in rows)


def test_exit_code_and_sarif_structure(changed: Run) -> None:
    assert changed.exit_code == 2  # a failed test
    sarif = changed.sarif
    assert sarif["version"] == "2.1.0" and "$schema" in sarif
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "iamfence"
    rule_ids = {r["id"] for r in driver["rules"]}
    assert "developer.create-role-without-boundary" in rule_ids
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["test/user"]
    for r in results:
        assert r["ruleId"] in rule_ids
        assert r["level"] in ("error", "warning", "note")
        assert "app deletes buckets" in r["message"]["text"]
        location = r["locations"][0]["physicalLocation"]
        # relative to the repository root, as code scanning expects
        assert location["artifactLocation"]["uri"] == "policies/spec.yaml"
        assert location["region"]["startLine"] >= 1


def test_unchanged_spec_is_a_proof_of_no_new_access_and_exits_0(tmp_path: Path) -> None:
    spec = _repo(tmp_path)
    result = runner.invoke(app, ["review", str(spec), "--base", "HEAD", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verdict"] == "clean"
    assert data["summary"]["new_access"] is False and data["summary"]["tests_failed"] == 0
    assert data["summary"]["properties_violated"] == data["summary"]["properties_unknown"] == 0
    assert [d["status"] for d in data["diff"]] == ["identical", "identical"]
    assert data["summary"]["tests_passed"] > 100 and len(data["properties"]) >= 20


def test_a_spec_absent_at_the_base_is_new(tmp_path: Path) -> None:
    spec = _repo(tmp_path)
    fresh = spec.parent / "other.yaml"
    fresh.write_text(spec.read_text())
    result = runner.invoke(
        app, ["review", str(fresh), "--base", "HEAD", "--fail-on-new-access", "-o", "-"]
    )
    assert result.exit_code == 2  # new access fails only with --fail-on-new-access
    assert "`policies/other.yaml` did not exist at `HEAD`: the spec is new." in result.stdout
    assert "**Verdict: FAIL**: new access." in result.stdout


def test_unknown_ref_and_invalid_spec_are_invalid_input(tmp_path: Path) -> None:
    spec = _repo(tmp_path)
    result = runner.invoke(app, ["review", str(spec), "--base", "no-such-ref"])
    assert result.exit_code == 3
    assert "unknown git ref 'no-such-ref'" in result.output
    spec.write_text("version: iamfence/v1\nservices: 12\n")
    result = runner.invoke(app, ["review", str(spec), "--base", "HEAD"])
    assert result.exit_code == 3
    assert "Traceback" not in result.output and "IF4" in result.output


def test_wrong_argument_shapes_are_invalid_input(tmp_path: Path) -> None:
    one = tmp_path / "a.json"
    one.write_text('{"Version": "2012-10-17", "Statement": []}')
    assert runner.invoke(app, ["review", str(one)]).exit_code == 3
    assert runner.invoke(app, ["review", str(one), str(one), "--base", "HEAD"]).exit_code == 3
    spec = tmp_path / "s.yaml"
    spec.write_text("version: iamfence/v1\n")
    result = runner.invoke(app, ["review", str(one), str(spec)])
    assert result.exit_code == 3 and "both be specs or both be policy" in result.output


def test_two_spec_files_with_a_base_that_does_not_build(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    assert runner.invoke(app, ["init", "-o", str(new)]).exit_code == 0
    old.write_text("version: iamfence/v1\nservices: nope\n")
    result = runner.invoke(app, ["review", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output  # new access alone is not a failure
    data = json.loads(result.stdout)
    (note,) = data["notes"]
    assert note.startswith(f"the base spec {old} does not build (") and "IF4" in note
    assert [d["status"] for d in data["diff"]] == ["new", "new"]
    assert data["summary"]["new_access"] is True


def _policy(path: Path, actions: list[str]) -> Path:
    statement = [{"Effect": "Allow", "Action": actions, "Resource": "*"}]
    path.write_text(json.dumps({"Version": "2012-10-17", "Statement": statement}, indent=2))
    return path


def test_two_policy_files_where_new_adds_an_action(tmp_path: Path) -> None:
    old = _policy(tmp_path / "old.json", ["s3:GetObject"])
    new = _policy(tmp_path / "new.json", ["s3:GetObject", "s3:PutObject", "s3:NoSuchAction"])
    sarif = tmp_path / "out.sarif"
    result = runner.invoke(app, ["review", str(old), str(new), "--sarif", str(sarif)])
    assert result.exit_code == 2, result.output  # the unknown action is a lint error
    md = result.stdout
    assert f"#### {new}" in md and "**New access** in 1 action class(es)" in md
    assert "| `s3:PutObject` | `s3:PutObject on " in md
    assert "Not applicable: policy files" in md
    lint = md[md.index("### Lint") : md.index("### Diff")]
    assert "IF301 's3:NoSuchAction' is not an action of s3 [/Statement/0/Action/2]" in lint
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert results and all(r["ruleId"].startswith("IF") for r in results)
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == str(new)
    assert location["region"]["startLine"] > 1  # the line of the action in new.json


def test_policy_new_access_fails_only_when_asked(tmp_path: Path) -> None:
    old = _policy(tmp_path / "old.json", ["sqs:SendMessage"])
    new = _policy(tmp_path / "new.json", ["sqs:SendMessage", "sqs:DeleteQueue"])
    plain = runner.invoke(app, ["review", str(old), str(new), "--format", "json"])
    assert plain.exit_code == 0, plain.output
    data = json.loads(plain.stdout)
    assert data["summary"]["new_access"] is True and data["tests"] is None
    (diff,) = data["diff"]
    assert [a["actions"] for a in diff["added"]] == [["sqs:DeleteQueue"]]
    assert diff["added"][0]["example"]["action"] == "sqs:DeleteQueue"
    strict = runner.invoke(app, ["review", str(old), str(new), "--fail-on-new-access"])
    assert strict.exit_code == 2
    back = runner.invoke(app, ["review", str(new), str(old), "--fail-on-new-access"])
    assert back.exit_code == 0 and "No longer allowed" in back.stdout


def _cases() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load((DATA / "review_diff_cases.yaml").read_text())
    return loaded


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_diff_fast_path_agrees_with_the_full_diff(case: dict[str, Any]) -> None:
    from iamfence.catalog import load_catalog
    from iamfence.cli.review import _diff
    from iamfence.model import NamedPolicy
    from iamfence.parse import load_policy
    from iamfence.symbolic import Direction
    from iamfence.symbolic.diff import DEFAULT_PRINCIPAL, diff_policies

    catalog = load_catalog()
    old, new = load_policy(case["old"]), load_policy(case["new"])
    review = _diff("p", old, new, catalog, DEFAULT_PRINCIPAL, 5.0)
    full = diff_policies(NamedPolicy("o", old), NamedPolicy("n", new), catalog)
    assert review.result is not None  # the cases' documents all differ
    for direction, expected in ((Direction.ADDED, "added"), (Direction.REMOVED, "removed")):
        mine = sorted(e.action_class.actions for e in review.result.changes(direction))
        theirs = sorted(e.action_class.actions for e in full.changes(direction))
        assert mine == theirs
        found = {a for actions in mine for a in actions}
        assert set(case[expected]) <= found and bool(found) is bool(case[expected])
    assert not review.result.unknown()


def _synthetic_review(*verdicts: str) -> Any:
    """A review of policy files whose proofs have the given verdicts, and one lint error in NEW
    and one in OLD (which is shown, not counted)."""
    from iamfence.diagnostics import Diagnostic, Location, Severity
    from iamfence.engine.types import PolicySet
    from iamfence.model import ContextValue, Request
    from iamfence.report.review import LintedDocument, Review, ReviewVerdict
    from iamfence.symbolic import ProofReport, PropertyResult, Verdict

    request = Request(
        "arn:aws:iam::111122223333:role/app-x",
        "iam:DeleteRolePermissionsBoundary",
        "arn:aws:iam::111122223333:role/a|b",
        (("aws:RequestedRegion", ContextValue.string("eu-west-1")),),
    )
    props = tuple(
        PropertyResult(
            f"p.{i}-{v}",
            f"Property {i}",
            Verdict(v),
            request if v == "violated" else None,
            PolicySet(),
            "solver timeout" if v == "unknown" else None,
            0.25,
        )
        for i, v in enumerate(verdicts)
    )
    error = Diagnostic("IF301", Severity.ERROR, "no such action", Location("new.json", "/S", 3, 7))
    base = Diagnostic("IF302", Severity.ERROR, "old problem", Location("old.json", "", 2, 1))
    lint = (LintedDocument("new.json", (error,)), LintedDocument("old.json", (base,), False))
    return Review("new.json", "old.json", lint, (), None, ProofReport(props), ReviewVerdict.CLEAN)


def test_verdict_precedence_findings_over_unknown_over_clean() -> None:
    from dataclasses import replace

    from iamfence.cli.review import _verdict
    from iamfence.report.review import ReviewVerdict

    review = _synthetic_review("holds", "unknown")
    assert _verdict(review, False) is ReviewVerdict.FINDINGS  # the lint error in NEW
    without_lint = replace(review, lint=review.lint[1:])  # only OLD's error: not counted
    assert _verdict(without_lint, False) is ReviewVerdict.UNKNOWN
    assert _verdict(replace(without_lint, proofs=None), False) is ReviewVerdict.CLEAN
    violated = replace(_synthetic_review("unknown", "violated"), lint=())
    assert _verdict(violated, False) is ReviewVerdict.FINDINGS


def test_violated_and_unknown_properties_in_markdown_and_sarif() -> None:
    from dataclasses import replace

    from iamfence.report.review import (
        ReviewVerdict,
        render_review_markdown,
        render_review_sarif,
    )

    review = replace(
        _synthetic_review("holds", "violated", "unknown"), verdict=ReviewVerdict.FINDINGS
    )
    md = render_review_markdown(review)
    assert "**Verdict: FAIL**: 1 lint error(s); 1 violated property; 1 undecided property." in md
    assert "| properties | 1 holds, 1 violated, 1 unknown |" in md
    assert "3 properties: 1 hold, 2 do not." in md
    failing = md[md.index("2 do not.") : md.index("<details>")]
    assert (
        "| `p.1-violated` | Property 1 | **violated** | `iam:DeleteRolePermissionsBoundary"
        in failing
    )
    assert "role/a\\|b" in failing  # a | in a cell is escaped
    assert "| `p.2-unknown` | Property 2 | **unknown** | solver timeout | 0.25 |" in failing
    assert "p.0-holds" not in failing and "| `p.0-holds` | Property 0 | holds |" in md
    assert "old.json** (base, for reference: not counted)" in md
    sarif = json.loads(render_review_sarif(review, "new.json", generated=False, version="1.0"))
    run = sarif["runs"][0]
    results = [(r["ruleId"], r["level"]) for r in run["results"]]
    assert results == [("IF301", "error"), ("p.1-violated", "error"), ("p.2-unknown", "warning")]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {
        "IF301",
        "p.0-holds",
        "p.1-violated",
        "p.2-unknown",
    }
    first = run["results"][0]["locations"][0]["physicalLocation"]
    assert first == {
        "artifactLocation": {"uri": "new.json"},
        "region": {"startLine": 3, "startColumn": 7},
    }
    assert (
        "counterexample: iam:DeleteRolePermissionsBoundary" in run["results"][1]["message"]["text"]
    )

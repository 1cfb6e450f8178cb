"""The CI integration files name commands and options that exist: a renamed flag must fail here,
not in a user's pipeline."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from typer.testing import CliRunner

from iamfence.cli.main import app

ROOT = Path(__file__).resolve().parent.parent.parent
runner = CliRunner()


def _options(command: str) -> set[str]:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return set(re.findall(r"(--[a-z][a-z0-9-]*|-[a-zA-Z])\b", result.output))


def test_pre_commit_hooks_run_real_commands() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"iamfence-lint", "iamfence-prove"}
    for hook in hooks:
        words = shlex.split(hook["entry"])
        assert words[0] == "iamfence"
        _options(words[1])  # the command exists
        assert re.compile(hook["files"])  # a valid regex


def test_pre_commit_file_patterns_match_what_they_should() -> None:
    hooks = {
        h["id"]: re.compile(h["files"])
        for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    assert hooks["iamfence-lint"].search("build/boundary.json")
    assert hooks["iamfence-lint"].search("iam/policies/app.policy.json")
    assert not hooks["iamfence-lint"].search("package.json")
    assert hooks["iamfence-prove"].search("infra/boundary.yaml")
    assert not hooks["iamfence-prove"].search(".github/workflows/ci.yml")


def test_action_calls_review_with_existing_options() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    scripts = "\n".join(step.get("run", "") for step in action["runs"]["steps"])
    calls = [line.strip() for line in scripts.splitlines() if line.strip().startswith("iamfence ")]
    assert calls, "the action must run iamfence"
    for call in calls:
        words = shlex.split(call.replace('"$SPEC"', "spec.yaml").replace('"$base_ref"', "main"))
        options = _options(words[1])
        used = {w for w in words[2:] if w.startswith("-")}
        assert used <= options, used - options

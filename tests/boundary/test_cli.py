"""`iamfence init`, `build` and `deploy` through the CLI runner, exit codes included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iamfence.cli.main import app

from .helpers import PROFILES

runner = CliRunner()


def test_list_profiles() -> None:
    result = runner.invoke(app, ["init", "--list-profiles"])
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == list(PROFILES)


@pytest.mark.parametrize("profile", PROFILES)
def test_init_then_build(profile: str, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    result = runner.invoke(
        app, ["init", "--profile", profile, "--account-id", "111122223333", "-o", str(spec)]
    )
    assert result.exit_code == 0, result.output
    text = spec.read_text()
    assert text.startswith(f"# iamfence boundary spec ({profile})") and "\n# " in text
    assert 'account_id: "111122223333"' in text
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(spec), "-o", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["boundary_policy_arn"] == (
        "arn:aws:iam::111122223333:policy/iamfence/iamfence-boundary"
    )
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == sorted(report["files"])
    assert {"boundary.json", "developer-policy.json", "cloudformation/template.yaml"} <= set(
        written
    )
    assert "terraform/main.tf" in written
    first = (out / "boundary.json").read_bytes()
    runner.invoke(app, ["build", str(spec), "-o", str(out)])
    assert (out / "boundary.json").read_bytes() == first


def test_init_to_stdout_without_account() -> None:
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0
    assert "account_id: null" in result.stdout and "serverless-app" in result.stdout


@pytest.mark.parametrize(
    "args",
    [["init", "--account-id", "12345"], ["init", "--profile", "nope"]],
)
def test_init_bad_options_exit_3(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 3


def test_build_invalid_spec_exits_3_with_located_lines(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("version: iamfence/v1\nservices:\n  - service: s3\n    acces: [read]\n")
    result = runner.invoke(app, ["build", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"{spec}:4:5 IF404 unknown field 'acces' (known: access, allow, deny, resources, service) [/services/0/acces]"
    ]
    assert not (tmp_path / "out").exists()


def test_build_too_large_exits_3(tmp_path: Path) -> None:
    services = "".join(
        f"  - service: {s}\n    access: [list, read, write, tagging]\n"
        for s in ("ec2", "s3", "lambda", "dynamodb", "rds", "glue", "sagemaker", "iot")
    )
    spec = tmp_path / "big.yaml"
    spec.write_text("version: iamfence/v1\nservices:\n" + services)
    result = runner.invoke(app, ["build", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 3
    assert "IF420" in result.stderr and "IF421" in result.stderr


@pytest.mark.moto
def test_deploy_plan_apply_rerun(moto_server: str, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    runner.invoke(app, ["init", "--profile", "container-app", "-o", str(spec)])
    base = ["deploy", str(spec), "--endpoint-url", moto_server, "--region", "us-east-1"]
    plan = runner.invoke(app, base)
    assert plan.exit_code == 0, plan.output
    assert plan.stdout.splitlines() == [
        "create    arn:aws:iam::123456789012:policy/iamfence/iamfence-boundary",
        "create    arn:aws:iam::123456789012:policy/iamfence/iamfence-developer",
        "plan only: run again with --apply to make these changes",
    ]
    again = runner.invoke(app, [*base, "--format", "json"])
    assert [p["change"] for p in json.loads(again.stdout)["plan"]] == ["create", "create"]
    applied = runner.invoke(app, [*base, "--apply"])
    assert applied.exit_code == 0 and applied.stdout.strip().endswith("applied")
    rerun = runner.invoke(app, [*base, "--apply"])
    assert rerun.stdout.splitlines()[0].startswith("unchanged ")
    assert "applied" not in rerun.stdout


def test_deploy_unreachable_endpoint_exits_1(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    runner.invoke(app, ["init", "-o", str(spec)])
    result = runner.invoke(app, ["deploy", str(spec), "--endpoint-url", "http://127.0.0.1:9"])
    assert result.exit_code == 1
    assert result.stderr.startswith("iamfence: ")


@pytest.mark.moto
def test_deploy_refuses_another_account(moto_server: str, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    runner.invoke(app, ["init", "--account-id", "111122223333", "-o", str(spec)])
    result = runner.invoke(app, ["deploy", str(spec), "--endpoint-url", moto_server, "--apply"])
    assert result.exit_code == 3
    assert "111122223333" in result.stderr and "123456789012" in result.stderr


def test_build_into_a_file_exits_1(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    runner.invoke(app, ["init", "-o", str(spec)])
    blocker = tmp_path / "out"
    blocker.write_text("a file, not a folder")
    result = runner.invoke(app, ["build", str(spec), "-o", str(blocker)])
    assert result.exit_code == 1
    assert result.stderr.startswith("iamfence: cannot write into")


def test_build_from_stdin(tmp_path: Path) -> None:
    text = runner.invoke(app, ["init", "--profile", "data-pipeline"]).stdout
    result = runner.invoke(app, ["build", "-", "-o", str(tmp_path / "o")], input=text)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "terraform" / "main.tf").is_file()

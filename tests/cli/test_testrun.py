"""`iamfence test` and `iamfence role-check` through the CLI runner: output, files and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from iamfence.cli.main import app

runner = CliRunner()


@pytest.fixture()
def spec(tmp_path: Path) -> Path:
    path = tmp_path / "spec.yaml"
    result = runner.invoke(app, ["init", "--profile", "serverless-app", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_battery_passes_with_json_and_junit(spec: Path, tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    result = runner.invoke(app, ["test", str(spec), "--format", "json", "--junit", str(junit)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["failed"] == 0 and data["summary"]["total"] == len(data["tests"]) > 100
    names = {t["name"] for t in data["tests"]}
    for attempt in range(1, 6):
        assert any(n.startswith(f"seed attempt {attempt}:") for n in names), attempt
    root = ET.parse(junit).getroot()
    assert root.get("tests") == str(data["summary"]["total"]) and root.get("failures") == "0"


def test_a_failing_user_test_fails_the_run_and_shows_the_deciding_statement(
    spec: Path, tmp_path: Path
) -> None:
    tests = tmp_path / "tests.yaml"
    tests.write_text(
        "- name: wrongly expects an unbounded role\n"
        "  principal: developer\n"
        "  action: iam:CreateRole\n"
        "  resource: arn:aws:iam::111122223333:role/app-x\n"
        "  expect: allow\n"
    )
    result = runner.invoke(app, ["test", str(spec), "--tests", str(tests)])
    assert result.exit_code == 2
    assert (
        "FAIL wrongly expects an unbounded role: expected allow, got ExplicitDeny" in result.stdout
    )
    assert "(DenyWithoutBoundary)" in result.stdout


def test_a_bad_test_file_is_invalid_input(spec: Path, tmp_path: Path) -> None:
    tests = tmp_path / "tests.yaml"
    tests.write_text("- name: x\n  principal: developer\n  expect: sometimes\n")
    result = runner.invoke(app, ["test", str(spec), "--tests", str(tests)])
    assert result.exit_code == 3
    assert "IF605" in result.output and "/0/expect" in result.output


def test_role_check_allows_a_prefixed_role_and_warns_on_open_trust(
    spec: Path, tmp_path: Path
) -> None:
    policy = tmp_path / "role.json"
    policy.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
            }
        )
    )
    trust = tmp_path / "trust.json"
    trust.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
                ],
            }
        )
    )
    result = runner.invoke(
        app,
        [
            "role-check",
            str(spec),
            "--name",
            "app-orders",
            "--policy",
            str(policy),
            "--trust",
            str(trust),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["allowed"] is True and data["problems"] == []
    assert [s["decision"] for s in data["steps"]] == ["Allow", "Allow"]
    assert data["trust_warnings"] == [
        {"issue": "trusts-everyone", "principal": "*", "statement_index": 0, "conditioned": False}
    ]
    assert "effective" in data


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        ("admin-x", ["name-outside-prefix"]),
        ("app-x/admin", ["name-outside-prefix", "path-not-allowed"]),
    ],
)
def test_role_check_says_why_not(spec: Path, name: str, problems: list[str]) -> None:
    result = runner.invoke(app, ["role-check", str(spec), "--name", name, "--format", "json"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["problems"] == problems
    assert data["steps"][0]["decision"] == "ExplicitDeny"


@pytest.mark.moto
def test_against_aws_on_moto_reports_honestly_and_cleans_up(spec: Path, moto_server: str) -> None:
    """moto implements neither the simulate APIs nor IAM enforcement: every simulated case is an
    error (never a pass), every tamper probe succeeds and is rolled back as critical, and the
    temporary role is gone afterwards."""
    import boto3

    deployed = runner.invoke(app, ["deploy", str(spec), "--endpoint-url", moto_server, "--apply"])
    assert deployed.exit_code == 0, deployed.output
    iam = boto3.client("iam", endpoint_url=moto_server, region_name="us-east-1")
    roles_before = iam.list_roles()["Roles"]
    base = [
        "test",
        str(spec),
        "--against",
        "aws",
        "--endpoint-url",
        moto_server,
        "--format",
        "json",
    ]
    plan = runner.invoke(app, base)
    assert plan.exit_code == 2 and "run again with --apply" in plan.output
    assert iam.list_roles()["Roles"] == roles_before  # nothing created without --apply
    result = runner.invoke(app, [*base, "--apply"])
    assert result.exit_code == 2, result.output
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert data["backend"] == "aws"
    assert data["summary"]["critical"] == 4
    assert data["summary"]["errors"] == data["summary"]["total"] - 4
    assert not [
        r for r in iam.list_roles()["Roles"] if r["RoleName"].startswith("app-iamfence-test-")
    ]

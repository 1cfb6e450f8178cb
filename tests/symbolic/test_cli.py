"""`iamfence prove` and `iamfence diff` through the CLI runner, exit codes included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from iamfence.cli.main import app
from iamfence.engine import Decision, authorize
from iamfence.parse.cases import load_cases
from tests.symbolic.test_designs import BOUNDARY, CASES, DEVELOPER, patched

DATA = Path(__file__).parent / "data"
GOOD = str(DATA / "good-boundary.json")


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def hand_args(policy: str) -> list[str]:
    return [
        "prove",
        "--identity",
        policy,
        "--permissions-boundary",
        policy,
        "--boundary-arn",
        BOUNDARY,
        "--role-prefix",
        "app-",
        "--principal",
        "arn:aws:iam::111122223333:role/developer",
        "--developer-policy-arn",
        DEVELOPER,
        "--protected-tag",
        "owner-team",
    ]


def test_good_design_holds_exit_0_and_json_shape() -> None:
    result = run(*hand_args(GOOD), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["properties"]) == 36
    for prop in data["properties"]:
        assert set(prop) >= {"id", "title", "verdict", "counterexample", "seconds"}
        assert prop["verdict"] == "holds"
        assert prop["counterexample"] is None


def test_hole_exits_2_and_counterexample_is_a_request_file(tmp_path: Path) -> None:
    case = next(c for c in CASES if c["name"] == "pass-role-on-star")
    policy = tmp_path / "hole.json"
    policy.write_text(json.dumps(patched(case)))
    result = run(*hand_args(str(policy)), "--format", "json")
    assert result.exit_code == 2, result.output
    props = {p["id"]: p for p in json.loads(result.stdout)["properties"]}
    violated = props["developer.pass-role-outside-prefix"]
    assert violated["verdict"] == "violated"
    file = violated["counterexample"]
    assert file["expect"] == "Allow"
    assert file["request"]["action"] == "iam:PassRole"
    # the request file round-trips through the case parser and the engine allows it
    (parsed,) = load_cases(json.dumps(file))
    assert authorize(parsed.request, parsed.policies).decision is Decision.ALLOW
    assert props["developer.assume-role-outside-prefix"]["verdict"] == "holds"


def test_sarif_lists_only_unproven_properties(tmp_path: Path) -> None:
    case = next(c for c in CASES if c["name"] == "no-deny-on-deleting-the-boundary")
    policy = tmp_path / "hole.json"
    policy.write_text(json.dumps(patched(case)))
    result = run(*hand_args(str(policy)), "--format", "sarif")
    assert result.exit_code == 2
    sarif = json.loads(result.stdout)
    rule_ids = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert rule_ids == {"developer.delete-role-boundary", "role.delete-role-boundary"}


def test_unsupported_feature_is_unknown_exit_4(tmp_path: Path) -> None:
    doc = json.loads(Path(GOOD).read_text())
    doc["Statement"].append(
        {
            "Sid": "BinaryGuard",
            "Effect": "Deny",
            "Action": "iam:CreateRole",
            "Resource": "*",
            "Condition": {"BinaryEquals": {"aws:RequestTag/blob": "QUJD"}},
        }
    )
    policy = tmp_path / "binary.json"
    policy.write_text(json.dumps(doc))
    result = run(*hand_args(str(policy)), "--format", "json")
    assert result.exit_code == 4, result.output
    props = {p["id"]: p for p in json.loads(result.stdout)["properties"]}
    unknown = props["developer.create-role-without-boundary"]
    assert unknown["verdict"] == "unknown"
    assert "developer.create-role-without-boundary unknown" in result.stderr
    assert "BinaryEquals" in result.stderr
    text = run(*hand_args(str(policy)))
    assert text.exit_code == 4 and "reason: iam:CreateRole: BinaryEquals" in text.stdout


def test_missing_arguments_exit_3() -> None:
    result = run("prove", "--identity", GOOD)
    assert result.exit_code == 3


def test_invalid_policy_exit_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"Statement": [{"Effect": "Maybe"}]}')
    result = run(*hand_args(str(bad)))
    assert result.exit_code == 3


@pytest.mark.parametrize("profile", ["serverless-app", "container-app", "data-pipeline"])
def test_built_in_profiles_are_proven(profile: str, tmp_path: Path) -> None:
    from iamfence.boundary import profile_names

    if profile not in profile_names():
        pytest.skip(f"profile {profile} not built in")
    spec = tmp_path / "spec.yaml"
    init = run("init", "--profile", profile, "--account-id", "111122223333", "-o", str(spec))
    assert init.exit_code == 0, init.output
    result = run("prove", str(spec), "--format", "json")
    assert result.exit_code == 0, result.output
    props = json.loads(result.stdout)["properties"]
    assert len(props) >= 32
    assert all(p["verdict"] == "holds" for p in props)


def test_diff_cli_markdown_and_exit_codes(tmp_path: Path) -> None:
    doc = json.loads(Path(GOOD).read_text())
    wider = json.loads(json.dumps(doc))
    wider["Statement"].append({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})
    new = tmp_path / "new.json"
    new.write_text(json.dumps(wider))
    added = run("diff", GOOD, str(new), "--format", "markdown")
    assert added.exit_code == 2, added.output
    assert "`iam:PassRole`" in added.stdout
    same = run("diff", GOOD, GOOD, "--format", "json")
    assert same.exit_code == 0, same.output
    data = json.loads(same.stdout)
    assert data["no_new_access"] is True and data["added"] == [] and data["removed"] == []
    narrower = run("diff", str(new), GOOD, "--format", "json")
    assert narrower.exit_code == 0
    removed = json.loads(narrower.stdout)["removed"]
    assert any("iam:PassRole" in e["actions"] for e in removed)


def test_scp_levels_apply_to_developer_and_roles(tmp_path: Path) -> None:
    hole = tmp_path / "hole.json"
    hole.write_text(
        json.dumps({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    )
    scp = tmp_path / "scp.json"
    deny_iam = {
        "Effect": "Deny",
        "Action": "iam:*",
        "Resource": "*",
        "Condition": {"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/platform-*"}},
    }
    allow_all = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    scp.write_text(json.dumps({"Version": "2012-10-17", "Statement": [allow_all, deny_iam]}))
    args = ["prove", "--identity", str(hole), "--permissions-boundary", str(hole)]
    args += ["--boundary-arn", BOUNDARY, "--role-prefix", "app-", "--format", "json"]
    result = run(*args, "--scp", str(scp))
    assert result.exit_code == 2, result.output
    props = {p["id"]: p["verdict"] for p in json.loads(result.stdout)["properties"]}
    violated = {pid for pid, v in props.items() if v == "violated"}
    assert violated == {"developer.assume-role-outside-prefix", "role.assume-role-outside-prefix"}
    without = run(*args)
    assert without.exit_code == 2
    assert sum(p["verdict"] == "violated" for p in json.loads(without.stdout)["properties"]) > 20

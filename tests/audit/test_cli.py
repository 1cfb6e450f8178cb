"""`iamfence audit` and `iamfence remediate` through the CLI runner: a moto sandbox audited,
remediated and re-audited (trend), snapshot files, report formats, exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from typer.testing import CliRunner

from iamfence.cli.main import app
from tests.adapters.test_audit_collect import populate

ACCOUNT = "123456789012"
BOUNDARY = f"arn:aws:iam::{ACCOUNT}:policy/DevBoundary"
HERE = Path(__file__).parent


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture()
def sandbox(moto_server: str) -> str:
    populate(boto3.client("iam", endpoint_url=moto_server, region_name="us-east-1"), ACCOUNT)
    return moto_server


@pytest.mark.moto
def test_audit_remediate_reaudit(sandbox: str, tmp_path: Path) -> None:
    db = str(tmp_path / "history.sqlite3")
    common = [
        "--endpoint-url",
        sandbox,
        "--boundary-arn",
        BOUNDARY,
        "--role-prefix",
        "app-",
        "--db",
        db,
        "--no-drift",
    ]
    first = run("audit", *common, "--format", "json", "--today", "2026-11-28")
    assert first.exit_code == 2, first.output
    doc = json.loads(first.stdout)
    assert list(doc) == ["accounts", "findings", "summary"]
    assert set(doc["findings"][0]) == {
        "code",
        "severity",
        "account",
        "subject_arn",
        "message",
        "evidence",
        "muted",
    }
    codes = sorted((f["code"], f["subject_arn"].rsplit("/", 1)[1]) for f in doc["findings"])
    assert codes == [("IF701", "app-none"), ("IF702", "app-wrong"), ("IF703", "bob")]
    assert doc["accounts"][0]["account"] == ACCOUNT and doc["accounts"][0]["roles"] == 3
    assert doc["summary"]["trend"] == {"previous_audit": "", "new": 3, "fixed": 0, "unchanged": 0}

    report = tmp_path / "audit.json"
    report.write_text(first.stdout)
    from_report = run("remediate", "--report", str(report), "--format", "json")
    assert from_report.exit_code == 2
    assert [s["role_name"] for s in json.loads(from_report.stdout)["steps"]] == ["app-none"]
    plan = run("remediate", "--endpoint-url", sandbox, "--boundary-arn", BOUNDARY)
    assert (
        plan.exit_code == 2 and "app-none: attach" in plan.stdout and "app-wrong" not in plan.stdout
    )
    applied = run(
        "remediate",
        "--endpoint-url",
        sandbox,
        "--boundary-arn",
        BOUNDARY,
        "--apply",
        "--format",
        "json",
    )
    assert applied.exit_code == 0, applied.output
    [step] = json.loads(applied.stdout)["steps"]
    assert (step["role_name"], step["outcome"]) == ("app-none", "applied")
    iam = boto3.client("iam", endpoint_url=sandbox, region_name="us-east-1")
    assert (
        iam.get_role(RoleName="app-none")["Role"]["PermissionsBoundary"]["PermissionsBoundaryArn"]
        == BOUNDARY
    )

    second = run("audit", *common, "--format", "json")
    doc2 = json.loads(second.stdout)
    assert second.exit_code == 2
    assert [f["code"] for f in doc2["findings"]] == ["IF702", "IF703"]
    trend = doc2["summary"]["trend"]
    assert (trend["new"], trend["fixed"], trend["unchanged"]) == (0, 1, 2)
    assert trend["previous_audit"] == doc["summary"]["audit_id"]
    assert [f["subject_arn"] for f in doc2["summary"]["trend_fixed"]] == [
        f"arn:aws:iam::{ACCOUNT}:role/app-none"
    ]

    replaced = run(
        "remediate",
        "--endpoint-url",
        sandbox,
        "--boundary-arn",
        BOUNDARY,
        "--replace-other",
        "--apply",
    )
    assert replaced.exit_code == 0 and "app-wrong: replace" in replaced.stdout
    third = run("audit", *common, "--no-check-users", "--format", "text")
    assert third.exit_code == 0 and "COMPLIANT" in third.stdout


def _snapshot(tmp_path: Path, sandbox: str) -> Path:
    iam = boto3.client("iam", endpoint_url=sandbox, region_name="us-east-1")
    data = iam.get_account_authorization_details(Filter=["Role", "User", "LocalManagedPolicy"])
    data.pop("ResponseMetadata")
    for p in data["Policies"]:
        p.setdefault("PolicyName", p["Arn"].rsplit("/", 1)[1])
    path = tmp_path / "snap" / f"{ACCOUNT}.json"
    path.parent.mkdir()
    path.write_text(json.dumps(data, default=str))
    return path


@pytest.mark.moto
def test_snapshot_folder_formats_and_fail_on(sandbox: str, tmp_path: Path) -> None:
    snap = _snapshot(tmp_path, sandbox)
    base = [
        "audit",
        "--snapshot",
        str(snap.parent),
        "--boundary-arn",
        BOUNDARY,
        "--no-history",
        "--no-drift",
    ]
    exemptions = tmp_path / "ex.yaml"
    exemptions.write_text(
        "exemptions:\n"
        f"  - {{subject: 'arn:aws:iam::{ACCOUNT}:role/app-*', codes: [IF701, IF702], reason: SEC-1, expires: 2027-01-01}}\n"
    )
    muted = run(*base, "--exemptions", str(exemptions), "--today", "2026-11-28", "--format", "json")
    doc = json.loads(muted.stdout)
    assert {(f["code"], f["muted"]) for f in doc["findings"]} == {
        ("IF701", True),
        ("IF702", True),
        ("IF703", False),
    }
    assert muted.exit_code == 0  # IF703 is a warning; default --fail-on error
    assert run(*base, "--exemptions", str(exemptions), "--fail-on", "warning").exit_code == 2
    expired = run(
        *base, "--exemptions", str(exemptions), "--today", "2027-02-01", "--format", "json"
    )
    assert (
        "IF707" in {f["code"] for f in json.loads(expired.stdout)["findings"]}
        and expired.exit_code == 2
    )

    md = run(*base, "--format", "markdown").stdout
    assert "| IF701 | error |" in md and "NOT compliant" in md
    rows = list(csv.DictReader(io.StringIO(run(*base, "--format", "csv").stdout)))
    assert sorted(r["code"] for r in rows) == ["IF701", "IF702", "IF703"]
    sarif = json.loads(run(*base, "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"IF701", "IF702", "IF703"}
    out = tmp_path / "r" / "report.html"
    res = run(*base, "--format", "html", "-o", str(out))
    assert res.exit_code == 2 and out.read_text().startswith("<!DOCTYPE html>")


def test_truncated_snapshot_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "acct.json"
    path.write_text(
        json.dumps({"RoleDetailList": [], "Policies": [], "IsTruncated": True, "Marker": "abc"})
    )
    res = CliRunner().invoke(
        app, ["audit", "--snapshot", str(path), "--boundary-arn", BOUNDARY, "--no-history"]
    )
    assert res.exit_code == 3
    assert str(path) in res.output and "IF511" in res.output
    assert "Traceback" not in res.output
    cut = tmp_path / "cut.json"
    cut.write_text('{"RoleDetailList": [{"RoleName": "a"')
    res = CliRunner().invoke(
        app, ["audit", "--snapshot", str(cut), "--boundary-arn", BOUNDARY, "--no-history"]
    )
    assert res.exit_code == 3 and str(cut) in res.output and "not valid JSON" in res.output


def test_cloudtrail_and_catalog_drift_through_the_cli(tmp_path: Path) -> None:
    snap = tmp_path / "222222222222.json"
    snap.write_text(
        json.dumps(
            {
                "RoleDetailList": [],
                "UserDetailList": [],
                "Policies": [
                    {
                        "PolicyName": "DevBoundary",
                        "Arn": "arn:aws:iam::222222222222:policy/DevBoundary",
                        "Path": "/",
                        "DefaultVersionId": "v1",
                        "PolicyVersionList": [
                            {
                                "VersionId": "v1",
                                "IsDefaultVersion": True,
                                "Document": {
                                    "Version": "2012-10-17",
                                    "Statement": [
                                        {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}
                                    ],
                                },
                            }
                        ],
                    }
                ],
            }
        )
    )
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"version": "old", "actions": {"s3:GetObject": "Read"}}))
    res = run(
        "audit",
        "--snapshot",
        str(snap),
        "--boundary-arn",
        "arn:aws:iam::${AccountId}:policy/DevBoundary",
        "--db",
        str(tmp_path / "h.db"),
        "--cloudtrail",
        str(HERE / "fixtures" / "cloudtrail"),
        "--since",
        "2026-11-01",
        "--until",
        "2026-11-03",
        "--catalog-baseline",
        str(baseline),
        "--format",
        "json",
    )
    doc = json.loads(res.stdout)
    trail = {f["evidence"]["event_id"] for f in doc["findings"] if "event_id" in f["evidence"]}
    assert "ev-0001-delete-role-boundary" in trail and "ev-0011-set-default" not in trail
    drift = doc["summary"]["catalog_drift"]
    assert drift["baseline"] == "old" and drift["added"] > 1000
    granted = drift["granted"]
    every = [a for actions in granted.values() for a in actions]
    assert "s3:PutObject" in granted["Write"] and "s3:GetObject" not in every
    assert all(a.startswith("s3:") for a in every)
    assert res.exit_code == 2  # IF710 is an error
    # The catalog used is stored: the next audit's drift baseline is this one, so nothing new.
    again = run(
        "audit",
        "--snapshot",
        str(snap),
        "--boundary-arn",
        "arn:aws:iam::${AccountId}:policy/DevBoundary",
        "--db",
        str(tmp_path / "h.db"),
        "--format",
        "json",
    )
    assert json.loads(again.stdout)["summary"]["catalog_drift"]["added"] == 0


def test_wrong_options_exit_3_not_2(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"RoleDetailList": [], "UserDetailList": [], "Policies": []}))
    missing = CliRunner().invoke(app, ["audit", "--snapshot", str(path), "--no-history"])
    assert missing.exit_code == 3 and "--boundary-arn" in missing.output
    bad = CliRunner().invoke(
        app, ["audit", "--snapshot", str(path), "--boundary-arn", BOUNDARY, "--fail-on", "fatal"]
    )
    assert bad.exit_code == 3 and "--fail-on" in bad.output
    fmt = CliRunner().invoke(
        app, ["audit", "--snapshot", str(path), "--boundary-arn", BOUNDARY, "--format", "xml"]
    )
    assert fmt.exit_code == 3

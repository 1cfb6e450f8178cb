"""`iamfence effective` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from iamfence.cli.main import app

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "catalog"
FILES = CORPUS / "effective" / "files"
BASE = ["effective", "--catalog", str(CORPUS / "new.json"), "--today", "2026-03-02"]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, [*BASE, *args])


def test_json_with_boundary_and_scp() -> None:
    result = run(
        "--identity",
        str(FILES / "identity.json"),
        "--permissions-boundary",
        str(FILES / "boundary.json"),
        "--scp",
        str(FILES / "scp.json"),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    scopes = {a["action"]: a["scope"] for a in data["actions"]}
    assert scopes == {
        "s3:GetObject": "all-resources",
        "s3:GetObjectSummary": "all-resources",
        "s3:ListBucket": "all-resources",
        "s3:ListAllMyBuckets": "all-resources",
        "s3:PutObject": "some-resources",
        "s3:PutObjectRetentionRule": "some-resources",
        # over-reported on purpose: s3:Put* on arn:aws:s3:::app-*/* matches the witness
        # arn:aws:s3:::app-x/x, though no bucket ARN has a '/' (lint IF303 flags such statements)
        "s3:PutBucketPolicy": "some-resources",
        "iam:GetRole": "all-resources",
        "newsvc:ListWidgets": "conditional",
        "newsvc:CreateWidget": "conditional",
    }
    assert data["candidates"] == 11  # identity ∩ boundary ∩ SCP names
    put = next(a for a in data["actions"] if a["action"] == "s3:PutObject")
    assert put["witness_resource"].startswith("arn:aws:s3:::app-")
    policies = {d["policy_type"] for d in put["deciding"]}
    assert policies >= {"identity", "boundary"}
    summary = {(r["service"], r["access_level"]): r for r in data["summary"]}
    assert summary[("s3", "Write")]["some_resources"] == [
        "s3:PutObject",
        "s3:PutObjectRetentionRule",
    ]


def test_text_table() -> None:
    result = run(
        "--identity",
        str(FILES / "identity.json"),
        "--permissions-boundary",
        str(FILES / "boundary.json"),
    )
    assert result.exit_code == 0, result.output
    assert "SERVICE" in result.stdout and "UNDER CONDITIONS" in result.stdout
    assert (
        "s3 Write only on some resources: s3:PutObject, s3:PutObjectRetentionRule" in result.stdout
    )
    assert "s3 Permissions management only on some resources: s3:PutBucketPolicy" in result.stdout
    assert "11 of 11 candidate actions allowed" in result.stdout


def test_service_filter() -> None:
    result = run(
        "--identity", str(FILES / "identity.json"), "--service", "newsvc", "--format", "json"
    )
    data = json.loads(result.stdout)
    assert {a["action"] for a in data["actions"]} == {"newsvc:ListWidgets", "newsvc:CreateWidget"}


def test_invalid_policy_exits_3(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Maybe"}]}')
    result = run("--identity", str(bad))
    assert result.exit_code == 3
    assert "bad.json" in result.stderr
    result = run("--identity", str(tmp_path / "missing.json"))
    assert result.exit_code == 3

"""`iamfence audit --org` against a moto Organization, and CloudTrail logs read from S3."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import boto3
import pytest
from typer.testing import CliRunner

from iamfence.adapters.cloudtrail import read_s3
from iamfence.adapters.collect import Connection, assume_role
from iamfence.audit import AuditConfig, review_records
from iamfence.cli.main import app
from tests.adapters.test_audit_collect import NO_SLEEP, populate

HERE = Path(__file__).parent


@pytest.mark.moto
def test_org_audit_through_the_cli(moto_server: str, tmp_path: Path) -> None:
    org = boto3.client("organizations", endpoint_url=moto_server, region_name="us-east-1")
    org.create_organization(FeatureSet="ALL")
    members = [
        org.create_account(Email=f"m{i}@example.com", AccountName=f"m{i}")["CreateAccountStatus"][
            "AccountId"
        ]
        for i in range(2)
    ]
    conn = Connection(endpoint_url=moto_server)
    for account in members:
        session = assume_role(
            conn.session(),
            conn,
            f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
            NO_SLEEP,
        )
        populate(session.client("iam", endpoint_url=moto_server), account)
    exemptions = tmp_path / "ex.yaml"
    exemptions.write_text(
        "- {subject: 'arn:aws:iam::*:role/OrganizationAccountAccessRole', reason: audit role, expires: 2099-01-01}\n"
    )
    res = CliRunner().invoke(
        app,
        [
            "audit",
            "--org",
            "--endpoint-url",
            moto_server,
            "--concurrency",
            "2",
            "--boundary-arn",
            "arn:aws:iam::${AccountId}:policy/DevBoundary",
            "--no-check-users",
            "--exemptions",
            str(exemptions),
            "--no-history",
            "--no-drift",
            "--format",
            "json",
        ],
        catch_exceptions=False,
    )
    assert res.exit_code == 2
    doc = json.loads(res.stdout)
    assert sorted(a["account"] for a in doc["accounts"]) == sorted([*members, "123456789012"])
    live = sorted(
        (f["account"], f["code"], f["subject_arn"].rsplit("/", 1)[1])
        for f in doc["findings"]
        if not f["muted"]
    )
    want = sorted(
        (a, c, n) for a in members for c, n in (("IF701", "app-none"), ("IF702", "app-wrong"))
    )
    # The management account has no DevBoundary policy: IF704 there.
    assert live == sorted([*want, ("123456789012", "IF704", "DevBoundary")])
    muted = [f for f in doc["findings"] if f["muted"]]
    assert {f["account"] for f in muted} >= set(members)
    assert all(f["subject_arn"].endswith(":role/OrganizationAccountAccessRole") for f in muted)
    assert all(f["evidence"]["mute_reason"].startswith("exemption: audit role") for f in muted)

    # Remediate across the Organization (exempted audit roles are left alone), then re-audit.
    fix = CliRunner().invoke(
        app,
        [
            "remediate",
            "--org",
            "--endpoint-url",
            moto_server,
            "--boundary-arn",
            "arn:aws:iam::${AccountId}:policy/DevBoundary",
            "--exemptions",
            str(exemptions),
            "--apply",
            "--format",
            "json",
        ],
        catch_exceptions=False,
    )
    assert fix.exit_code == 0, fix.output
    steps = json.loads(fix.stdout)["steps"]
    assert sorted((s["account"], s["role_name"], s["outcome"]) for s in steps) == sorted(
        (a, "app-none", "applied") for a in members
    )


@pytest.mark.moto
def test_cloudtrail_from_s3(moto_server: str) -> None:
    s3 = boto3.client("s3", endpoint_url=moto_server, region_name="us-east-1")
    s3.create_bucket(Bucket="trail")
    data = (HERE / "fixtures" / "cloudtrail" / "events.json").read_bytes()
    key = "AWSLogs/222222222222/CloudTrail/us-east-1/2026/11/02/x.json.gz"
    s3.put_object(Bucket="trail", Key=key, Body=gzip.compress(data))
    s3.put_object(Bucket="trail", Key="AWSLogs/readme.txt", Body=b"not a log")
    conn = Connection(endpoint_url=moto_server)
    records = list(read_s3("s3://trail/AWSLogs/", conn.session(), moto_server))
    assert len(records) == 10
    config = AuditConfig("arn:aws:iam::${AccountId}:policy/DevBoundary")
    found = {str(f.get("event_id")) for f in review_records(records, config.boundary_arn_for)}
    assert "ev-0001-delete-role-boundary" in found and len(found) == 6


@pytest.mark.moto
def test_spec_gives_boundary_document_and_prefix(moto_server: str, tmp_path: Path) -> None:
    from iamfence.cli.design import load_design
    from iamfence.parse import policy_to_json

    # The spec `iamfence init --profile serverless-app --account-id 123456789012` writes.
    spec = HERE / "fixtures" / "spec.yaml"
    design = load_design(str(spec))
    iam = boto3.client("iam", endpoint_url=moto_server, region_name="us-east-1")
    document = policy_to_json(design.boundary_policy)
    text = document if isinstance(document, str) else json.dumps(document)
    iam.create_policy(
        PolicyName=design.boundary_policy_name,
        Path=design.boundary_policy_path,
        PolicyDocument=text,
    )
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    )
    iam.create_role(
        RoleName="app-ok",
        AssumeRolePolicyDocument=trust,
        PermissionsBoundary=design.boundary_policy_arn,
    )
    iam.create_role(
        RoleName="legacy-job",
        AssumeRolePolicyDocument=trust,
        PermissionsBoundary=design.boundary_policy_arn,
    )
    args = [
        "audit",
        "--endpoint-url",
        moto_server,
        "--spec",
        str(spec),
        "--no-history",
        "--no-drift",
        "--format",
        "json",
    ]
    first = json.loads(CliRunner().invoke(app, args, catch_exceptions=False).stdout)
    assert [(f["code"], f["subject_arn"].rsplit("/", 1)[1]) for f in first["findings"]] == [
        ("IF706", "legacy-job")
    ]
    # A new default version that only adds an Allow the boundary's own guards deny: written
    # differently, means the same. The prover says so, and there is no finding.
    same = json.loads(text)
    same["Statement"].append(
        {"Sid": "Inert", "Effect": "Allow", "Action": "iam:CreateUser", "Resource": "*"}
    )
    iam.create_policy_version(
        PolicyArn=design.boundary_policy_arn, PolicyDocument=json.dumps(same), SetAsDefault=True
    )
    res = CliRunner().invoke(app, args, catch_exceptions=False)
    assert [f["code"] for f in json.loads(res.stdout)["findings"]] == ["IF706"]
    # Someone widens the boundary with a new default version: drift from the spec's document.
    wide = json.loads(text)
    wide["Statement"].append(
        {"Sid": "Widened", "Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}
    )
    iam.create_policy_version(
        PolicyArn=design.boundary_policy_arn, PolicyDocument=json.dumps(wide), SetAsDefault=True
    )
    res = CliRunner().invoke(app, args, catch_exceptions=False)
    second = json.loads(res.stdout)
    [drift] = [f for f in second["findings"] if f["code"] == "IF705"]
    assert drift["subject_arn"] == design.boundary_policy_arn
    assert drift["evidence"]["default_version"] == "v3"
    assert res.exit_code == 2
    # The prover is installed: the differences are semantic, each with an example request.
    assert drift["evidence"]["comparison"] == "semantic"
    assert any(
        d.startswith("ec2:RunInstances")
        and "allowed by the actual boundary, not by the expected one" in d
        for d in drift["evidence"]["differences"]
    ), drift["evidence"]["differences"]


def test_lookup_events_reader() -> None:
    """LookupEvents (us-east-1) is paged through and each CloudTrailEvent is the record reviewed
    (moto does not implement LookupEvents: botocore's Stubber plays the service)."""
    from botocore.stub import Stubber

    from iamfence.adapters.cloudtrail import read_lookup
    from iamfence.audit.cloudtrail import parse_time

    records = json.loads((HERE / "fixtures" / "cloudtrail" / "events.json").read_text())["Records"]
    session = boto3.Session(region_name="eu-west-1")
    client = session.client("cloudtrail", region_name="us-east-1")
    since, until = parse_time("2026-11-01T00:00:00Z"), parse_time("2026-11-30T00:00:00Z")
    attrs = [{"AttributeKey": "EventSource", "AttributeValue": "iam.amazonaws.com"}]
    with Stubber(client) as stub:
        stub.add_response(
            "lookup_events",
            {
                "Events": [
                    {"EventId": r["eventID"], "CloudTrailEvent": json.dumps(r)} for r in records[:4]
                ],
                "NextToken": "t1",
            },
            {"LookupAttributes": attrs, "StartTime": since, "EndTime": until},
        )
        stub.add_response(
            "lookup_events",
            {
                "Events": [
                    {"EventId": r["eventID"], "CloudTrailEvent": json.dumps(r)} for r in records[4:]
                ]
            },
            {"LookupAttributes": attrs, "StartTime": since, "EndTime": until, "NextToken": "t1"},
        )
        got = list(read_lookup(session, since, until, client=client))
        stub.assert_no_pending_responses()
    assert [r["eventID"] for r in got] == [r["eventID"] for r in records]

"""`make demo`: the seed workflow end to end with the real CLI, on an embedded moto server on
127.0.0.1 (no AWS account). Idempotent: it starts from an empty demo-out/ and an empty sandbox."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "demo-out"
ACCOUNT = "123456789012"  # moto's default account
PROFILE = "serverless-app"
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
DEPLOY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
            "Resource": "*",
        }
    ],
}
EXEMPTIONS = f"""exemptions:
  - subject: "arn:aws:iam::{ACCOUNT}:role/ops-admin"
    reason: "operations break-glass role, owned by the platform team (SEC-42)"
    expires: 2027-06-30
"""
OLD_CATALOG = sorted((ROOT / "examples").glob("catalog-*.json.gz"))


def say(text: str) -> None:
    print(f"\n\033[1m== {text}\033[0m", flush=True)


def run(*args: str, ok: tuple[int, ...] = (0,), quiet: bool = False) -> int:
    print(f"$ iamfence {' '.join(args)}", flush=True)
    done = subprocess.run(
        [sys.executable, "-m", "iamfence", *args],
        cwd=OUT,
        check=False,
        stdout=subprocess.DEVNULL if quiet else None,
    )
    if done.returncode not in ok:
        print(
            f"demo: `iamfence {args[0]}` exited {done.returncode}, expected {ok}", file=sys.stderr
        )
        raise SystemExit(1)
    return done.returncode


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_sandbox() -> tuple[Any, str]:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the sandbox's request log is noise here

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def developer_changes(iam: Any, boundary_arn: str) -> list[dict[str, Any]]:
    """What developers did this month, as API calls against the sandbox and as CloudTrail records."""
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
    records: list[dict[str, Any]] = []
    when = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
    dev = f"arn:aws:iam::{ACCOUNT}:role/iamfence-developer"

    def record(name: str, params: dict[str, Any], error: str | None = None, who: str = dev) -> None:
        nonlocal when
        when += timedelta(hours=7)
        rec: dict[str, Any] = {
            "eventVersion": "1.08",
            "userIdentity": {
                "type": "AssumedRole",
                "arn": who.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/")
                + "/dev-session",
                "accountId": ACCOUNT,
                "sessionContext": {
                    "sessionIssuer": {"type": "Role", "arn": who, "accountId": ACCOUNT}
                },
            },
            "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "eventSource": "iam.amazonaws.com",
            "eventName": name,
            "awsRegion": "us-east-1",
            "sourceIPAddress": "203.0.113.17",
            "requestParameters": params,
            "eventID": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{name}-{when.isoformat()}")),
            "eventType": "AwsApiCall",
            "recipientAccountId": ACCOUNT,
        }
        if error:
            rec["errorCode"], rec["errorMessage"] = error, "not authorized"
        records.append(rec)

    admin = f"arn:aws:iam::{ACCOUNT}:role/ops-admin"
    # The operations team's admin role (not a developer role: exempted in the audit, with a reason).
    full = iam.create_policy(PolicyName="ops-full-access", PolicyDocument=json.dumps(ALLOW_ALL))
    iam.create_role(RoleName="ops-admin", AssumeRolePolicyDocument=trust)
    iam.attach_role_policy(RoleName="ops-admin", PolicyArn=full["Policy"]["Arn"])
    for name in ("app-orders", "app-reports", "app-thumbnails"):
        iam.create_role(
            RoleName=name, AssumeRolePolicyDocument=trust, PermissionsBoundary=boundary_arn
        )
        record("CreateRole", {"roleName": name, "permissionsBoundary": boundary_arn})
    iam.create_role(RoleName="legacy-batch", AssumeRolePolicyDocument=trust)
    record("CreateRole", {"roleName": "legacy-batch"}, who=admin)
    # The same deploy permissions on a bounded and on an unbounded role: only the unbounded one can
    # pass ops-admin to a new Lambda function and run code as it.
    for name in ("app-orders", "legacy-batch"):
        iam.put_role_policy(RoleName=name, PolicyName="deploy", PolicyDocument=json.dumps(DEPLOY))
    iam.create_role(
        RoleName="reports-exporter",
        AssumeRolePolicyDocument=trust,
        PermissionsBoundary=boundary_arn,
    )
    record(
        "CreateRole",
        {"roleName": "reports-exporter", "permissionsBoundary": boundary_arn},
        who=admin,
    )
    iam.delete_role_permissions_boundary(RoleName="app-thumbnails")
    record("DeleteRolePermissionsBoundary", {"roleName": "app-thumbnails"}, who=admin)
    record(
        "CreatePolicyVersion",
        {"policyArn": boundary_arn, "setAsDefault": True},
        error="AccessDenied",
    )
    record("CreateRole", {"roleName": "app-unbounded"}, error="AccessDenied")
    return records


def write_cloudtrail(records: list[dict[str, Any]]) -> Path:
    folder = OUT / "cloudtrail" / "AWSLogs" / ACCOUNT / "CloudTrail" / "us-east-1" / "2026" / "11"
    folder.mkdir(parents=True)
    path = folder / f"{ACCOUNT}_CloudTrail_us-east-1_20261128T0000Z_demo.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump({"Records": records}, handle)
    return OUT / "cloudtrail"


def snapshot(iam: Any) -> Path:
    pages = list(iam.get_paginator("get_account_authorization_details").paginate())
    for page in pages:
        page.pop("ResponseMetadata", None)

    path = OUT / "snapshot.json"
    path.write_text(json.dumps(pages, default=str, indent=1))
    return path


def main() -> None:
    started = time.monotonic()
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir()
    os.environ.update(
        AWS_ACCESS_KEY_ID="demo", AWS_SECRET_ACCESS_KEY="demo", AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )  # fmt: skip
    os.environ.pop("AWS_PROFILE", None)
    commands = (
        "init",
        "build",
        "lint",
        "test",
        "prove",
        "role-check",
        "deploy",
        "escalation",
        "audit",
        "remediate",
    )
    for (
        command
    ) in commands:  # a missing command must fail the demo, not pass as "findings" (exit 2)
        run(command, "--help", quiet=True)
    server, endpoint = start_sandbox()
    try:
        story(endpoint)
    finally:
        server.stop()
    print(f"\ndemo: done in {time.monotonic() - started:.0f} s; open demo-out/report.html")


def story(endpoint: str) -> None:
    import boto3

    spec = "spec.yaml"
    say("1. Boundary creation: choose the services, draft the boundary and the developer policy")
    run("init", "--list-profiles")
    run("init", "--profile", PROFILE, "--account-id", ACCOUNT, "-o", spec)
    run("build", spec, "-o", "build")
    say(
        "2. Peer review: lint the generated documents (and a broken one, to see what a finding looks like)"
    )
    run("lint", "build/boundary.json", "--kind", "boundary")
    run("lint", "build/developer-policy.json", "--kind", "identity")
    run("lint", str(ROOT / "examples" / "broken-policy.json"), ok=(2,))
    proposed = json.loads((OUT / "build" / "boundary.json").read_text())
    proposed["Statement"].append(
        {"Sid": "ProposedSns", "Effect": "Allow", "Action": "sns:*", "Resource": "*"}
    )
    (OUT / "boundary-proposed.json").write_text(json.dumps(proposed, indent=2))
    print("A reviewer asks: what would adding sns:* to the boundary newly allow?")
    run(
        "diff",
        "build/boundary.json",
        "boundary-proposed.json",
        "--format",
        "markdown",
        "-o",
        "diff.md",
        ok=(2,),
    )
    print((OUT / "diff.md").read_text()[:1500])
    say(
        "3. Test: the verification battery (allowed actions succeed, blocked ones and every guard are denied)"
    )
    run("test", spec, "--junit", "junit.xml")
    say("4. Prove: no escalation path leaves the boundary, for every request")
    run("prove", spec)
    say("5. Developer role creation: a developer checks a role before creating it")
    (OUT / "orders-policy.json").write_text(json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "iam:CreateUser"], "Resource": "*"}],
    }))  # fmt: skip
    run("role-check", spec, "--name", "app-orders", "--policy", "orders-policy.json")
    run("role-check", spec, "--name", "orders-admin", "--policy", "orders-policy.json", ok=(2,))
    say("6. Deploy into the sandbox: the plan, then --apply")
    run("deploy", spec, "--endpoint-url", endpoint)
    run("deploy", spec, "--endpoint-url", endpoint, "--apply")
    run("deploy", spec, "--endpoint-url", endpoint, "--apply")  # idempotent: nothing to do
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1")
    boundary_arn = (
        json.loads((OUT / "build" / "outputs.json").read_text())["boundary_policy_arn"]
        if (OUT / "build" / "outputs.json").exists()
        else f"arn:aws:iam::{ACCOUNT}:policy/iamfence/iamfence-boundary"
    )
    say("7. A month of developer activity (some of it not compliant), with its CloudTrail logs")
    trail = write_cloudtrail(developer_changes(iam, boundary_arn))
    snap = snapshot(iam)
    say("8. Escalation analysis of the account snapshot")
    run("escalation", "--snapshot", str(snap), ok=(0, 2))
    run(
        "escalation",
        "--snapshot",
        str(snap),
        "--format",
        "html",
        "-o",
        "escalation.html",
        ok=(0, 2),
        quiet=True,
    )
    say("9. Monthly audit: boundaries, CloudTrail, catalog drift since the last audit")
    audit = [
        "audit",
        "--endpoint-url",
        endpoint,
        "--spec",
        spec,
        "--cloudtrail",
        str(trail),
        "--db",
        "history.db",
        "--exemptions",
        "exemptions.yaml",
    ]
    (OUT / "exemptions.yaml").write_text(EXEMPTIONS)
    if OLD_CATALOG:
        audit += ["--catalog-baseline", str(OLD_CATALOG[-1])]
    run(*audit, "--format", "markdown", "-o", "audit-before.md", ok=(2,))
    say("10. Remediation: the plan, then --apply")
    remediate = [
        "remediate",
        "--endpoint-url",
        endpoint,
        "--spec",
        spec,
        "--exemptions",
        "exemptions.yaml",
    ]
    run(*remediate, ok=(2,))
    run(*remediate, "--apply")
    say("11. Re-audit: the trend against the previous audit, and the HTML report")
    run(*audit, "--format", "html", "-o", "report.html", ok=(0, 2))


if __name__ == "__main__":
    main()

"""Engine throughput: a 20-statement permissions boundary, two identity policies of 10 statements
each, 100,000 mixed requests, on one core. Prints decisions per second on the compiled bulk path
(no explanations) and with full explanations (CPU time of this process, i.e. one core, and wall
time, which is lower when other work shares the machine), then the same workload (a sample) through
@cloud-copilot/iam-simulate's runSimulation (node), and the ratio. Targets (issue 3): >= 50,000/s
bulk and >= 5,000/s with explanations."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from iamfence.engine import PolicySet, compile_policies
from iamfence.model import NamedPolicy, PolicyType, Request
from iamfence.parse import load_policy
from iamfence.parse.cases import typed_context

ACCOUNT = "111122223333"
REQUESTS = 100_000
EXPLAINED = 20_000
ORACLE_SAMPLE = 2_000
ROOT = Path(__file__).resolve().parent.parent
ORACLE = ROOT / ".cache" / "oracle"

SERVICES = {
    "s3": ["GetObject", "PutObject", "DeleteObject", "ListBucket", "GetBucketPolicy"],
    "ec2": ["RunInstances", "DescribeInstances", "TerminateInstances", "CreateTags"],
    "dynamodb": ["GetItem", "PutItem", "Query", "DeleteTable"],
    "iam": ["CreateRole", "PutRolePolicy", "DeleteRolePermissionsBoundary", "PassRole", "GetRole"],
    "lambda": ["InvokeFunction", "CreateFunction", "UpdateFunctionCode"],
    "sqs": ["SendMessage", "ReceiveMessage", "DeleteQueue"],
    "kms": ["Decrypt", "Encrypt"],
    "logs": ["PutLogEvents", "CreateLogGroup"],
}


def _stmt(
    sid: str, effect: str, action: Any, resource: Any, condition: dict[str, Any] | None = None
) -> dict[str, Any]:
    stmt: dict[str, Any] = {"Sid": sid, "Effect": effect, "Action": action, "Resource": resource}
    if condition:
        stmt["Condition"] = condition
    return stmt


def boundary_document() -> dict[str, Any]:
    statements = [
        _stmt("S3", "Allow", "s3:*", "*"),
        _stmt("Ec2Read", "Allow", "ec2:Describe*", "*"),
        _stmt(
            "Ec2Run",
            "Allow",
            ["ec2:RunInstances", "ec2:CreateTags"],
            "*",
            {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}},
        ),
        _stmt("Dynamo", "Allow", "dynamodb:*", f"arn:aws:dynamodb:*:{ACCOUNT}:table/app-*"),
        _stmt("Lambda", "Allow", "lambda:*", f"arn:aws:lambda:*:{ACCOUNT}:function:app-*"),
        _stmt("Sqs", "Allow", "sqs:*", f"arn:aws:sqs:*:{ACCOUNT}:app-*"),
        _stmt("Logs", "Allow", "logs:*", "*"),
        _stmt(
            "IamRoles",
            "Allow",
            ["iam:CreateRole", "iam:PutRolePolicy"],
            f"arn:aws:iam::{ACCOUNT}:role/app-*",
            {
                "StringEquals": {
                    "iam:PermissionsBoundary": f"arn:aws:iam::{ACCOUNT}:policy/boundary"
                }
            },
        ),
        _stmt("IamRead", "Allow", ["iam:Get*", "iam:List*"], "*"),
        _stmt(
            "PassRole",
            "Allow",
            "iam:PassRole",
            f"arn:aws:iam::{ACCOUNT}:role/app-*",
            {
                "StringEquals": {
                    "iam:PassedToService": ["lambda.amazonaws.com", "ec2.amazonaws.com"]
                }
            },
        ),
        _stmt(
            "Kms",
            "Allow",
            ["kms:Decrypt", "kms:Encrypt"],
            "*",
            {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}},
        ),
        _stmt(
            "DenyBoundaryEdit",
            "Deny",
            ["iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"],
            "*",
        ),
        _stmt(
            "DenyPolicyEdit",
            "Deny",
            ["iam:CreatePolicyVersion", "iam:DeletePolicy"],
            f"arn:aws:iam::{ACCOUNT}:policy/boundary",
        ),
        _stmt(
            "DenyLogsBucket",
            "Deny",
            "s3:*",
            ["arn:aws:s3:::audit-logs", "arn:aws:s3:::audit-logs/*"],
        ),
        _stmt("DenyTableDelete", "Deny", "dynamodb:DeleteTable", "*"),
        _stmt("DenyQueueDelete", "Deny", "sqs:DeleteQueue", "*"),
        _stmt(
            "DenyOtherRegions",
            "Deny",
            "ec2:RunInstances",
            "*",
            {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}},
        ),
        _stmt(
            "DenyNoMfaTerminate",
            "Deny",
            "ec2:TerminateInstances",
            "*",
            {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        ),
        _stmt(
            "DenyUntaggedRun",
            "Deny",
            "ec2:RunInstances",
            "*",
            {"Null": {"aws:RequestTag/team": "true"}},
        ),
        _stmt(
            "DenyOutsideNet",
            "Deny",
            "s3:DeleteObject",
            "*",
            {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}},
        ),
    ]
    assert len(statements) == 20
    return {"Version": "2012-10-17", "Statement": statements}


def identity_documents() -> list[dict[str, Any]]:
    first = [
        _stmt(
            "S3App",
            "Allow",
            ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            ["arn:aws:s3:::app-*", "arn:aws:s3:::app-*/*"],
        ),
        _stmt("S3Home", "Allow", "s3:*", "arn:aws:s3:::home/${aws:PrincipalTag/team}/*"),
        _stmt("Ec2", "Allow", "ec2:*", "*"),
        _stmt(
            "Dynamo",
            "Allow",
            ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
            f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/*",
        ),
        _stmt("Lambda", "Allow", "lambda:InvokeFunction", "*"),
        _stmt(
            "LambdaDeploy",
            "Allow",
            ["lambda:CreateFunction", "lambda:UpdateFunctionCode"],
            "*",
            {"StringEquals": {"aws:PrincipalTag/team": "platform"}},
        ),
        _stmt("Sqs", "Allow", ["sqs:SendMessage", "sqs:ReceiveMessage"], "*"),
        _stmt("Logs", "Allow", "logs:*", "*"),
        _stmt("DenyProdDelete", "Deny", "s3:DeleteObject", "arn:aws:s3:::app-prod/*"),
        _stmt(
            "Iam",
            "Allow",
            ["iam:CreateRole", "iam:PutRolePolicy", "iam:GetRole", "iam:PassRole"],
            "*",
        ),
    ]
    second = [
        _stmt(
            f"Extra{i}",
            "Allow",
            f"{svc}:{act}",
            "*",
            {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}} if i % 2 else None,
        )
        for i, (svc, act) in enumerate(
            [
                ("kms", "Decrypt"),
                ("kms", "Encrypt"),
                ("dynamodb", "DeleteTable"),
                ("sqs", "DeleteQueue"),
                ("s3", "GetBucketPolicy"),
                ("ec2", "TerminateInstances"),
                ("iam", "DeleteRolePermissionsBoundary"),
                ("logs", "CreateLogGroup"),
                ("s3", "DeleteObject"),
                ("lambda", "*"),
            ]
        )
    ]
    return [
        {"Version": "2012-10-17", "Statement": first},
        {"Version": "2012-10-17", "Statement": second},
    ]


def _resource(rng: random.Random, service: str, action: str) -> str:
    """A resource of a type the action takes (so that iam-simulate accepts the request)."""
    name = rng.choice(["app-web", "app-prod", "audit-logs", "home", "other", "app-jobs"])
    match service:
        case "s3" if action in ("ListBucket", "GetBucketPolicy"):
            return f"arn:aws:s3:::{name}"
        case "s3":
            return f"arn:aws:s3:::{name}/{rng.choice(['red/', ''])}obj{rng.randrange(100)}"
        case "dynamodb":
            return f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/{name}"
        case "lambda":
            return f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:{name}"
        case "sqs":
            return f"arn:aws:sqs:us-east-1:{ACCOUNT}:{name}"
        case "iam":
            return f"arn:aws:iam::{ACCOUNT}:role/{name}"
        case "kms":
            return f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{rng.randrange(5)}"
        case "ec2" if action == "DescribeInstances":
            return "*"
        case "ec2":
            return f"arn:aws:ec2:us-east-1:{ACCOUNT}:instance/i-{rng.randrange(10**6):06x}"
        case _ if action == "PutLogEvents":
            return (
                f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{name}:log-stream:s{rng.randrange(9)}"
            )
        case _:
            return f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:{name}"


def workload(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    principals = [f"arn:aws:sts::{ACCOUNT}:assumed-role/app-role/s{i}" for i in range(5)] + [
        f"arn:aws:iam::{ACCOUNT}:user/dev{i}" for i in range(5)
    ]
    out = []
    for _ in range(n):
        service = rng.choice(sorted(SERVICES))
        action = rng.choice(SERVICES[service])
        context: dict[str, Any] = {
            "aws:SourceIp": rng.choice(["10.1.2.3", "203.0.113.9", "198.51.100.7"]),
            "aws:RequestedRegion": rng.choice(["us-east-1", "eu-west-1", "ap-south-1"]),
            "aws:MultiFactorAuthPresent": rng.random() < 0.5,
            "aws:PrincipalTag/team": rng.choice(["red", "platform"]),
            "aws:CurrentTime": "2026-11-28T12:00:00Z",
            "aws:SecureTransport": True,
        }
        if rng.random() < 0.5:
            context["aws:RequestTag/team"] = "red"
        if service == "iam":
            context["iam:PermissionsBoundary"] = f"arn:aws:iam::{ACCOUNT}:policy/" + rng.choice(
                ["boundary", "admin"]
            )
            context["iam:PassedToService"] = rng.choice(
                ["lambda.amazonaws.com", "glue.amazonaws.com"]
            )
        out.append(
            {
                "principal": rng.choice(principals),
                "action": f"{service}:{action}",
                "resource": _resource(rng, service, action),
                "context": context,
            }
        )
    return out


def _requests(raw: list[dict[str, Any]]) -> list[Request]:
    out = []
    for r in raw:
        context, diagnostics = typed_context(list(r["context"].items()))
        assert not diagnostics
        out.append(Request(r["principal"], r["action"], r["resource"], context))
    return out


def _policy_set() -> PolicySet:
    identity = tuple(
        NamedPolicy(
            f"identity-{i}", load_policy(doc, kind=PolicyType.IDENTITY), PolicyType.IDENTITY
        )
        for i, doc in enumerate(identity_documents())
    )
    boundary = NamedPolicy(
        "boundary",
        load_policy(boundary_document(), kind=PolicyType.PERMISSIONS_BOUNDARY),
        PolicyType.PERMISSIONS_BOUNDARY,
    )
    return PolicySet(identity=identity, permissions_boundary=boundary, resource_account=ACCOUNT)


def _oracle(raw: list[dict[str, Any]]) -> dict[str, Any] | None:
    node = shutil.which("node")
    if node is None or not (ORACLE / "node_modules" / "@cloud-copilot" / "iam-simulate").is_dir():
        print("iam-simulate: skipped (node or .cache/oracle missing; run `make oracle`)")
        return None
    payload = {
        "account": ACCOUNT,
        "identity": identity_documents(),
        "boundary": boundary_document(),
        "requests": raw,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(payload, handle)
    try:
        proc = subprocess.run(
            [
                node,
                str(Path(__file__).with_name("bench_engine_oracle.mjs")),
                str(ORACLE),
                handle.name,
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        Path(handle.name).unlink(missing_ok=True)
    if proc.returncode != 0:
        print(f"iam-simulate: skipped (node failed: {proc.stderr.strip()[:200]})")
        return None
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _timed(fn: Any) -> tuple[float, float]:
    """(CPU seconds of this process, wall seconds): CPU time is the one-core figure when other
    work shares the machine."""
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    raw = workload(REQUESTS)
    requests = _requests(raw)
    start = time.perf_counter()
    compiled = compile_policies(_policy_set())
    compile_s = time.perf_counter() - start
    decisions: Counter[str] = Counter()

    def bulk_run() -> None:
        decisions.update(compiled.authorize(r).decision.value for r in requests)

    def explain_run() -> None:
        for r in requests[:EXPLAINED]:
            compiled.authorize(r, explain=True)

    bulk_cpu, bulk_wall = _timed(bulk_run)
    explain_cpu, explain_wall = _timed(explain_run)
    bulk = REQUESTS / bulk_cpu
    explained = EXPLAINED / explain_cpu
    print(
        f"workload: 20-statement boundary, 2 identity policies x 10 statements, {REQUESTS:,} requests; compile {compile_s * 1000:.1f} ms"
    )
    print(f"decisions: {dict(sorted(decisions.items()))}")
    print(
        f"iamfence bulk (no explanations): {bulk:,.0f} decisions/s CPU time, {REQUESTS / bulk_wall:,.0f}/s wall (target >= 50,000)"
    )
    print(
        f"iamfence with explanations:      {explained:,.0f} decisions/s CPU time, {EXPLAINED / explain_wall:,.0f}/s wall over {EXPLAINED:,} (target >= 5,000)"
    )
    oracle = _oracle(raw[:ORACLE_SAMPLE])
    if oracle is not None:
        rate = oracle["decisions"] / oracle["cpuSeconds"]
        wall = oracle["decisions"] / oracle["seconds"]
        print(
            f"iam-simulate runSimulation:      {rate:,.0f} decisions/s CPU time, {wall:,.0f}/s wall over {oracle['decisions']:,} (errors {oracle['errors']})"
        )
        print(
            f"ratio (CPU time) bulk/iam-simulate: {bulk / rate:,.1f}x; explained/iam-simulate: {explained / rate:,.1f}x"
        )


if __name__ == "__main__":
    main()

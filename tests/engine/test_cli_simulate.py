"""`iamfence simulate` through the CLI runner: flags, case files, formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from iamfence.cli.main import app

RUNNER = CliRunner()
ALLOW_S3 = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
DENY_S3 = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}],
}
USER = "arn:aws:iam::111122223333:user/alice"


def _write(tmp: Path, name: str, doc: object) -> str:
    path = tmp / name
    path.write_text(json.dumps(doc))
    return str(path)


def test_single_request_allow_and_deny(tmp_path: Path) -> None:
    ident = _write(tmp_path, "id.json", ALLOW_S3)
    base = ["simulate", "--identity", ident, "--principal", USER, "--resource", "arn:aws:s3:::b/k"]
    ok = RUNNER.invoke(app, [*base, "--action", "s3:GetObject"])
    assert ok.exit_code == 0 and "Allow" in ok.stdout
    denied = RUNNER.invoke(app, [*base, "--action", "ec2:RunInstances"])
    assert denied.exit_code == 2 and "ImplicitDeny" in denied.stdout


def test_scp_levels_on_the_command_line(tmp_path: Path) -> None:
    ident = _write(tmp_path, "id.json", ALLOW_ALL)
    full = _write(tmp_path, "full.json", ALLOW_ALL)
    s3only = _write(tmp_path, "s3.json", ALLOW_S3)
    deny = _write(tmp_path, "deny.json", DENY_S3)
    args = ["simulate", "--identity", ident, "--principal", USER, "--action", "ec2:RunInstances"]
    blocked = RUNNER.invoke(app, [*args, "--scp", full, "--scp", s3only, "--format", "json"])
    assert blocked.exit_code == 2
    assert json.loads(blocked.stdout)["results"][0]["blocked_by"] == ["scp"]
    two = RUNNER.invoke(app, [*args, "--scp", full, "--scp", f"{s3only},{full}"])
    assert two.exit_code == 0
    explicit = RUNNER.invoke(
        app, [*args[:-1], "s3:GetObject", "--scp", f"{full},{deny}", "--format", "json"]
    )
    assert json.loads(explicit.stdout)["results"][0]["decision"] == "ExplicitDeny"


def test_typed_context_and_explain(tmp_path: Path) -> None:
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {
                    "Bool": {"aws:MultiFactorAuthPresent": "true"},
                    "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                },
            }
        ],
    }
    ident = _write(tmp_path, "id.json", doc)
    args = [
        "simulate",
        "--identity",
        ident,
        "--principal",
        USER,
        "--action",
        "s3:GetObject",
        "--explain",
    ]
    ok = RUNNER.invoke(
        app,
        [
            *args,
            "--context",
            "aws:MultiFactorAuthPresent=true",
            "--context",
            "aws:SourceIp=10.1.2.3",
        ],
    )
    assert ok.exit_code == 0, ok.stdout
    assert "IpAddress(aws:SourceIp)=match" in ok.stdout
    no = RUNNER.invoke(
        app,
        [
            *args,
            "--context",
            "aws:MultiFactorAuthPresent=false",
            "--context",
            "aws:SourceIp=10.1.2.3",
        ],
    )
    assert no.exit_code == 2 and "Bool(aws:MultiFactorAuthPresent)=no-match" in no.stdout


def test_cases_jsonl_with_expect(tmp_path: Path) -> None:
    def case(cid: str, action: str, expect: str) -> dict[str, object]:
        return {
            "id": cid,
            "request": {"principal": USER, "action": action, "resource": "*"},
            "policies": {"identity": [ALLOW_S3]},
            "expect": expect,
        }

    good = tmp_path / "good.jsonl"
    good.write_text(
        "\n".join(
            json.dumps(c)
            for c in [case("a", "s3:GetObject", "Allow"), case("b", "ec2:Run", "ImplicitDeny")]
        )
    )
    out = RUNNER.invoke(app, ["simulate", "--cases", str(good), "--format", "jsonl"])
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert out.exit_code == 0
    assert lines[0] == {"id": "a", "decision": "Allow", "blocked_by": []}
    assert lines[1] == {"id": "b", "decision": "ImplicitDeny", "blocked_by": ["identity"]}
    assert lines[2]["summary"]["agree"] == 2 and lines[2]["summary"]["differ"] == 0
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([case("a", "s3:GetObject", "ImplicitDeny")]))
    differ = RUNNER.invoke(app, ["simulate", "--cases", str(bad), "--format", "jsonl"])
    assert differ.exit_code == 2
    assert json.loads(differ.stdout.splitlines()[-1])["summary"]["differing_ids"] == ["a"]


def test_invalid_input_exit_3(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}')
    res = RUNNER.invoke(
        app,
        ["simulate", "--identity", str(broken), "--principal", USER, "--action", "s3:GetObject"],
    )
    assert res.exit_code == 3
    bad_cases = tmp_path / "cases.json"
    bad_cases.write_text('{"request": {"principal": "x"}}')
    res = RUNNER.invoke(app, ["simulate", "--cases", str(bad_cases)])
    assert res.exit_code == 3
    res = RUNNER.invoke(app, ["simulate", "--principal", USER])
    assert res.exit_code == 3
    res = RUNNER.invoke(
        app, ["simulate", "--principal", USER, "--action", "s3:X", "--context", "novalue"]
    )
    assert res.exit_code == 3


def test_indeterminate_exit_4(tmp_path: Path) -> None:
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"Bool": {"aws:SecureTransport": "true"}},
            }
        ],
    }
    ident = _write(tmp_path, "id.json", doc)
    res = RUNNER.invoke(
        app, ["simulate", "--identity", ident, "--principal", USER, "--action", "s3:GetObject"]
    )
    assert res.exit_code == 4 and "Indeterminate" in res.stdout
    res = RUNNER.invoke(
        app,
        [
            "simulate",
            "--identity",
            ident,
            "--principal",
            USER,
            "--action",
            "s3:GetObject",
            "--context",
            "aws:SecureTransport=true",
        ],
    )
    assert res.exit_code == 0

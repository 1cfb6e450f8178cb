"""`iamfence lint` through the CLI runner: output lines, JSON shape, and exit codes 0/2/3."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from iamfence.cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GOOD = sorted(str(p) for p in EXAMPLES.glob("good-*.json"))
BROKEN = str(EXAMPLES / "broken-policy.json")
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+) (?P<code>IF\d{3}) ")
MINIMAL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
}


def _lint(*args: str) -> Result:
    result = CliRunner().invoke(app, ["lint", *args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def _write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def _located(result: Result) -> list[tuple[str, int, int, str]]:
    found = []
    for line in result.stdout.splitlines():
        match = LINE.match(line)
        assert match is not None, line
        found.append((match["file"], int(match["line"]), int(match["col"]), match["code"]))
    return found


def test_good_examples_are_clean() -> None:
    assert len(GOOD) >= 3
    result = _lint(*GOOD)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 errors, 0 warnings in 3 files" in result.stderr


def test_broken_example_prints_located_diagnostics_and_exits_2() -> None:
    result = _lint(BROKEN, "--no-catalog")
    assert result.exit_code == 2, result.output
    assert [(line, code) for _, line, _, code in _located(result)] == [
        (4, "IF120"),
        (13, "IF122"),
        (21, "IF150"),
        (27, "IF131"),
    ]
    assert "did you mean 'StringEquals'?" in result.stdout
    assert "[/Statement/1/NotAction]" in result.stdout


def test_json_format_is_a_list_of_diagnostics() -> None:
    result = _lint(BROKEN, GOOD[0], "--format", "json", "--no-catalog")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 4
    assert set(data[0]) == {"code", "severity", "message", "file", "pointer", "line", "column"}
    assert data[0]["code"] == "IF120" and data[0]["pointer"] == "/Statement/0"
    assert data[0]["file"] == BROKEN and (data[0]["line"], data[0]["column"]) == (4, 5)
    clean = _lint(*GOOD, "--format", "json")
    assert clean.exit_code == 0 and json.loads(clean.stdout) == []


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    result = _lint(_write(tmp_path, "admin.json", json.dumps(doc)), "--no-catalog")
    assert result.exit_code == 0
    assert [code for *_, code in _located(result)] == ["IF201"]
    assert "warning:" in result.stdout


@pytest.mark.parametrize(
    ("name", "data", "code", "position"),
    [
        ("latin1.json", b'{"Version": "2012-10-17",\n "Id": "caf\xe9"}', "IF106", (2, 12)),
        (
            "truncated.json",
            '{"Version": "2012-10-17", "Statement": [{"Effect": "Al',
            "IF100",
            (1, 52),
        ),
        ("deep.json", "[" * 101 + "]" * 101, "IF104", (1, 101)),
        ("nan.json", '{"Version": "2012-10-17", "Id": NaN, "Statement": []}', "IF103", (1, 33)),
        (
            "dup.json",
            '{"Version": "2012-10-17",\n "Version": "2008-10-17", "Statement": []}',
            "IF102",
            (2, 2),
        ),
        ("list.json", "[]", "IF101", (1, 1)),
    ],
)
def test_unusable_input_exits_3_with_one_located_line(
    tmp_path: Path, name: str, data: bytes | str, code: str, position: tuple[int, int]
) -> None:
    path = _write(tmp_path, name, data)
    result = _lint(path)
    assert result.exit_code == 3, result.output
    located = _located(result)
    assert (path, *position, code) in located
    assert len([entry for entry in located if entry[3] == code]) == 1


def test_missing_file_exits_3_and_other_files_are_still_linted(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.json")
    result = _lint(missing, BROKEN, "--no-catalog")
    assert result.exit_code == 3
    located = _located(result)
    assert located[0] == (missing, 1, 1, "IF108")
    assert {code for *_, code in located} == {"IF108", "IF120", "IF122", "IF150", "IF131"}


def test_document_over_10_mb_exits_3(tmp_path: Path) -> None:
    path = _write(tmp_path, "big.json", b'{"Id": "' + b"a" * (10 * 1024 * 1024) + b'"}')
    result = _lint(path)
    assert result.exit_code == 3
    assert [code for *_, code in _located(result)] == ["IF105"]


def test_kind_and_limit_options(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.json", json.dumps(MINIMAL))
    assert _lint(path, "--kind", "identity", "--no-catalog").exit_code == 0
    as_trust = _lint(path, "--kind", "trust", "--no-catalog")
    assert as_trust.exit_code == 2
    assert {code for *_, code in _located(as_trust)} == {"IF141", "IF143"}
    resources = [f"arn:aws:s3:::bucket-{i:03d}/*" for i in range(80)]
    big = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": resources}],
    }
    big_path = _write(tmp_path, "big.json", json.dumps(big))
    assert _lint(big_path, "--no-catalog").exit_code == 0
    limited = _lint(big_path, "--limit", "user-inline", "--no-catalog")
    assert limited.exit_code == 2 and [c for *_, c in _located(limited)] == ["IF170"]
    assert _lint(big_path, "--kind", "banana").exit_code == 3  # usage error: invalid input


def test_auto_kind_infers_trust_and_resource(tmp_path: Path) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    }
    result = _lint(_write(tmp_path, "trust.json", json.dumps(trust)), "--no-catalog")
    assert result.exit_code == 2
    assert [c for *_, c in _located(result)] == ["IF240"]


def test_catalog_rules_run_unless_skipped(tmp_path: Path) -> None:
    doc = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}],
    }
    path = _write(tmp_path, "typo.json", json.dumps(doc, indent=2))
    with_catalog = _lint(path)
    assert with_catalog.exit_code == 2
    assert [c for *_, c in _located(with_catalog)] == ["IF301"]
    assert "did you mean s3:GetObject?" in with_catalog.stdout
    assert _lint(path, "--no-catalog").exit_code == 0


def test_stdin_dash() -> None:
    result = CliRunner().invoke(app, ["lint", "-", "--no-catalog"], input=json.dumps(MINIMAL))
    assert result.exit_code == 0 and result.stdout == ""


def test_renderers() -> None:
    from iamfence.diagnostics import Diagnostic, Location, Severity
    from iamfence.report.diagnostics import diagnostic_line, render_json, summary

    error = Diagnostic(
        "IF120", Severity.ERROR, "Effect is missing", Location("p.json", "/Statement/0", 3, 5)
    )
    warning = Diagnostic("IF201", Severity.WARNING, "admin", Location("p.json", "", 0, 0))
    assert diagnostic_line(error) == "p.json:3:5 IF120 Effect is missing [/Statement/0]"
    assert diagnostic_line(warning) == "p.json:1:1 IF201 warning: admin"
    assert json.loads(render_json([error]))[0]["column"] == 5
    assert summary([error, warning, warning], 1) == "1 error, 2 warnings in 1 file"

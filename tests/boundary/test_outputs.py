"""Build outputs: golden files per profile, cfn-lint, HCL parse, `terraform fmt -check`, and the
generated policies parse and lint clean."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import hcl2
import pytest
import yaml

from iamfence.boundary import design_files, policy_json
from iamfence.diagnostics import Severity
from iamfence.model import PolicyType

from .helpers import ACCOUNT, PROFILES, catalog, design

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("IAMFENCE_UPDATE_GOLDEN") == "1"
VARIANTS = {"placeholder": None, "account": ACCOUNT}


def _files(profile: str, variant: str) -> dict[str, str]:
    return dict(design_files(design(profile, VARIANTS[variant])))


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("profile", PROFILES)
def test_golden(profile: str, variant: str) -> None:
    """The same spec gives the same bytes (regenerate with IAMFENCE_UPDATE_GOLDEN=1)."""
    root = GOLDEN / profile / variant
    files = _files(profile, variant)
    if UPDATE:
        shutil.rmtree(root, ignore_errors=True)
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text)
    on_disk = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    assert on_disk == set(files)
    for rel, text in files.items():
        assert (root / rel).read_text() == text, f"{profile}/{variant}/{rel} differs"


def test_concrete_account_means_concrete_arns() -> None:
    files = _files("serverless-app", "account")
    assert "${AWS::AccountId}" not in files["boundary.json"]
    assert f"arn:aws:iam::{ACCOUNT}:role/app-*" in files["boundary.json"]
    assert "local.account_id" not in files["terraform/main.tf"]
    placeholder = _files("serverless-app", "placeholder")
    assert "arn:aws:iam::${local.account_id}:role/app-*" in placeholder["terraform/main.tf"]
    assert (
        "Fn::Sub: arn:aws:iam::${AWS::AccountId}:role/app-*"
        in placeholder["cloudformation/template.yaml"]
    )


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("profile", PROFILES)
def test_cloudformation_passes_cfn_lint(profile: str, variant: str) -> None:
    cfn_api = pytest.importorskip("cfnlint.api")
    text = _files(profile, variant)["cloudformation/template.yaml"]
    matches = cfn_api.lint(text, config=cfn_api.ManualArgs(regions=["us-east-1"]))
    assert matches == [], [str(m) for m in matches]
    parsed = yaml.safe_load(text)
    kinds = {r["Type"] for r in parsed["Resources"].values()}
    assert kinds == {"AWS::IAM::ManagedPolicy"}
    assert set(parsed["Outputs"]) == {"BoundaryPolicyArn", "DeveloperPolicyArn"}
    assert all("Export" in o for o in parsed["Outputs"].values())


def test_cfn_lint_can_fail() -> None:
    cfn_api = pytest.importorskip("cfnlint.api")
    text = _files("container-app", "placeholder")["cloudformation/template.yaml"]
    broken = text.replace("ManagedPolicyName", "PolicyNam")
    assert cfn_api.lint(broken, config=cfn_api.ManualArgs(regions=["us-east-1"]))


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("profile", PROFILES)
def test_terraform_parses_with_hcl2(profile: str, variant: str) -> None:
    files = _files(profile, variant)
    main = hcl2.loads(files["terraform/main.tf"])
    policies = {
        label: body
        for block in main["resource"]
        for kind, named in block.items()
        if kind.strip('"') == "aws_iam_policy"
        for label, body in named.items()
    }
    assert {k.strip('"') for k in policies} == {"boundary", "developer"}
    example = hcl2.loads(files["terraform/example.tf"])
    role = example["resource"][0]
    body = next(iter(next(iter(role.values())).values()))
    assert "aws_iam_policy.boundary.arn" in str(body["permissions_boundary"])
    for name in ("variables.tf", "outputs.tf", "versions.tf"):
        assert hcl2.loads(files[f"terraform/{name}"])


@pytest.mark.parametrize("profile", PROFILES)
def test_terraform_fmt_check(profile: str, tmp_path: Path) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("no terraform binary on PATH")
    for variant in VARIANTS:
        folder = tmp_path / variant
        folder.mkdir()
        for rel, text in _files(profile, variant).items():
            if rel.startswith("terraform/"):
                (folder / rel.split("/", 1)[1]).write_text(text)
        run = subprocess.run(
            [terraform, "fmt", "-check", "-diff", str(folder)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"},
        )
        assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("profile", PROFILES)
def test_policies_parse_back_to_the_same_document(profile: str) -> None:
    from iamfence.parse import parse_policy

    d = design(profile)
    for doc in (d.boundary_policy, d.developer_policy):
        result = parse_policy(policy_json(doc))
        assert result.document == doc
        errors = [x for x in result.diagnostics if x.severity.value == "error"]
        assert errors == []


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("profile", PROFILES)
def test_policies_lint_clean(profile: str, variant: str) -> None:
    """No lint errors, with the catalog-aware rules (IF2xx, IF3xx)."""
    from iamfence.lint import lint_policy

    d = design(profile, VARIANTS[variant])
    for doc, kind in (
        (d.boundary_policy, PolicyType.PERMISSIONS_BOUNDARY),
        (d.developer_policy, PolicyType.IDENTITY),
    ):
        found = lint_policy(doc, kind=kind, catalog=catalog())
        errors = [str(f) for f in found if f.severity is Severity.ERROR]
        assert errors == []

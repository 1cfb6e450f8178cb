"""Services limited to resources (`resources:`): the split by resource-level support, and the
engine's decisions on prefix and foreign resources (data/scoped.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from iamfence.errors import InvalidInputError
from iamfence.model import ContextValue, Request

from .helpers import catalog, design_of, policy_sets, principal_arn

engine = pytest.importorskip("iamfence.engine")
DATA: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "data" / "scoped.yaml").read_text())
DESIGN = design_of(DATA["spec"], "scoped.yaml")


def test_scoped_split_follows_resource_level_support() -> None:
    by_sid = {s.sid: s for s in DESIGN.boundary_policy.statements}
    scoped = by_sid["AllowedLambdaResources"]
    anywhere = by_sid["AllowedServices"]
    assert scoped.resource is not None and scoped.resource.patterns == (
        "arn:aws:lambda:*:111122223333:function:app-*",
    )
    assert scoped.action is not None and anywhere.action is not None
    cat = catalog()
    in_scope = set(cat.expand_all(scoped.action.patterns))
    everywhere = set(cat.expand_all(anywhere.action.patterns))
    assert "lambda:UpdateFunctionCode" in in_scope and "lambda:ListFunctions" in everywhere
    for name in in_scope:
        info = cat.action(name)
        assert info is not None and info.resource_types, name
    for name in (a for a in everywhere if a.startswith("lambda:")):
        info = cat.action(name)
        assert info is not None and not info.resource_types, name
    levels = {"List", "Read", "Write"}
    granted = {a.full_name for a in cat.service_actions("lambda") if a.access_level.value in levels}
    assert in_scope | {a for a in everywhere if a.startswith("lambda:")} == granted
    assert DESIGN.services[0].resources == scoped.resource.patterns
    assert scoped.conditions == anywhere.conditions  # the region condition applies to both


@pytest.mark.parametrize("case", DATA["cases"], ids=[c["name"] for c in DATA["cases"]])
@pytest.mark.parametrize("who", ["developer", "app-role"])
def test_scoped_decisions(case: dict[str, Any], who: str) -> None:
    request = Request(
        principal_arn(DESIGN, who),
        case["action"],
        case["resource"],
        (("aws:RequestedRegion", ContextValue.string("eu-west-1")),),
    )
    result = engine.authorize(request, policy_sets(DESIGN)[who])
    assert result.allowed is (case["expect"] == "allow"), (case["name"], result.decision)


def test_resources_must_be_arns() -> None:
    text = "version: iamfence/v1\nservices:\n  - {service: s3, access: [read], resources: ['*']}\n"
    with pytest.raises(InvalidInputError) as info:
        design_of(text)
    assert "IF406" in str(info.value) and "/services/0/resources/0" in str(info.value)

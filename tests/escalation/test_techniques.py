"""The technique catalog: schema-valid, stable ids, every family, public references."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import jsonschema
import pytest
import yaml

from iamfence.errors import InternalError
from iamfence.escalation import Family, load_techniques, parse_techniques, technique_schema


def test_catalog_loads_at_least_sixty_over_all_families() -> None:
    techniques = load_techniques()
    assert len(techniques) >= 60
    families = Counter(t.family for t in techniques)
    assert set(families) == set(Family)
    assert all(n >= 5 for n in families.values()), families


def test_every_file_validates_against_the_schema() -> None:
    schema = technique_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    folder = resources.files("iamfence.escalation").joinpath("techniques")
    names = sorted(e.name for e in folder.iterdir() if e.name.endswith(".yaml"))
    assert len(names) == len(load_techniques())
    for name in names:
        doc = yaml.safe_load(folder.joinpath(name).read_text("utf-8"))
        jsonschema.validate(doc, schema)
        assert name == f"{doc['id']}.yaml"
        assert doc["id"][4] == doc["family"]


def test_boundary_family_requires_a_boundary_and_others_do_not() -> None:
    for t in load_techniques():
        assert t.requires_boundary is (t.family is Family.BOUNDARY_ESCAPE), t.id


def test_pass_role_techniques_name_the_service_they_pass_to() -> None:
    for t in load_techniques():
        for a in t.actions:
            if a.action == "iam:PassRole":
                assert dict(a.context).get("iam:PassedToService", "").endswith(".amazonaws.com"), (
                    t.id
                )


def test_references_are_public_https_sources() -> None:
    for t in load_techniques():
        assert t.references
        assert all(r.url.startswith("https://") for r in t.references)


def test_bad_technique_is_an_internal_error() -> None:
    bad = {"id": "IFE-Z99", "family": "Z"}
    with pytest.raises(InternalError, match=r"IFE-Z99\.yaml"):
        parse_techniques([("IFE-Z99.yaml", bad)], technique_schema())


def test_duplicate_ids_are_refused() -> None:
    folder = resources.files("iamfence.escalation").joinpath("techniques")
    doc = yaml.safe_load(folder.joinpath("IFE-A01.yaml").read_text("utf-8"))
    with pytest.raises(InternalError, match="duplicate"):
        parse_techniques([("a", doc), ("b", doc)], technique_schema())

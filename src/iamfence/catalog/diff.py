"""What changed between two catalog versions: services and actions added or removed, and actions
whose access level changed (compared after normalisation, see levels.py)."""

from __future__ import annotations

from dataclasses import dataclass

from iamfence.catalog.catalog import Catalog
from iamfence.catalog.levels import PRECEDENCE
from iamfence.catalog.types import AccessLevel, ActionInfo


@dataclass(frozen=True, slots=True)
class Relevelled:
    action: str
    old: AccessLevel
    new: AccessLevel


@dataclass(frozen=True, slots=True)
class CatalogDiff:
    old_version: str
    old_date: str
    new_version: str
    new_date: str
    services_added: tuple[str, ...]
    services_removed: tuple[str, ...]
    added: tuple[ActionInfo, ...]
    """Sorted by full name; `ActionInfo` as in the new catalog."""
    removed: tuple[ActionInfo, ...]
    """Sorted by full name; `ActionInfo` as in the old catalog."""
    relevelled: tuple[Relevelled, ...]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.relevelled)

    def added_by_level(self) -> tuple[tuple[AccessLevel, tuple[ActionInfo, ...]], ...]:
        return group_by_level(self.added)


def group_by_level(
    actions: tuple[ActionInfo, ...],
) -> tuple[tuple[AccessLevel, tuple[ActionInfo, ...]], ...]:
    """Non-empty groups, most privileged level first (levels.PRECEDENCE)."""
    groups = ((lvl, tuple(a for a in actions if a.access_level is lvl)) for lvl in PRECEDENCE)
    return tuple((lvl, acts) for lvl, acts in groups if acts)


def diff_catalogs(old: Catalog, new: Catalog) -> CatalogDiff:
    """Compare every service of both catalogs (loads them all)."""
    old_services, new_services = set(old.services()), set(new.services())
    added: list[ActionInfo] = []
    removed: list[ActionInfo] = []
    relevelled: list[Relevelled] = []
    for service in sorted(old_services | new_services):
        before = {a.name.lower(): a for a in old.service_actions(service)}
        after = {a.name.lower(): a for a in new.service_actions(service)}
        added.extend(after[k] for k in after.keys() - before.keys())
        removed.extend(before[k] for k in before.keys() - after.keys())
        for key in before.keys() & after.keys():
            if before[key].access_level is not after[key].access_level:
                relevelled.append(
                    Relevelled(
                        after[key].full_name, before[key].access_level, after[key].access_level
                    )
                )
    return CatalogDiff(
        old_version=old.version,
        old_date=old.date,
        new_version=new.version,
        new_date=new.date,
        services_added=tuple(sorted(new_services - old_services)),
        services_removed=tuple(sorted(old_services - new_services)),
        added=tuple(sorted(added, key=_key)),
        removed=tuple(sorted(removed, key=_key)),
        relevelled=tuple(sorted(relevelled, key=lambda r: r.action.lower())),
    )


def _key(action: ActionInfo) -> str:
    return action.full_name.lower()

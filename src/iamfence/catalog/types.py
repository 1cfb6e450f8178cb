"""The IAM action catalog's values (Service Authorization Reference): services, actions with their
access level, resource types and condition keys."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class AccessLevel(Enum):
    LIST = "List"
    READ = "Read"
    WRITE = "Write"
    PERMISSIONS_MANAGEMENT = "Permissions management"
    TAGGING = "Tagging"


@dataclass(frozen=True, slots=True)
class ResourceType:
    name: str
    arn_templates: tuple[str, ...]
    condition_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ActionResource:
    """One row of an action's "Resource types" column: the resource type's name, whether the
    action requires it (`*` marks required in the Service Authorization Reference), and the
    condition keys and dependent actions listed for the action on that resource type."""

    name: str
    required: bool = False
    condition_keys: tuple[str, ...] = ()
    dependent_actions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ActionInfo:
    """One action, e.g. "s3:GetObject" (service prefix lower-case, action name in canonical case)."""

    service: str
    name: str
    access_level: AccessLevel
    resource_types: tuple[str, ...] = ()
    """Names of the resource types the action applies to; empty means it supports only `*`."""
    condition_keys: tuple[str, ...] = ()
    dependent_actions: tuple[str, ...] = ()
    resource_refs: tuple[ActionResource, ...] = ()
    """The resource types with their per-action details (same order as `resource_types`)."""
    access_level_raw: str = ""
    """The access level as the source wrote it (e.g. "Permissions management, Write"); "" when the
    source gave a single level (then it equals `access_level.value`)."""

    @property
    def full_name(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def all_condition_keys(self) -> tuple[str, ...]:
        """Action-level keys and the keys listed for the action on its resource types (sorted,
        without duplicates; resource types' own keys are on `ResourceType`)."""
        keys = set(self.condition_keys)
        for ref in self.resource_refs:
            keys.update(ref.condition_keys)
        return tuple(sorted(keys, key=str.lower))

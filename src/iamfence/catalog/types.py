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
class ActionInfo:
    """One action, e.g. "s3:GetObject" (service prefix lower-case, action name in canonical case)."""

    service: str
    name: str
    access_level: AccessLevel
    resource_types: tuple[str, ...] = ()
    """Names of the resource types the action applies to; empty means it supports only `*`."""
    condition_keys: tuple[str, ...] = ()
    dependent_actions: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.service}:{self.name}"

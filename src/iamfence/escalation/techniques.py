"""The escalation technique catalog: one YAML file per technique under techniques/, validated
against technique.schema.json, turned into frozen values.

Each technique names the actions an attacker needs, the resource each applies to (a selector the
graph resolves against the account), preconditions, and its effect. Loading reads package data
only when called (never at import time); `parse_techniques` is the pure part.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from importlib import resources
from typing import Any

import jsonschema
import yaml

from iamfence.errors import InternalError


class Family(Enum):
    SELF_POLICY_EDIT = "A"
    OTHER_PRINCIPAL = "B"
    PASS_ROLE_NEW_COMPUTE = "C"
    EXISTING_COMPUTE = "D"
    BOUNDARY_ESCAPE = "E"


class TargetKind(Enum):
    SELF = "self"
    ROLE = "role"
    USER = "user"
    GROUP = "group"
    NEW_ROLE = "new_role"
    NEW_USER = "new_user"


class Effect(Enum):
    SELF_ANY_POLICY = "self_any_policy"
    """The source can give itself any identity policy (its boundary and SCPs still apply)."""
    POLICY_VERSION = "policy_version"
    """A non-default version of a policy applying to the source becomes the default."""
    REMOVE_POLICY = "remove_policy"
    """A policy holding denies stops applying to the source."""
    SET_TAGS = "set_tags"
    """The source chooses its own principal tags."""
    ACT_AS_TARGET = "act_as_target"
    """The source acts with the target principal's permissions."""
    JOIN_GROUP = "join_group"
    """The source (a user) gains a group's policies."""
    TARGET_ANY_POLICY = "target_any_policy"
    """The source gives a principal it can act as any identity policy."""
    REMOVE_BOUNDARY = "remove_boundary"
    """The source's permissions boundary is removed, replaced or rewritten."""
    BOUNDARY_VERSION = "boundary_version"
    """A non-default version of the source's boundary policy becomes the default."""
    NEW_UNBOUNDED_PRINCIPAL = "new_unbounded_principal"
    """The source creates a principal without its boundary and acts as it."""
    TARGET_REMOVE_BOUNDARY = "target_remove_boundary"
    """The boundary of a principal the source can act as is removed or rewritten."""


@dataclass(frozen=True, slots=True)
class Precondition:
    kind: str
    service: str | None = None
    compute: str | None = None
    attachment: str | None = None
    exists: bool | None = None


@dataclass(frozen=True, slots=True)
class RequiredAction:
    action: str
    resource: str
    """A selector: self, target, target_policy, self_group, group, boundary_policy,
    target_boundary_policy, compute, any, ${created}, or new:<ARN template>."""
    context: tuple[tuple[str, str], ...] = ()
    evaluate_trust_policy: bool = False


@dataclass(frozen=True, slots=True)
class Reference:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Technique:
    id: str
    family: Family
    title: str
    description: str
    source_types: tuple[str, ...]
    target: TargetKind
    requires_boundary: bool
    preconditions: tuple[Precondition, ...]
    actions: tuple[RequiredAction, ...]
    effect: Effect
    references: tuple[Reference, ...]

    def precondition(self, kind: str) -> Precondition | None:
        for p in self.preconditions:
            if p.kind == kind:
                return p
        return None


def technique_schema() -> dict[str, Any]:
    text = (
        resources.files("iamfence.escalation").joinpath("technique.schema.json").read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def _technique(data: Mapping[str, Any]) -> Technique:
    return Technique(
        id=data["id"],
        family=Family(data["family"]),
        title=data["title"],
        description=data["description"],
        source_types=tuple(data["source_types"]),
        target=TargetKind(data["target"]),
        requires_boundary=bool(data["requires_boundary"]),
        preconditions=tuple(Precondition(**p) for p in data["preconditions"]),
        actions=tuple(
            RequiredAction(
                a["action"],
                a["resource"],
                tuple(sorted(a.get("context", {}).items())),
                bool(a.get("evaluate_trust_policy", False)),
            )
            for a in data["actions"]
        ),
        effect=Effect(data["effect"]),
        references=tuple(Reference(r["title"], r["url"]) for r in data["references"]),
    )


def parse_techniques(
    documents: Iterable[tuple[str, Mapping[str, Any]]], schema: Mapping[str, Any]
) -> tuple[Technique, ...]:
    """Validate each (name, document) against the schema and build the techniques, sorted by id.
    A broken catalog is a bug in iamfence (InternalError), not bad user input."""
    validator = jsonschema.Draft202012Validator(schema)
    out: list[Technique] = []
    seen: set[str] = set()
    for name, doc in documents:
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            first = errors[0]
            where = "/".join(str(p) for p in first.path)
            raise InternalError(f"technique {name}: {first.message} at /{where}")
        technique = _technique(doc)
        if technique.id in seen:
            raise InternalError(f"technique {name}: duplicate id {technique.id}")
        if name.endswith(".yaml") and name.rsplit("/", 1)[-1] != f"{technique.id}.yaml":
            raise InternalError(f"technique {name}: file name does not match id {technique.id}")
        seen.add(technique.id)
        out.append(technique)
    return tuple(sorted(out, key=lambda t: t.id))


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when present (same result, ten times faster)."""


def load_techniques() -> tuple[Technique, ...]:
    """The packaged technique catalog (reads package data when called)."""
    folder = resources.files("iamfence.escalation").joinpath("techniques")
    documents = [
        (entry.name, yaml.load(entry.read_text("utf-8"), Loader=_LOADER))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    ]
    return parse_techniques(documents, technique_schema())

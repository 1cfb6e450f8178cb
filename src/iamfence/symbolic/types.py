"""The prover's questions and answers as frozen values (no z3 here).

A `Query` asks: can any request by `principal`, for one of `actions`, on a resource inside `resource`,
with a context satisfying `requirements`, be allowed by a policy set? The answer is a `Verdict`:
HOLDS (no such request is allowed: a proof over every resource name and context value), VIOLATED
(with a counterexample request the concrete engine confirms), or UNKNOWN (timeout or a feature the
encoder does not support; never reported as HOLDS)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from iamfence.engine.types import PolicySet, StatementRef
from iamfence.model import Request


class Verdict(Enum):
    HOLDS = "holds"
    VIOLATED = "violated"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ResourceTarget:
    """The resources a query ranges over: every ARN matching `glob` (case-sensitive; `*` spans
    everything, `?` one character; a lone "*" is every ARN), except those in `exclude`, and, when
    `name_outside_prefix` is set, only those whose name (the text after the last '/') does not
    start with it: this is how path smuggling (`role/app-x/admin`) is caught."""

    glob: str
    name_outside_prefix: str | None = None
    exclude: tuple[str, ...] = ()


class Requirement(Enum):
    ABSENT_OR_NOT_EQUAL = "absent-or-not-equal"
    """The key is missing or (for a multivalued key: some value) differs from the value."""
    CONTAINS = "contains"
    """The key is present and (one of) its values equals the value."""
    PRESENT = "present"


@dataclass(frozen=True, slots=True)
class ContextRequirement:
    """A constraint a query puts on one string-typed context key (key names are case-insensitive)."""

    key: str
    requirement: Requirement
    value: str = ""
    multi: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    principal: str
    actions: tuple[str, ...]
    resource: ResourceTarget
    requirements: tuple[ContextRequirement, ...] = ()


@dataclass(frozen=True, slots=True)
class QueryResult:
    verdict: Verdict
    counterexample: Request | None = None
    reason: str | None = None
    """Why the verdict is UNKNOWN (solver timeout, unsupported feature)."""
    seconds: float = 0.0
    allowed_by: tuple[StatementRef, ...] = ()
    """Evidence for VIOLATED: the statements the engine names as deciding the counterexample."""


@dataclass(frozen=True, slots=True)
class Property:
    """An escalation claim: `query` must not be allowed under `policies`."""

    id: str
    title: str
    policies: PolicySet
    query: Query


@dataclass(frozen=True, slots=True)
class PropertyResult:
    id: str
    title: str
    verdict: Verdict
    counterexample: Request | None
    policies: PolicySet
    reason: str | None
    seconds: float
    allowed_by: tuple[StatementRef, ...] = ()


@dataclass(frozen=True, slots=True)
class ProofReport:
    properties: tuple[PropertyResult, ...]

    @property
    def verdict(self) -> Verdict:
        """VIOLATED if any is violated, else UNKNOWN if any is unknown, else HOLDS."""
        verdicts = {p.verdict for p in self.properties}
        if Verdict.VIOLATED in verdicts:
            return Verdict.VIOLATED
        if Verdict.UNKNOWN in verdicts:
            return Verdict.UNKNOWN
        return Verdict.HOLDS


class Direction(Enum):
    ADDED = "added"
    """NEW allows it, OLD does not."""
    REMOVED = "removed"
    """OLD allows it, NEW does not."""


@dataclass(frozen=True, slots=True)
class ActionClass:
    """Actions every policy of a comparison treats the same way (the same patterns match them)."""

    actions: tuple[str, ...]
    other_services: int = 0
    """The class also stands for every action of this many services no pattern names (one of
    their actions is in `actions` as their representative)."""

    @property
    def representative(self) -> str:
        return self.actions[0]


@dataclass(frozen=True, slots=True)
class DiffEntry:
    direction: Direction
    action_class: ActionClass
    verdict: Verdict
    """VIOLATED: there is a request in this class allowed on one side only (see `example`);
    HOLDS: proven none; UNKNOWN: could not decide (`reason`)."""
    example: Request | None
    reason: str | None
    seconds: float
    allowed_by: tuple[StatementRef, ...] = ()


@dataclass(frozen=True, slots=True)
class DiffResult:
    old_name: str
    new_name: str
    entries: tuple[DiffEntry, ...]
    classes: int
    """How many action classes were compared."""
    catalog_version: str = ""
    """The catalog the classes come from: the proof covers the actions it lists."""

    def changes(self, direction: Direction) -> tuple[DiffEntry, ...]:
        return tuple(
            e for e in self.entries if e.direction is direction and e.verdict is Verdict.VIOLATED
        )

    def unknown(self) -> tuple[DiffEntry, ...]:
        return tuple(e for e in self.entries if e.verdict is Verdict.UNKNOWN)

    @property
    def no_new_access(self) -> bool:
        """A proof: no class has a request NEW allows and OLD does not, and none was undecided."""
        return not self.changes(Direction.ADDED) and not any(
            e.direction is Direction.ADDED for e in self.unknown()
        )

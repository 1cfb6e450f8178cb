"""The IAM JSON policy language as frozen values.

Grammar: AWS IAM User Guide, "Grammar of the IAM JSON policy language" and "IAM JSON policy elements
reference". The model keeps what the document says (in document order) and nothing the parser
inferred: AWS PascalCase names live only in parse/ and the serializers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

ConditionScalar = str | bool | int | float
"""A condition value as written in JSON: IAM accepts strings, numbers and booleans."""


class Effect(Enum):
    ALLOW = "Allow"
    DENY = "Deny"


class PolicyType(Enum):
    """The kind of a policy document; each kind has its own grammar rules and size limit."""

    IDENTITY = "identity"
    RESOURCE = "resource"
    TRUST = "trust"
    PERMISSIONS_BOUNDARY = "boundary"
    SCP = "scp"
    RCP = "rcp"
    SESSION = "session"


class PrincipalKind(Enum):
    AWS = "AWS"
    SERVICE = "Service"
    FEDERATED = "Federated"
    CANONICAL_USER = "CanonicalUser"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """`Action` (negated=False) or `NotAction` (negated=True); patterns as written."""

    patterns: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class ResourceSpec:
    """`Resource` (negated=False) or `NotResource` (negated=True); patterns as written."""

    patterns: tuple[str, ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class PrincipalEntry:
    kind: PrincipalKind
    value: str


@dataclass(frozen=True, slots=True)
class PrincipalSpec:
    """`Principal` / `NotPrincipal`. `everyone` is the bare string form `"Principal": "*"`;
    `{"AWS": "*"}` is an entry (AWS treats both as everyone; the model keeps which was written)."""

    entries: tuple[PrincipalEntry, ...]
    everyone: bool = False
    negated: bool = False


@dataclass(frozen=True, slots=True)
class ConditionClause:
    """One `operator -> key -> values` triple of a Condition block, in document order.

    `operator` is as written (e.g. "ForAnyValue:StringLikeIfExists"); the engine's operator registry
    interprets it. `values` keeps JSON scalars as written; a single value is a 1-tuple."""

    operator: str
    key: str
    values: tuple[ConditionScalar, ...]


@dataclass(frozen=True, slots=True)
class Statement:
    effect: Effect
    action: ActionSpec | None
    resource: ResourceSpec | None
    principal: PrincipalSpec | None = None
    conditions: tuple[ConditionClause, ...] = ()
    sid: str | None = None


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    statements: tuple[Statement, ...]
    version: str | None = "2012-10-17"
    id: str | None = None

    @property
    def supports_variables(self) -> bool:
        """Policy variables are substituted only under Version 2012-10-17 (IAM User Guide, "IAM
        policy elements: Variables and tags"); otherwise `${...}` is literal text."""
        return self.version == "2012-10-17"


def allow_everything(sid: str | None = None) -> PolicyDocument:
    """`Allow * on *`: the widest identity policy, e.g. what a principal that can write its own
    policies gives itself, or what a developer could attach to a role it created."""
    statement = Statement(Effect.ALLOW, ActionSpec(("*",)), ResourceSpec(("*",)), sid=sid)
    return PolicyDocument((statement,))


@dataclass(frozen=True, slots=True)
class NamedPolicy:
    """A document with the name evidence refers to it by (a policy ARN, an inline policy name, a
    file path, or an index such as "identity[0]")."""

    name: str
    document: PolicyDocument
    type: PolicyType = PolicyType.IDENTITY

"""A request to authorize: who, what, on which resource, with which context.

The request carries everything the decision may depend on, the time included: the core never reads
the clock. Context values are typed (IAM User Guide, "IAM JSON policy elements: Condition operators"
and "AWS global condition context keys")."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ContextType(Enum):
    STRING = "string"
    NUMBER = "number"
    BOOL = "bool"
    DATE = "date"
    IP = "ip"
    ARN = "arn"
    BINARY = "binary"


@dataclass(frozen=True, slots=True)
class ContextValue:
    """A context key's value(s) in their wire form (strings, as AWS receives them), with a type.
    `multi` marks a multivalued key (a set), even when it holds one or zero values."""

    type: ContextType
    values: tuple[str, ...]
    multi: bool = False

    @staticmethod
    def string(value: str) -> ContextValue:
        return ContextValue(ContextType.STRING, (value,))

    @staticmethod
    def strings(values: tuple[str, ...] | list[str]) -> ContextValue:
        return ContextValue(ContextType.STRING, tuple(values), multi=True)

    @staticmethod
    def boolean(value: bool) -> ContextValue:
        return ContextValue(ContextType.BOOL, ("true" if value else "false",))


@dataclass(frozen=True, slots=True)
class Request:
    """`principal` is an ARN (IAM user, role, assumed-role session, federated user), a service
    principal ("lambda.amazonaws.com") or "*" / "anonymous"; `resource` is an ARN or "*".
    `context` maps key names (case-insensitive in IAM; kept as given) to typed values."""

    principal: str
    action: str
    resource: str
    context: tuple[tuple[str, ContextValue], ...] = field(default=())

    def context_dict(self) -> dict[str, ContextValue]:
        """Context keyed by lower-cased key name (condition keys are case-insensitive)."""
        return {k.lower(): v for k, v in self.context}

    def with_context(self, key: str, value: ContextValue) -> Request:
        rest = tuple((k, v) for k, v in self.context if k.lower() != key.lower())
        return Request(self.principal, self.action, self.resource, (*rest, (key, value)))

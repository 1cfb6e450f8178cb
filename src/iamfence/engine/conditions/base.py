"""The condition-operator contract: each family module registers `Operator` values.

IAM User Guide, "IAM JSON policy elements: Condition operators". A negated operator
(StringNotEquals, NotIpAddress, ...) is its positive twin with `negated=True`: it matches a context
value when the positive form matches none of the policy values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from iamfence.engine.patterns import QMARK, STAR, Part


@dataclass(frozen=True, slots=True)
class Operator:
    name: str
    negated: bool
    prepare: Callable[[tuple[Part, ...]], object | None]
    """A policy value (variables resolved) -> its compiled form; None when the value is not valid
    for the operator (such a value matches nothing)."""
    convert: Callable[[str], object | None]
    """A context value (wire form) -> its typed form; None when it has the wrong type (then the
    condition does not match, per AWS; never an exception)."""
    test: Callable[[object, object], bool]
    """(typed context value, prepared policy value) -> the positive operator matches."""


def plain_text(parts: tuple[Part, ...]) -> str:
    """The policy value as text: wildcards are ordinary characters for non-Like operators."""
    out = []
    for part in parts:
        if part == STAR:
            out.append("*")
        elif part == QMARK:
            out.append("?")
        else:
            assert isinstance(part, str)
            out.append(part)
    return "".join(out)


def pair(
    name: str,
    negated_name: str | None,
    prepare: Callable[[tuple[Part, ...]], object | None],
    convert: Callable[[str], object | None],
    test: Callable[[object, object], bool],
) -> tuple[Operator, ...]:
    ops = [Operator(name, False, prepare, convert, test)]
    if negated_name:
        ops.append(Operator(negated_name, True, prepare, convert, test))
    return tuple(ops)

"""The one module that imports z3 (ARCHITECTURE.md: only symbolic/ imports z3, and only here).

Other symbolic modules reach the solver through the names below. Third-party exceptions are
translated where they enter: a z3 failure becomes an `unknown` outcome with the solver's reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

import z3

Expr = Any
"""A z3 expression (z3 ships no type information)."""

__all__ = [
    "Expr",
    "Formula",
    "SolverOutcome",
    "SolverStatus",
    "as_expr",
    "bool_value",
    "check",
    "conj",
    "disj",
    "int_value",
    "literal",
    "neg",
    "re_literal",
    "readable",
    "string_value",
    "z3",
]


class SolverStatus(Enum):
    SAT = "sat"
    UNSAT = "unsat"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SolverOutcome:
    status: SolverStatus
    model: Any = None
    reason: str | None = None


def check(constraints: list[Expr], timeout_ms: int) -> SolverOutcome:
    """Decide the conjunction of `constraints` within `timeout_ms` milliseconds."""
    solver = z3.Solver()
    solver.set("timeout", max(1, int(timeout_ms)))
    solver.add(*(as_expr(c) for c in constraints))
    try:
        result = solver.check()
    except z3.Z3Exception as exc:  # translated where it enters
        return SolverOutcome(SolverStatus.UNKNOWN, reason=f"solver error: {exc}")
    if result == z3.sat:
        return SolverOutcome(SolverStatus.SAT, model=solver.model())
    if result == z3.unsat:
        return SolverOutcome(SolverStatus.UNSAT)
    return SolverOutcome(SolverStatus.UNKNOWN, reason=f"solver: {solver.reason_unknown()}")


_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]+)\}")


def _escape(text: str) -> str:
    """z3 reads `\\u{hex}` escapes in string literals: escape the backslash and every character
    outside printable ASCII so that a policy's text reaches the solver unchanged."""
    return "".join(
        ch if " " <= ch <= "~" and ch != "\\" else "\\u{%x}" % ord(ch)  # noqa: UP031 z3 syntax
        for ch in text
    )


@lru_cache(maxsize=1)
def readable() -> Expr:
    """Non-empty text of lower-case letters, digits and the punctuation of ARNs (examples read
    better with it; used only as a preference)."""
    chars = z3.Union(z3.Range("a", "z"), z3.Range("0", "9"), *(z3.Re(c) for c in "-_./:"))
    return z3.Plus(chars)


@lru_cache(maxsize=65536)
def literal(text: str) -> Expr:
    """A z3 string constant holding exactly `text`."""
    return z3.StringVal(_escape(text))


@lru_cache(maxsize=65536)
def re_literal(text: str) -> Expr:
    """A z3 regular expression matching exactly `text`."""
    return z3.Re(z3.StringVal(_escape(text)))


def re_char(ch: str) -> Expr:
    return re_literal(ch)


def string_value(model: Any, term: Expr) -> str:
    """The Python string a model assigns to a z3 string term (z3's escapes decoded)."""
    value = model.eval(term, model_completion=True)
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), str(value.as_string()))


def int_value(model: Any, term: Expr) -> int:
    return int(model.eval(term, model_completion=True).as_long())


def bool_value(model: Any, term: Expr) -> bool:
    return bool(z3.is_true(model.eval(term, model_completion=True)))


Formula = Any
"""A z3 Boolean expression or a Python bool (constant-folded before reaching z3)."""


def conj(*terms: Formula) -> Formula:
    """AND, folding Python constants (z3.And's argument coercion is slow in Python)."""
    kept = []
    for term in terms:
        if term is True:
            continue
        if term is False:
            return False
        kept.append(term)
    if not kept:
        return True
    return kept[0] if len(kept) == 1 else z3.And(*kept)


def disj(*terms: Formula) -> Formula:
    """OR, folding Python constants."""
    kept = []
    for term in terms:
        if term is False:
            continue
        if term is True:
            return True
        kept.append(term)
    if not kept:
        return False
    return kept[0] if len(kept) == 1 else z3.Or(*kept)


def neg(term: Formula) -> Formula:
    if term is True or term is False:
        return not term
    return z3.Not(term)


def as_expr(term: Formula) -> Expr:
    """A formula as a z3 expression (for the solver and for z3.If/Implies)."""
    if term is True or term is False:
        return z3.BoolVal(term)
    return term

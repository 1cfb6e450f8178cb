"""Which actions one policy's Allow statements grant, read from the statements' patterns.

This is the quick, engine-free reading used to explain a catalog diff ("which added actions does
this policy now grant?"); `iamfence.analysis.effective` decides the same question with the engine
and tests/analysis checks that both agree on the corpus. Matching follows the IAM User Guide,
"IAM JSON policy elements: Action / NotAction" (case-insensitive globs) and "Policy evaluation
logic" (an explicit Deny overrides any Allow).

Scope of a granted action:
- ALL_RESOURCES: an unconditional Allow with `Resource: "*"` matches it and no Deny matches it;
- SOME_RESOURCES: an unconditional Allow matches it, but only on some resources (specific ARNs,
  a `NotResource`, or a Deny on some resources);
- CONDITIONAL: only Allow statements with a Condition match it (or a conditional Deny may remove
  it everywhere).
An action is not granted when no Allow matches it, or an unconditional Deny on `*` matches it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from iamfence.catalog.patterns import glob_matches
from iamfence.catalog.types import ActionInfo
from iamfence.model import Effect, PolicyDocument, Statement


class GrantScope(Enum):
    ALL_RESOURCES = "all-resources"
    SOME_RESOURCES = "some-resources"
    CONDITIONAL = "conditional"


@dataclass(frozen=True, slots=True)
class StatementMatch:
    """Evidence: a statement that matches the action."""

    statement_index: int
    sid: str | None
    effect: Effect
    resources: tuple[str, ...]
    not_resource: bool
    conditional: bool


@dataclass(frozen=True, slots=True)
class ActionGrant:
    action: ActionInfo
    scope: GrantScope
    statements: tuple[StatementMatch, ...]
    """The Allow statements (and any Deny statements) matching the action, in document order."""


def statement_matches_action(statement: Statement, action: str) -> bool:
    """Whether `Action` / `NotAction` of the statement covers `action` ("service:Name")."""
    spec = statement.action
    if spec is None:
        return False
    hit = any(glob_matches(p.strip(), action) for p in spec.patterns)
    return not hit if spec.negated else hit


def statement_match(index: int, statement: Statement) -> StatementMatch:
    """What a statement that names an action says about it (evidence for grants)."""
    resource = statement.resource
    return StatementMatch(
        statement_index=index,
        sid=statement.sid,
        effect=statement.effect,
        resources=resource.patterns if resource else (),
        not_resource=bool(resource and resource.negated),
        conditional=bool(statement.conditions),
    )


def _everywhere(match: StatementMatch) -> bool:
    return not match.not_resource and "*" in match.resources


def grant_of(document: PolicyDocument, action: ActionInfo) -> ActionGrant | None:
    """How the document's statements grant `action`; None when they do not."""
    matches = tuple(
        statement_match(i, s)
        for i, s in enumerate(document.statements)
        if statement_matches_action(s, action.full_name)
    )
    allows = [m for m in matches if m.effect is Effect.ALLOW]
    denies = [m for m in matches if m.effect is Effect.DENY]
    if not allows or any(_everywhere(d) and not d.conditional for d in denies):
        return None
    unconditional = [m for m in allows if not m.conditional]
    if not unconditional or any(_everywhere(d) for d in denies):
        scope = GrantScope.CONDITIONAL
    elif any(_everywhere(m) for m in unconditional) and not denies:
        scope = GrantScope.ALL_RESOURCES
    else:
        scope = GrantScope.SOME_RESOURCES
    return ActionGrant(action, scope, matches)


def grants(document: PolicyDocument, actions: Iterable[ActionInfo]) -> tuple[ActionGrant, ...]:
    """The grants of `actions` by the document, in the order of `actions`."""
    out = (grant_of(document, a) for a in actions)
    return tuple(g for g in out if g is not None)

"""Catalog drift: the actions AWS added to the catalog since the snapshot the previous audit used,
and which of them the boundary's Allow statements now grant, by access level ("review: should the
boundary restrict these?")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from iamfence.audit import findings as fc
from iamfence.audit.findings import Finding
from iamfence.catalog import Catalog
from iamfence.model import Effect, PolicyDocument, Statement

SENSITIVE_LEVELS = frozenset({"Write", "Permissions management"})


@dataclass(frozen=True, slots=True)
class CatalogSnapshot:
    """What an audit records of the catalog it used: a version label and every action's access
    level, as (service:Action, level) pairs sorted by name."""

    version: str
    actions: tuple[tuple[str, str], ...]

    def as_dict(self) -> dict[str, str]:
        return dict(self.actions)

    def to_json(self) -> dict[str, object]:
        return {"version": self.version, "actions": dict(self.actions)}

    @staticmethod
    def from_json(data: Mapping[str, object]) -> CatalogSnapshot | None:
        """Read `{"version": str, "actions": {"svc:Action": level}}`; None when not that shape."""
        version, actions = data.get("version"), data.get("actions")
        if not isinstance(version, str) or not isinstance(actions, Mapping):
            return None
        pairs = tuple(sorted((str(k), str(v)) for k, v in actions.items()))
        return CatalogSnapshot(version, pairs)


@dataclass(frozen=True, slots=True)
class CatalogDrift:
    baseline_version: str
    current_version: str
    added: tuple[tuple[str, str], ...]
    """Actions in the current catalog but not in the baseline, with their access level."""
    granted: tuple[tuple[str, str], ...]
    """Those of `added` that an Allow statement of the boundary grants (and no unconditional Deny
    on every resource removes)."""

    def granted_by_level(self) -> dict[str, tuple[str, ...]]:
        levels: dict[str, list[str]] = {}
        for action, level in self.granted:
            levels.setdefault(level, []).append(action)
        return {k: tuple(v) for k, v in sorted(levels.items())}


@lru_cache(maxsize=4096)
def _pattern(pattern: str) -> re.Pattern[str]:
    # Action matching is case-insensitive; '*' matches any run, '?' one character (IAM User Guide,
    # "IAM JSON policy elements: Action").
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(f"^{body}$", re.IGNORECASE | re.DOTALL)


def _matches(statement: Statement, action: str) -> bool:
    if statement.action is None:
        return False
    hit = any(_pattern(p).match(action) for p in statement.action.patterns)
    return hit != statement.action.negated


def _unconditional_deny_all(statement: Statement) -> bool:
    resource = statement.resource
    return (
        statement.effect is Effect.DENY
        and not statement.conditions
        and resource is not None
        and not resource.negated
        and "*" in resource.patterns
    )


def grants(boundary: PolicyDocument, action: str) -> bool:
    """An Allow statement names the action and no unconditional Deny on `*` removes it. A
    conditional Deny is ignored: the action stays listed for review (over-reporting is safe)."""
    allowed = any(s.effect is Effect.ALLOW and _matches(s, action) for s in boundary.statements)
    if not allowed:
        return False
    return not any(_unconditional_deny_all(s) and _matches(s, action) for s in boundary.statements)


def catalog_drift(
    baseline: CatalogSnapshot, current: CatalogSnapshot, boundary: PolicyDocument | None
) -> CatalogDrift:
    before = {name.lower() for name, _ in baseline.actions}
    added = tuple((n, lvl) for n, lvl in current.actions if n.lower() not in before)
    granted = tuple((n, lvl) for n, lvl in added if boundary is not None and grants(boundary, n))
    return CatalogDrift(baseline.version, current.version, added, granted)


def drift_findings(drift: CatalogDrift, account: str, boundary_arn: str) -> list[Finding]:
    out: list[Finding] = []
    for action, level in drift.granted:
        code = fc.DRIFT_GRANTED_SENSITIVE if level in SENSITIVE_LEVELS else fc.DRIFT_GRANTED
        out.append(
            Finding.of(
                code,
                account,
                boundary_arn,
                action=action,
                access_level=level,
                baseline_catalog=drift.baseline_version,
                current_catalog=drift.current_version,
            )
        )
    return out


def snapshot_of_catalog(catalog: Catalog) -> CatalogSnapshot:
    """The compact snapshot an audit stores: every action with its access level."""
    pairs = []
    for service in catalog.services():
        for info in catalog.service_actions(service):
            pairs.append((info.full_name, info.access_level.value))
    return CatalogSnapshot(catalog.version, tuple(sorted(pairs)))

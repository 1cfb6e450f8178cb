"""Renderers for effective permissions: a per-service, per-access-level table (text) and JSON.
They return strings."""

from __future__ import annotations

import json
from typing import Any

from iamfence.analysis.effective import EffectiveAction, EffectivePermissions
from iamfence.catalog.grants import GrantScope
from iamfence.report.catalog import table
from iamfence.report.evidence import statement_ref_json

SCOPE_TITLES = {
    GrantScope.ALL_RESOURCES: "EVERY RESOURCE",
    GrantScope.SOME_RESOURCES: "SOME RESOURCES",
    GrantScope.CONDITIONAL: "UNDER CONDITIONS",
}


def _action_json(item: EffectiveAction) -> dict[str, Any]:
    return {
        "action": item.action.full_name,
        "access_level": item.action.access_level.value,
        "scope": item.scope.value,
        "witness_resource": item.witness.resource,
        "excluded_resource": item.excluded.resource if item.excluded else None,
        "deciding": [statement_ref_json(ref) for ref in item.deciding],
    }


def effective_json(result: EffectivePermissions) -> dict[str, Any]:
    return {
        "principal": result.principal,
        "catalog": {"version": result.catalog_version, "date": result.catalog_date},
        "candidates": result.candidates,
        "summary": [
            {
                "service": row.service,
                "access_level": row.access_level.value,
                "all_resources": list(row.all_resources),
                "some_resources": list(row.some_resources),
                "conditional": list(row.conditional),
            }
            for row in result.summary()
        ],
        "actions": [_action_json(a) for a in result.actions],
        "undecided": [
            {
                "action": u.action.full_name,
                "access_level": u.action.access_level.value,
                "reason": u.reason,
            }
            for u in result.undecided
        ],
    }


def render_effective_json(result: EffectivePermissions) -> str:
    return json.dumps(effective_json(result), indent=2) + "\n"


def render_effective_text(result: EffectivePermissions, list_limit: int = 20) -> str:
    """The table of counts, then the actions allowed only on some resources or only under
    conditions (up to `list_limit` per service and level)."""
    rows = [
        (
            row.service,
            row.access_level.value,
            str(len(row.all_resources)),
            str(len(row.some_resources)),
            str(len(row.conditional)),
        )
        for row in result.summary()
    ]
    head = (
        f"effective permissions of {result.principal} "
        f"(catalog {result.catalog_version}, {result.catalog_date}): "
        f"{len(result.actions)} of {result.candidates} candidate actions allowed\n"
    )
    if not rows:
        body = "no action is allowed\n"
    else:
        header = ("SERVICE", "ACCESS LEVEL", *SCOPE_TITLES.values())
        body = table(rows, header)
    details: list[str] = []
    for row in result.summary():
        for title, names in (
            ("only on some resources", row.some_resources),
            ("only under conditions", row.conditional),
        ):
            if names:
                shown = ", ".join(names[:list_limit])
                more = f" (+{len(names) - list_limit} more)" if len(names) > list_limit else ""
                details.append(f"  {row.service} {row.access_level.value} {title}: {shown}{more}")
    for item in result.undecided:
        details.append(f"  undecided: {item.action.full_name}: {item.reason}")
    return head + body + ("\n".join(details) + "\n" if details else "")


def render_effective(result: EffectivePermissions, output_format: str) -> str:
    if output_format == "json":
        return render_effective_json(result)
    return render_effective_text(result)

"""Renderers for catalog answers: action lists, one action's details, a catalog diff (with the
added actions a policy grants). They return strings; JSON is a list of objects (actions) or one
object (a diff)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from iamfence.catalog import ActionInfo, Catalog
from iamfence.catalog.diff import CatalogDiff, group_by_level
from iamfence.catalog.grants import ActionGrant


def action_json(info: ActionInfo) -> dict[str, Any]:
    return {
        "action": info.full_name,
        "access_level": info.access_level.value,
        "resource_types": list(info.resource_types),
        "condition_keys": list(info.condition_keys),
    }


def action_detail_json(info: ActionInfo, catalog: Catalog) -> dict[str, Any]:
    out = action_json(info)
    out["access_level_raw"] = info.access_level_raw or info.access_level.value
    out["service_name"] = catalog.service_name(info.service)
    out["dependent_actions"] = list(info.dependent_actions)
    resources = []
    for ref in info.resource_refs:
        rtype = catalog.resource_type(info.service, ref.name)
        resources.append(
            {
                "name": ref.name,
                "required": ref.required,
                "arn_templates": list(rtype.arn_templates) if rtype else [],
                "condition_keys": list(ref.condition_keys),
                "resource_condition_keys": list(rtype.condition_keys) if rtype else [],
            }
        )
    out["resources"] = resources
    out["catalog_version"] = catalog.version
    return out


def table(rows: Sequence[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """Left-aligned columns, two spaces apart."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines) + "\n"


def render_actions(infos: tuple[ActionInfo, ...], output_format: str) -> str:
    if output_format == "json":
        return json.dumps([action_json(i) for i in infos], indent=2) + "\n"
    if not infos:
        return "no actions match\n"
    rows = [(i.full_name, i.access_level.value, ", ".join(i.resource_types) or "*") for i in infos]
    return table(rows, ("ACTION", "ACCESS LEVEL", "RESOURCE TYPES")) + f"{len(infos)} actions\n"


def render_action(info: ActionInfo, catalog: Catalog, output_format: str) -> str:
    detail = action_detail_json(info, catalog)
    if output_format == "json":
        return json.dumps([detail], indent=2) + "\n"
    lines = [
        f"{info.full_name}  ({detail['service_name']})",
        f"  access level:   {info.access_level.value}"
        + (f"  (catalog: {info.access_level_raw})" if info.access_level_raw else ""),
        f"  condition keys: {', '.join(info.condition_keys) or '-'}",
        f"  dependent:      {', '.join(info.dependent_actions) or '-'}",
        "  resource types:" + ("" if info.resource_refs else " * (the action supports only *)"),
    ]
    for res in detail["resources"]:
        mark = " (required)" if res["required"] else ""
        lines.append(f"    {res['name']}{mark}: {', '.join(res['arn_templates']) or '?'}")
        keys = [*res["condition_keys"], *res["resource_condition_keys"]]
        if keys:
            lines.append(f"      keys: {', '.join(keys)}")
    lines.append(f"  catalog: {catalog.version} ({catalog.date})")
    return "\n".join(lines) + "\n"


def grant_json(grant: ActionGrant) -> dict[str, Any]:
    return {
        "action": grant.action.full_name,
        "access_level": grant.action.access_level.value,
        "scope": grant.scope.value,
        "statements": [
            {
                "statement_index": m.statement_index,
                "sid": m.sid,
                "effect": m.effect.value,
                "resources": list(m.resources),
                "not_resource": m.not_resource,
                "conditional": m.conditional,
            }
            for m in grant.statements
        ],
    }


def diff_json(diff: CatalogDiff, granted: tuple[ActionGrant, ...] | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "old": {"version": diff.old_version, "date": diff.old_date},
        "new": {"version": diff.new_version, "date": diff.new_date},
        "services_added": list(diff.services_added),
        "services_removed": list(diff.services_removed),
        "added": [action_json(a) for a in diff.added],
        "removed": [action_json(a) for a in diff.removed],
        "relevelled": [
            {"action": r.action, "old_access_level": r.old.value, "access_level": r.new.value}
            for r in diff.relevelled
        ],
        "counts": {
            "added": len(diff.added),
            "removed": len(diff.removed),
            "relevelled": len(diff.relevelled),
            "added_by_access_level": {lvl.value: len(acts) for lvl, acts in diff.added_by_level()},
        },
    }
    if granted is not None:
        out["granted"] = [grant_json(g) for g in granted]
    return out


def render_diff(
    diff: CatalogDiff,
    granted: tuple[ActionGrant, ...] | None,
    output_format: str,
    max_listed: int = 50,
) -> str:
    if output_format == "json":
        return json.dumps(diff_json(diff, granted), indent=2) + "\n"
    lines = [
        f"catalog {diff.old_version} ({diff.old_date}) -> {diff.new_version} ({diff.new_date})",
        f"  added {len(diff.added)} actions, removed {len(diff.removed)}, "
        f"re-levelled {len(diff.relevelled)}",
    ]
    if diff.services_added:
        lines.append(f"  new services: {', '.join(diff.services_added)}")
    if diff.services_removed:
        lines.append(f"  removed services: {', '.join(diff.services_removed)}")
    for level, acts in diff.added_by_level():
        lines.append(f"  added, {level.value}: {len(acts)}")
        lines.extend(f"    + {a.full_name}" for a in acts[:max_listed])
        if len(acts) > max_listed:
            lines.append(f"    ... and {len(acts) - max_listed} more (use --format json)")
    if diff.removed:
        lines.append(f"  removed: {len(diff.removed)}")
        lines.extend(
            f"    - {a.full_name} ({a.access_level.value})" for a in diff.removed[:max_listed]
        )
    if diff.relevelled:
        lines.append(f"  re-levelled: {len(diff.relevelled)}")
        lines.extend(
            f"    ~ {r.action}: {r.old.value} -> {r.new.value}"
            for r in diff.relevelled[:max_listed]
        )
    for label, count in (("removed", len(diff.removed)), ("re-levelled", len(diff.relevelled))):
        if count > max_listed:
            lines.append(f"    ... {count - max_listed} more {label} (use --format json)")
    if granted is not None:
        lines.append(f"  the policy's Allow statements grant {len(granted)} of the added actions")
        by_action = {g.action.full_name: g for g in granted}
        for level, acts in group_by_level(tuple(g.action for g in granted)):
            lines.append(f"    {level.value}: {len(acts)}")
            if len(acts) > max_listed:
                lines.append(f"      ... {len(acts) - max_listed} not listed (use --format json)")
            for act in acts[:max_listed]:
                grant = by_action[act.full_name]
                sids = ", ".join(
                    m.sid or f"#{m.statement_index}"
                    for m in grant.statements
                    if m.effect.value == "Allow"
                )
                lines.append(f"      {act.full_name}  [{grant.scope.value}]  via {sids}")
    return "\n".join(lines) + "\n"

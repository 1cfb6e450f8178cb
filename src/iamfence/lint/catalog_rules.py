"""Lint rules that need the IAM action catalog (codes IF3xx, documented in docs/codes.md).

Each rule is a `CatalogRule` (stable code, severity, summary, check function) and reads one policy
document with a `Catalog`; `check_catalog_rules` runs them all on their own (pointers then name
every element as a list item, "/Statement/0/Action/1", and `locate` may add line and column).
Importing this module registers `catalog_lint` with the lint framework (`needs_catalog=True`):
`lint_policy(..., catalog=...)` runs these rules with pointers and positions from the source.

Sources: IAM User Guide, "IAM JSON policy elements: Action / NotAction / Resource / Condition",
"Grant least privilege"; Service Authorization Reference ("Actions defined by ..." tables: an
action with no resource type supports only Resource "*"; the resource types' ARN formats; the
condition keys per action and per resource type).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from iamfence.catalog import AccessLevel, ActionInfo, Catalog
from iamfence.catalog.patterns import (
    arn_globs_intersect,
    glob_matches,
    has_wildcard,
    policy_variables_to_glob,
    split_action,
    template_to_glob,
    template_to_plain_glob,
)
from iamfence.catalog.suggest import suggest_action, suggest_service
from iamfence.diagnostics import Diagnostic, Location, Severity, json_pointer
from iamfence.lint.framework import LintContext, register_rule
from iamfence.model import Effect, PolicyDocument, PolicyType, Statement
from iamfence.parse.codes import Code

Locate = Callable[[str], Location]

UNKNOWN_SERVICE = "IF300"
UNKNOWN_ACTION = "IF301"
MATCHES_NOTHING = "IF302"
RESOURCE_NOT_ACCEPTED = "IF303"
CONDITION_KEY_UNUSED = "IF304"
STAR_ONLY_ACTION_SCOPED = "IF305"
PASSROLE_ON_STAR = "IF306"
ALLOW_NOT_ACTION = "IF307"
PERMISSIONS_MANAGEMENT_ON_STAR = "IF308"

ACCESS_POLICY_KINDS = frozenset(
    {PolicyType.IDENTITY, PolicyType.PERMISSIONS_BOUNDARY, PolicyType.SESSION, PolicyType.SCP}
)
"""Kinds whose Allow statements grant a principal permissions: IF306-IF308 apply to these."""


@dataclass(frozen=True, slots=True)
class StatementView:
    """One statement with what the catalog says about it (computed once, read by every rule)."""

    index: int
    statement: Statement
    actions: tuple[ActionInfo, ...]
    """Catalog actions the statement applies to (Action expansion, or NotAction complement)."""
    key: str
    """"Action" or "NotAction"."""


def _plain_statement(index: int) -> str:
    return f"/Statement/{index}"


def _plain_element(index: int, element: str, item: int | None = None) -> str:
    return f"/Statement/{index}/{element}" + ("" if item is None else f"/{item}")


@dataclass(frozen=True, slots=True)
class Context:
    """What the checks read: the document, the catalog, the policy kind, and how to point at
    an element (the lint framework's pointers follow how the source wrote it: "/Statement" for a
    single statement object, "/Statement/0/Action" for a string Action)."""

    document: PolicyDocument
    catalog: Catalog
    kind: PolicyType
    locate: Locate
    statement_pointer: Callable[[int], str] = _plain_statement
    element_pointer: Callable[[int, str, int | None], str] = _plain_element

    def element(self, index: int, element: str, item: int | None = None) -> Location:
        return self.locate(self.element_pointer(index, element, item))

    def condition(self, index: int, operator: str, key: str) -> Location:
        pointer = self.statement_pointer(index) + json_pointer("Condition", operator, key)
        return self.locate(pointer)


Check = Callable[[StatementView, Context], list[Diagnostic]]


@dataclass(frozen=True, slots=True)
class CatalogRule:
    code: str
    severity: Severity
    summary: str
    check: Check

    def diagnostic(self, message: str, location: Location) -> Diagnostic:
        return Diagnostic(self.code, self.severity, message, location)


def _view(index: int, statement: Statement, catalog: Catalog) -> StatementView:
    spec = statement.action
    if spec is None:
        return StatementView(index, statement, (), "Action")
    if spec.negated:
        names = catalog.expand_not_action(spec.patterns)
    else:
        names = catalog.expand_all(spec.patterns)
    infos = tuple(i for i in (catalog.action(n) for n in names) if i is not None)
    return StatementView(index, statement, infos, "NotAction" if spec.negated else "Action")


# -- IF300 / IF301 / IF302: names ------------------------------------------------------------
def _pattern_problem(pattern: str, catalog: Catalog) -> tuple[str, str] | None:
    """(code, message) for a pattern naming no catalog action; None when it names some."""
    if pattern == "*" or catalog.expand(pattern):
        return None
    parts = split_action(pattern)
    if parts is None:
        return (MATCHES_NOTHING, f"{pattern!r} matches no action (expected service:Action)")
    service = parts[0]
    if not has_wildcard(service) and not catalog.has_service(service):
        hint = suggest_service(catalog, service)
        more = f"; did you mean {hint!r}?" if hint else ""
        return (UNKNOWN_SERVICE, f"unknown service prefix {service!r} in {pattern!r}{more}")
    if not has_wildcard(pattern):
        hint = suggest_action(catalog, pattern)
        more = f"; did you mean {hint}?" if hint else ""
        return (UNKNOWN_ACTION, f"{pattern!r} is not an action of {service.lower()}{more}")
    return (MATCHES_NOTHING, f"{pattern!r} matches no action in catalog {catalog.version}")


def _check_names(view: StatementView, ctx: Context) -> list[Diagnostic]:
    spec = view.statement.action
    if spec is None:
        return []
    out = []
    for j, pattern in enumerate(spec.patterns):
        problem = _pattern_problem(pattern, ctx.catalog)
        if problem is not None:
            code, message = problem
            rule = RULES_BY_CODE[code]
            out.append(rule.diagnostic(message, ctx.element(view.index, view.key, j)))
    return out


# -- IF303: resource ARN no matched action accepts -------------------------------------------
def _accepting_templates(actions: tuple[ActionInfo, ...], catalog: Catalog) -> list[str]:
    templates: list[str] = []
    for action in actions:
        for name in action.resource_types:
            rtype = catalog.resource_type(action.service, name)
            if rtype is not None:
                templates.extend(template_to_glob(t) for t in rtype.arn_templates)
    return list(dict.fromkeys(templates))


def _check_resources(view: StatementView, ctx: Context) -> list[Diagnostic]:
    resource = view.statement.resource
    if resource is None or resource.negated or view.key == "NotAction":
        return []
    typed = tuple(a for a in view.actions if a.resource_types)
    templates = _accepting_templates(typed, ctx.catalog)
    if not templates:
        return []
    rule = RULES_BY_CODE[RESOURCE_NOT_ACCEPTED]
    out = []
    for j, pattern in enumerate(resource.patterns):
        if pattern == "*" or not pattern.startswith("arn:"):
            continue
        glob = policy_variables_to_glob(pattern)
        if any(arn_globs_intersect(glob, t) for t in templates):
            continue
        names = sorted({a.full_name for a in typed})
        shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        out.append(
            rule.diagnostic(
                f"no resource type of the statement's actions ({shown}) has an ARN like "
                f"{pattern!r}",
                ctx.element(view.index, "Resource", j),
            )
        )
    return out


# -- IF304: condition key that applies to none of the actions --------------------------------
def _keys_of(action: ActionInfo, catalog: Catalog) -> list[str]:
    keys = list(action.all_condition_keys)
    for name in action.resource_types:
        rtype = catalog.resource_type(action.service, name)
        if rtype is not None:
            keys.extend(rtype.condition_keys)
    return keys


def _check_condition_keys(view: StatementView, ctx: Context) -> list[Diagnostic]:
    if not view.statement.conditions or view.key == "NotAction" or not view.actions:
        return []
    globs = {
        template_to_plain_glob(k).lower() for a in view.actions for k in _keys_of(a, ctx.catalog)
    }
    rule = RULES_BY_CODE[CONDITION_KEY_UNUSED]
    out = []
    for clause in view.statement.conditions:
        prefix = clause.key.partition(":")[0].lower()
        if prefix == "aws" or not ctx.catalog.has_service(prefix):
            continue  # global keys apply to every action; unknown prefixes are IF154's concern
        if any(glob_matches(g, clause.key) for g in globs):
            continue
        out.append(
            rule.diagnostic(
                f"condition key {clause.key!r} applies to none of the statement's "
                f"{len(view.actions)} actions, so the condition never sees a value for it",
                ctx.condition(view.index, clause.operator, clause.key),
            )
        )
    return out


# -- IF305: actions that support only "*" given specific resources ---------------------------
def _check_star_only(view: StatementView, ctx: Context) -> list[Diagnostic]:
    statement = view.statement
    spec, resource = statement.action, statement.resource
    if spec is None or spec.negated or resource is None or resource.negated:
        return []
    if any(glob_matches(p, "*") for p in resource.patterns):
        return []
    rule = RULES_BY_CODE[STAR_ONLY_ACTION_SCOPED]
    out = []
    for j, pattern in enumerate(spec.patterns):
        matched = [a for a in view.actions if glob_matches(pattern, a.full_name)]
        if matched and all(not a.resource_types for a in matched):
            out.append(
                rule.diagnostic(
                    f'{pattern!r} names only actions that support just Resource "*" '
                    f"({matched[0].full_name}{' ...' if len(matched) > 1 else ''}); "
                    "the statement's specific resources never match them",
                    ctx.element(view.index, "Action", j),
                )
            )
    return out


# -- IF306 / IF307 / IF308: risky grants -----------------------------------------------------
def _on_every_resource(statement: Statement) -> bool:
    resource = statement.resource
    if resource is None:
        return False
    return resource.negated or "*" in resource.patterns


def _grants(view: StatementView, ctx: Context) -> bool:
    return view.statement.effect is Effect.ALLOW and ctx.kind in ACCESS_POLICY_KINDS


def _check_passrole(view: StatementView, ctx: Context) -> list[Diagnostic]:
    if not _grants(view, ctx) or not _on_every_resource(view.statement):
        return []
    if not any(a.full_name == "iam:PassRole" for a in view.actions):
        return []
    rule = RULES_BY_CODE[PASSROLE_ON_STAR]
    return [
        rule.diagnostic(
            "iam:PassRole on every resource lets the principal hand any role (an admin role "
            "included) to a service; name the roles it may pass",
            ctx.element(view.index, "Resource"),
        )
    ]


def _check_allow_not_action(view: StatementView, ctx: Context) -> list[Diagnostic]:
    if not _grants(view, ctx) or view.key != "NotAction":
        return []
    rule = RULES_BY_CODE[ALLOW_NOT_ACTION]
    return [
        rule.diagnostic(
            f"Allow with NotAction grants every other action ({len(view.actions)} in catalog "
            f"{ctx.catalog.version}), including every action AWS adds later",
            ctx.element(view.index, "NotAction"),
        )
    ]


def _check_permissions_management(view: StatementView, ctx: Context) -> list[Diagnostic]:
    if not _grants(view, ctx) or not _on_every_resource(view.statement):
        return []
    level = AccessLevel.PERMISSIONS_MANAGEMENT
    found = [a.full_name for a in view.actions if a.access_level is level]
    if not found:
        return []
    shown = ", ".join(found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    rule = RULES_BY_CODE[PERMISSIONS_MANAGEMENT_ON_STAR]
    return [
        rule.diagnostic(
            f"grants {len(found)} Permissions management actions on every resource ({shown})",
            ctx.element(view.index, "Resource"),
        )
    ]


_E, _W = Severity.ERROR, Severity.WARNING

RULES: tuple[CatalogRule, ...] = (
    CatalogRule(UNKNOWN_SERVICE, _E, "unknown service prefix", _check_names),
    CatalogRule(UNKNOWN_ACTION, _E, "unknown action", _check_names),
    CatalogRule(MATCHES_NOTHING, _W, "action pattern that matches no action", _check_names),
    CatalogRule(
        RESOURCE_NOT_ACCEPTED,
        _W,
        "resource ARN that no resource type of the statement's actions accepts",
        _check_resources,
    ),
    CatalogRule(
        CONDITION_KEY_UNUSED,
        _W,
        "condition key that applies to none of the statement's actions",
        _check_condition_keys,
    ),
    CatalogRule(
        STAR_ONLY_ACTION_SCOPED,
        _W,
        'action that supports only Resource "*" given specific resources',
        _check_star_only,
    ),
    CatalogRule(PASSROLE_ON_STAR, _W, 'iam:PassRole allowed on Resource "*"', _check_passrole),
    CatalogRule(ALLOW_NOT_ACTION, _W, "Allow with NotAction", _check_allow_not_action),
    CatalogRule(
        PERMISSIONS_MANAGEMENT_ON_STAR,
        _W,
        'Permissions management actions allowed on Resource "*"',
        _check_permissions_management,
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}


def check_catalog_rules(
    document: PolicyDocument,
    catalog: Catalog,
    *,
    kind: PolicyType = PolicyType.IDENTITY,
    file: str = "<input>",
    locate: Locate | None = None,
    codes: frozenset[str] | None = None,
) -> tuple[Diagnostic, ...]:
    """Every IF3xx diagnostic for `document` (only `codes` when given), in statement order."""
    ctx = Context(document, catalog, kind, locate or (lambda pointer: Location(file, pointer)))
    return _run(ctx, codes)


def _run(ctx: Context, codes: frozenset[str] | None = None) -> tuple[Diagnostic, ...]:
    checks: list[Check] = []
    for rule in RULES:
        if (codes is None or rule.code in codes) and rule.check not in checks:
            checks.append(rule.check)
    out: list[Diagnostic] = []
    for index, statement in enumerate(ctx.document.statements):
        view = _view(index, statement, ctx.catalog)
        for check in checks:
            out.extend(d for d in check(view, ctx) if codes is None or d.code in codes)
    return tuple(out)


CODES: tuple[Code, ...] = tuple(Code(r.code, r.severity, r.summary) for r in RULES)
"""The IF3xx codes in the lint framework's form."""


@register_rule(*CODES, needs_catalog=True)
def catalog_lint(context: LintContext) -> tuple[Diagnostic, ...]:
    """The lint framework's entry: every catalog rule, located through the source map."""
    if not isinstance(context.catalog, Catalog):
        return ()
    ctx = Context(
        context.document,
        context.catalog,
        context.kind,
        lambda pointer: context.source_map.location(context.file, pointer),
        context.statement_pointer,
        context.element_pointer,
    )
    return _run(ctx)


__all__ = [
    "CODES",
    "RULES",
    "RULES_BY_CODE",
    "CatalogRule",
    "catalog_lint",
    "check_catalog_rules",
]

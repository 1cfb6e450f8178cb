"""The lint rule framework: a rule is a function LintContext -> diagnostics, registered with
`register_rule`; `lint_policy` runs every registered rule over one parsed document.

Extending: a module defines `@register_rule(CODE, ...)` functions and is imported before linting.
Catalog-aware rules (`needs_catalog=True`) live in `iamfence.lint.catalog_rules`, which
`lint_policy` imports lazily the first time a catalog is given; they read `context.catalog`.
Rules locate what they find with `context.diagnostic(code, message, pointer)`: the pointer is
resolved to line:column through the parser's SourceMap when the document came from text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module

from iamfence.diagnostics import Diagnostic
from iamfence.model.policy import PolicyDocument, PolicyType, Statement
from iamfence.parse.codes import Code
from iamfence.parse.context import SourceMap

CATALOG_RULES_MODULE = "iamfence.lint.catalog_rules"


@dataclass(frozen=True, slots=True)
class LintContext:
    """One document under lint, with what rules need to locate and judge it."""

    document: PolicyDocument
    kind: PolicyType
    file: str = "<input>"
    source_map: SourceMap = field(default_factory=SourceMap)
    catalog: object | None = None

    def statement_pointer(self, index: int) -> str:
        """`/Statement/i`, or `/Statement` when the source wrote a single statement object."""
        single = (
            len(self.document.statements) == 1
            and "/Statement" in self.source_map
            and "/Statement/0" not in self.source_map
        )
        return "/Statement" if single else f"/Statement/{index}"

    def element_pointer(
        self, index: int, element: str, item: int | None = None, *, count: int = 1
    ) -> str:
        """The pointer of a statement element (e.g. "Action"), or of item `item` of its `count`
        values, matching how the source wrote it (a string or a list; without a source, a list
        when there are several values)."""
        pointer = f"{self.statement_pointer(index)}/{element}"
        if item is None:
            return pointer
        as_list = (
            f"{pointer}/0" in self.source_map if self.source_map.values else count > 1 or item > 0
        )
        return f"{pointer}/{item}" if as_list else pointer

    def diagnostic(
        self, code: Code, message: str, pointer: str, *, at_key: bool = False
    ) -> Diagnostic:
        location = self.source_map.location(self.file, pointer, at_key=at_key)
        return Diagnostic(code.code, code.severity, message, location)

    def statements(self) -> Iterable[tuple[int, Statement]]:
        return enumerate(self.document.statements)


Check = Callable[[LintContext], Iterable[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: its name (module.function), the codes it may emit, and its check."""

    name: str
    codes: tuple[Code, ...]
    check: Check
    needs_catalog: bool = False


_REGISTRY: dict[str, Rule] = {}


def register_rule(*codes: Code, needs_catalog: bool = False) -> Callable[[Check], Check]:
    """Decorator: register `check` as a lint rule emitting `codes`. Registering the same function
    twice (a module imported again) keeps one entry."""

    def wrap(check: Check) -> Check:
        name = f"{check.__module__}.{getattr(check, '__qualname__', repr(check))}"
        _REGISTRY[name] = Rule(name, tuple(codes), check, needs_catalog)
        return check

    return wrap


def load_catalog_rules() -> bool:
    """Import the catalog-aware rules (they register themselves); False when not installed."""
    try:
        import_module(CATALOG_RULES_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != CATALOG_RULES_MODULE:
            raise
        return False
    return True


def registered_rules(*, with_catalog: bool = False) -> tuple[Rule, ...]:
    """Every registered rule, in registration order; catalog rules only when asked for."""
    return tuple(r for r in _REGISTRY.values() if with_catalog or not r.needs_catalog)


def lint_policy(
    document: PolicyDocument,
    *,
    kind: PolicyType,
    file: str = "<input>",
    catalog: object | None = None,
    source_map: SourceMap | None = None,
) -> tuple[Diagnostic, ...]:
    """Every lint diagnostic of one document of the given kind, ordered by position. With a
    catalog, the catalog-aware rules run too. `source_map` (ParseResult.source_map) locates the
    diagnostics as line:column."""
    if catalog is not None:
        load_catalog_rules()
    context = LintContext(document, kind, file, source_map or SourceMap(), catalog)
    found: list[Diagnostic] = []
    for rule in registered_rules(with_catalog=catalog is not None):
        found.extend(rule.check(context))
    return tuple(sorted(found, key=lambda d: (d.location.line, d.location.column)))

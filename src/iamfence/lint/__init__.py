"""lint: static checks on parsed policy documents (IF2xx; catalog-aware rules IF3xx).

`lint_policy(document, kind=..., file=..., catalog=..., source_map=...)` runs every registered
rule. Rules live one family per module (rules_*.py) and register with `register_rule`; the
catalog-aware rules in `lint/catalog_rules.py` register with `needs_catalog=True` and are imported
the first time a catalog is passed. Every code is documented in docs/codes.md.
"""

from iamfence.lint import (  # noqa: F401  (imported to register their rules)
    rules_conditions,
    rules_grants,
    rules_guards,
    rules_principals,
    rules_structure,
)
from iamfence.lint.codes import ALL_CODES
from iamfence.lint.framework import (
    Check,
    LintContext,
    Rule,
    lint_policy,
    load_catalog_rules,
    register_rule,
    registered_rules,
)

RULES: tuple[Rule, ...] = registered_rules()
"""The built-in (non-catalog) rules, in registration order."""

__all__ = [
    "ALL_CODES",
    "RULES",
    "Check",
    "LintContext",
    "Rule",
    "lint_policy",
    "load_catalog_rules",
    "register_rule",
    "registered_rules",
]

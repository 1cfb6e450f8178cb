"""Stable codes of the non-catalog lint rules (IF2xx), with severity and a one-line summary.

docs/codes.md documents each code (what it checks, why it matters, an example, the fix);
tests/lint/test_rules.py checks that every code here has its section there. Catalog-aware rules
(IF3xx) live in lint/catalog_rules.py.
"""

from __future__ import annotations

from iamfence.diagnostics import Severity
from iamfence.parse.codes import Code

_E = Severity.ERROR
_W = Severity.WARNING

# Broad grants.
ALLOW_NOT_RESOURCE = Code("IF200", _W, "Allow with NotResource grants every other resource")
ALLOW_ALL = Code("IF201", _W, 'Allow of "*" on "*" without a condition: full administrator')
# Statement structure.
DUPLICATE_STATEMENT = Code("IF210", _W, "a statement repeats another one (Sid aside)")
# Conditions whose outcome depends on a key that may be absent.
DENY_ABSENT_KEY = Code(
    "IF220", _W, "Deny conditioned on a key often absent from requests: it does not apply then"
)
ALLOW_FOR_ALL_VALUES = Code(
    "IF221", _W, "Allow with ForAllValues: it also matches requests that lack the key"
)
ALLOW_IF_EXISTS_OMITTABLE = Code(
    "IF222", _W, "Allow with ...IfExists on a key the caller can leave out of the request"
)
BOUNDARY_GUARD_IF_EXISTS = Code(
    "IF223", _E, "permissions-boundary guard written with ...IfExists: omitting it passes"
)
# Guards that cannot guard.
INERT_GUARD = Code(
    "IF230", _E, "a conditioned Allow beside an unconditioned Allow of the same actions"
)
# Principals.
TRUST_EVERYONE = Code("IF240", _E, "trust policy lets any principal assume the role")
PUBLIC_RESOURCE = Code("IF241", _W, "resource policy allows any principal without a condition")
WEB_IDENTITY_NO_SUBJECT = Code(
    "IF242", _E, "web identity trust without a condition on the token's subject"
)

ALL_CODES: tuple[Code, ...] = tuple(v for v in tuple(globals().values()) if isinstance(v, Code))

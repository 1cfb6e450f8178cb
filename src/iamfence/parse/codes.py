"""Stable diagnostic codes of the parser (IF1xx), with their severity and a one-line summary.

docs/codes.md documents each code; tests/parse/test_codes.py checks that every code here is there.
Codes IF100-IF108 mean the input is not a usable JSON object at all (CLI exit 3); the rest are
grammar problems in a document that parsed as JSON (CLI exit 2 when an error).
"""

from __future__ import annotations

from dataclasses import dataclass

from iamfence.diagnostics import Severity


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    summary: str


_E = Severity.ERROR
_W = Severity.WARNING

# Input: not a JSON object at all.
NOT_JSON = Code("IF100", _E, "not valid JSON")
NOT_OBJECT = Code("IF101", _E, "the document is not a JSON object")
DUPLICATE_KEY = Code("IF102", _E, "duplicate key in a JSON object")
NON_FINITE = Code("IF103", _E, "NaN, Infinity or a number out of range")
TOO_DEEP = Code("IF104", _E, "nesting deeper than 100 levels")
TOO_BIG = Code("IF105", _E, "document larger than 10 MB")
NOT_UTF8 = Code("IF106", _E, "bytes are not valid UTF-8")
NOT_JSON_VALUE = Code("IF107", _E, "a value of a non-JSON type (mapping input)")
UNREADABLE = Code("IF108", _E, "the file cannot be read (missing, a folder, no permission)")
# Document level.
VERSION_MISSING = Code(
    "IF110", _W, "Version is missing (AWS assumes 2008-10-17: no policy variables)"
)
VERSION_UNKNOWN = Code("IF111", _E, "Version is not 2012-10-17 or 2008-10-17")
UNKNOWN_ELEMENT = Code("IF112", _E, "unknown policy or statement element")
STATEMENT_MISSING = Code("IF113", _E, "Statement is missing")
WRONG_TYPE = Code("IF114", _E, "an element has the wrong JSON type")
EMPTY = Code("IF115", _E, "an empty list, object or string where a value is required")
CHARSET = Code("IF116", _W, "character outside the set IAM accepts (tab, LF, CR, U+0020-U+00FF)")
# Statement level.
EFFECT_MISSING = Code("IF120", _E, "Effect is missing")
EFFECT_INVALID = Code("IF121", _E, "Effect is not Allow or Deny")
CONFLICTING = Code("IF122", _E, "an element and its Not form in one statement")
ACTION_MISSING = Code("IF123", _E, "Action or NotAction is missing")
RESOURCE_MISSING = Code("IF124", _E, "Resource or NotResource is missing")
ACTION_MALFORMED = Code("IF130", _E, "malformed action name (service:Action, wildcards * and ?)")
RESOURCE_MALFORMED = Code("IF131", _E, "malformed resource (an ARN, an ARN pattern or *)")
# Principals and policy kinds.
PRINCIPAL_FORBIDDEN = Code("IF140", _E, "Principal or NotPrincipal in a policy kind that has none")
PRINCIPAL_MISSING = Code("IF141", _E, "Principal is missing in a trust or resource policy")
NOT_PRINCIPAL_FORBIDDEN = Code("IF142", _E, "NotPrincipal in a policy kind that does not allow it")
RESOURCE_FORBIDDEN = Code("IF143", _E, "Resource or NotResource in a trust policy")
RCP_PRINCIPAL = Code("IF144", _E, 'an RCP statement whose Principal is not "*"')
PRINCIPAL_TYPE_UNKNOWN = Code(
    "IF145", _E, "unknown principal type (AWS, Service, Federated, CanonicalUser)"
)
PRINCIPAL_MALFORMED = Code("IF146", _W, "principal value of an unexpected shape")
NOT_PRINCIPAL_ALLOW = Code("IF147", _E, "NotPrincipal with Allow (supported only with Deny)")
RCP_ALLOW = Code("IF148", _W, "an RCP statement with Allow (only RCPFullAWSAccess may allow)")
RCP_NOT_ACTION = Code("IF149", _E, "NotAction in an RCP (RCPs support Action only)")
# Conditions.
OPERATOR_UNKNOWN = Code("IF150", _E, "unknown condition operator")
OPERATOR_CASE = Code("IF151", _W, "condition operator spelled with different letter case")
NULL_IF_EXISTS = Code("IF152", _E, "Null takes no IfExists suffix")
CONDITION_VALUE = Code("IF153", _E, "condition value is not a string, number or boolean")
CONDITION_KEY = Code("IF154", _W, "condition key is not of the form prefix:name")
# Sid.
SID_DUPLICATE = Code("IF160", _E, "duplicate Sid in one policy")
SID_INVALID = Code("IF161", _E, "Sid has characters this policy kind does not accept")
# Size.
TOO_LARGE_FOR_KIND = Code("IF170", _E, "policy larger than the AWS size limit for its kind")

ALL_CODES: tuple[Code, ...] = tuple(v for v in tuple(globals().values()) if isinstance(v, Code))

INPUT_CODES = frozenset(
    c.code
    for c in (
        NOT_JSON,
        NOT_OBJECT,
        DUPLICATE_KEY,
        NON_FINITE,
        TOO_DEEP,
        TOO_BIG,
        NOT_UTF8,
        NOT_JSON_VALUE,
        UNREADABLE,
    )
)
"""Codes meaning the input is not a usable JSON object (CLI exit 3, not 2)."""

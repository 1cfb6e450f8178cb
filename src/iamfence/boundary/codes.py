"""Stable diagnostic codes of the boundary spec (IF4xx), with their severity and a summary.

docs/codes.md ("Spec diagnostics (IF4xx)") documents each code; tests/boundary/test_codes.py checks
that every code here is documented there."""

from __future__ import annotations

from dataclasses import dataclass

from iamfence.diagnostics import Diagnostic, Location, Severity


@dataclass(frozen=True, slots=True)
class SpecCode:
    code: str
    severity: Severity
    summary: str

    def at(self, location: Location, message: str) -> Diagnostic:
        return Diagnostic(self.code, self.severity, message, location)


_E = Severity.ERROR

# The file itself.
NOT_YAML = SpecCode("IF400", _E, "the spec is not valid YAML")
NOT_MAPPING = SpecCode("IF401", _E, "the spec is not a YAML mapping")
DUPLICATE_KEY = SpecCode("IF402", _E, "a key appears twice in one mapping")
VERSION = SpecCode("IF403", _E, "`version` is missing or not `iamfence/v1`")
# Schema.
UNKNOWN_FIELD = SpecCode("IF404", _E, "a field the schema does not know")
MISSING_FIELD = SpecCode("IF405", _E, "a required field is missing")
INVALID_VALUE = SpecCode("IF406", _E, "a value has the wrong type or form")
DUPLICATE_ENTRY = SpecCode("IF407", _E, "the same service, region or key is listed twice")
# Meaning.
UNKNOWN_SERVICE = SpecCode("IF410", _E, "a service prefix the catalog does not know")
UNKNOWN_ACTION = SpecCode("IF411", _E, "an allow/deny action that matches no action of the service")
GUARDED_SERVICE = SpecCode("IF412", _E, "a grant the guards own (iam beyond List/Read, sts)")
NAME_IN_PREFIX = SpecCode("IF413", _E, "a policy name inside the writable role prefix")
EMPTY_GRANT = SpecCode("IF414", _E, "a service entry that grants no action")
# Size.
BOUNDARY_TOO_LARGE = SpecCode(
    "IF420", _E, "the boundary exceeds 6,144 characters after compression"
)
DEVELOPER_TOO_LARGE = SpecCode(
    "IF421", _E, "the developer policy exceeds 6,144 characters after compression"
)

ALL_CODES: tuple[SpecCode, ...] = (
    NOT_YAML,
    NOT_MAPPING,
    DUPLICATE_KEY,
    VERSION,
    UNKNOWN_FIELD,
    MISSING_FIELD,
    INVALID_VALUE,
    DUPLICATE_ENTRY,
    UNKNOWN_SERVICE,
    UNKNOWN_ACTION,
    GUARDED_SERVICE,
    NAME_IN_PREFIX,
    EMPTY_GRANT,
    BOUNDARY_TOO_LARGE,
    DEVELOPER_TOO_LARGE,
)

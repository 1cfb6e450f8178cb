"""Exemptions: built-in ones (service-linked roles, AWS-reserved IAM Identity Center roles) and a
user's file of exemptions, each with a reason and an expiry date. An exempted finding stays in the
result, muted, with the reason; an expired exemption mutes nothing and is itself a finding."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase

from iamfence.audit.findings import EXEMPTION_EXPIRED, Finding
from iamfence.diagnostics import Diagnostic, Location, Severity, json_pointer

# "Using service-linked roles" (IAM User Guide): service-linked roles live under /aws-service-role/
# and cannot carry a permissions boundary (IAM API Reference, PutRolePermissionsBoundary: "You
# cannot set the boundary for a service-linked role").
SERVICE_LINKED_PATH = "/aws-service-role/"
# IAM Identity Center provisions the roles of permission sets as AWSReservedSSO_* under the path
# /aws-reserved/sso.amazonaws.com/ (IAM Identity Center User Guide, "Permission sets"); IAM
# Identity Center owns them, so account administrators cannot attach a boundary either.
SSO_RESERVED_PATH = "/aws-reserved/sso.amazonaws.com/"
SSO_RESERVED_PREFIX = "AWSReservedSSO_"

BUILTIN_SERVICE_LINKED = "service-linked role (AWS manages it; it cannot carry a boundary)"
BUILTIN_SSO = "AWS-reserved IAM Identity Center role (managed by IAM Identity Center)"

INVALID_EXEMPTION = "IF790"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class Exemption:
    """`subject` is an ARN or an fnmatch pattern over ARNs (`*` matches across `/`); `codes` empty
    means every code; `account` empty means every account."""

    subject: str
    reason: str
    expires: date
    codes: tuple[str, ...] = ()
    account: str = ""

    def matches(self, finding: Finding) -> bool:
        if self.codes and finding.code not in self.codes:
            return False
        if self.account and finding.account != self.account:
            return False
        return fnmatchcase(finding.subject_arn, self.subject)

    def expired(self, today: date) -> bool:
        return self.expires < today


def builtin_reason(path: str, name: str) -> str | None:
    """The reason a role is exempt by nature, or None."""
    if path.startswith(SERVICE_LINKED_PATH):
        return BUILTIN_SERVICE_LINKED
    if path.startswith(SSO_RESERVED_PATH) or name.startswith(SSO_RESERVED_PREFIX):
        return BUILTIN_SSO
    return None


def apply_exemptions(
    findings: Iterable[Finding], exemptions: tuple[Exemption, ...], today: date
) -> list[Finding]:
    """Mute each finding an unexpired exemption matches; expired exemptions mute nothing."""
    live = tuple(e for e in exemptions if not e.expired(today))
    out: list[Finding] = []
    for finding in findings:
        result = finding
        if not finding.muted:
            for e in live:
                if e.matches(finding):
                    result = finding.mute(f"exemption: {e.reason} (until {e.expires.isoformat()})")
                    break
        out.append(result)
    return out


def expired_findings(exemptions: tuple[Exemption, ...], today: date) -> list[Finding]:
    return [
        Finding.of(
            EXEMPTION_EXPIRED,
            e.account,
            e.subject,
            reason=e.reason,
            expires=e.expires.isoformat(),
            codes=e.codes,
        )
        for e in exemptions
        if e.expired(today)
    ]


def exemptions_from_data(
    data: object, file: str = "<input>"
) -> tuple[tuple[Exemption, ...], tuple[Diagnostic, ...]]:
    """Read `{"exemptions": [{subject, reason, expires, codes?, account?}, ...]}` (or the bare
    list). Every problem is a diagnostic; an entry without a reason or expiry is rejected."""
    items = data.get("exemptions") if isinstance(data, Mapping) else data
    base = ("exemptions",) if isinstance(data, Mapping) else ()
    if not isinstance(items, list):
        loc = Location(file, json_pointer(*base))
        return (), (
            Diagnostic(INVALID_EXEMPTION, Severity.ERROR, "expected a list of exemptions", loc),
        )
    out: list[Exemption] = []
    problems: list[Diagnostic] = []
    for i, item in enumerate(items):
        exemption, problem = _one(item, Location(file, json_pointer(*base, i)))
        if exemption is not None:
            out.append(exemption)
        if problem is not None:
            problems.append(problem)
    return tuple(out), tuple(problems)


def _one(item: object, loc: Location) -> tuple[Exemption | None, Diagnostic | None]:
    def bad(message: str) -> tuple[None, Diagnostic]:
        return None, Diagnostic(INVALID_EXEMPTION, Severity.ERROR, message, loc)

    if not isinstance(item, Mapping):
        return bad("an exemption must be an object")
    subject, reason, expires = item.get("subject"), item.get("reason"), item.get("expires")
    if not isinstance(subject, str) or not subject:
        return bad("exemption needs a 'subject' (an ARN or pattern)")
    if not isinstance(reason, str) or not reason.strip():
        return bad("exemption needs a non-empty 'reason'")
    if isinstance(expires, date):
        when = expires
    elif isinstance(expires, str) and _DATE.match(expires):
        try:
            when = date.fromisoformat(expires)
        except ValueError:
            return bad(f"'expires' is not a valid date: {expires}")
    else:
        return bad("exemption needs 'expires' as YYYY-MM-DD")
    codes = item.get("codes", [])
    if isinstance(codes, str):
        codes = [codes]
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        return bad("'codes' must be a list of IF7xx codes")
    account = item.get("account", "")
    if not isinstance(account, str | int):
        return bad("'account' must be an account id")
    return Exemption(subject, reason.strip(), when, tuple(codes), str(account)), None

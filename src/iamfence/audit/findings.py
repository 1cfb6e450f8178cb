"""Audit findings as data: a stable code (IF7xx), a severity, the account and subject ARN, and the
evidence (key/value pairs). Prose is made in report/; docs/codes.md documents each code."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from iamfence.diagnostics import Severity

EvidenceValue = str | int | bool | tuple[str, ...]
Evidence = tuple[tuple[str, EvidenceValue], ...]


@dataclass(frozen=True, slots=True)
class FindingCode:
    code: str
    severity: Severity
    summary: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

NOT_AUDITED = FindingCode("IF700", _E, "account not audited")
ROLE_WITHOUT_BOUNDARY = FindingCode("IF701", _E, "role without a permissions boundary")
ROLE_OTHER_BOUNDARY = FindingCode("IF702", _E, "role with another permissions boundary")
USER_WITHOUT_BOUNDARY = FindingCode("IF703", _W, "user without a permissions boundary")
BOUNDARY_MISSING = FindingCode("IF704", _E, "permissions boundary policy missing")
BOUNDARY_DRIFTED = FindingCode("IF705", _E, "permissions boundary default version drifted")
ROLE_OUTSIDE_PREFIX = FindingCode("IF706", _W, "developer role outside the role prefix")
EXEMPTION_EXPIRED = FindingCode("IF707", _W, "exemption expired")
USER_OTHER_BOUNDARY = FindingCode("IF708", _W, "user with another permissions boundary")
TRAIL_BOUNDARY_REMOVED = FindingCode("IF710", _E, "permissions boundary removed (CloudTrail)")
TRAIL_BOUNDARY_REPLACED = FindingCode("IF711", _W, "permissions boundary set to another policy")
TRAIL_BOUNDARY_EDITED = FindingCode("IF712", _W, "permissions boundary policy versions changed")
TRAIL_BOUNDARY_DELETED = FindingCode("IF713", _E, "permissions boundary policy deleted")
TRAIL_CREATED_UNBOUNDED = FindingCode("IF714", _W, "role or user created without the boundary")
TRAIL_ACCESS_DENIED = FindingCode("IF715", _W, "denied attempt at a boundary-related action")
TRAIL_BOUNDARY_SET = FindingCode("IF716", _I, "permissions boundary set (CloudTrail)")
DRIFT_GRANTED = FindingCode("IF720", _I, "new catalog action granted by the boundary")
DRIFT_GRANTED_SENSITIVE = FindingCode(
    "IF721", _W, "new write or permissions-management action granted by the boundary"
)

ALL_CODES: tuple[FindingCode, ...] = (
    NOT_AUDITED,
    ROLE_WITHOUT_BOUNDARY,
    ROLE_OTHER_BOUNDARY,
    USER_WITHOUT_BOUNDARY,
    BOUNDARY_MISSING,
    BOUNDARY_DRIFTED,
    ROLE_OUTSIDE_PREFIX,
    EXEMPTION_EXPIRED,
    USER_OTHER_BOUNDARY,
    TRAIL_BOUNDARY_REMOVED,
    TRAIL_BOUNDARY_REPLACED,
    TRAIL_BOUNDARY_EDITED,
    TRAIL_BOUNDARY_DELETED,
    TRAIL_CREATED_UNBOUNDED,
    TRAIL_ACCESS_DENIED,
    TRAIL_BOUNDARY_SET,
    DRIFT_GRANTED,
    DRIFT_GRANTED_SENSITIVE,
)
CODES: Mapping[str, FindingCode] = {c.code: c for c in ALL_CODES}
STATE_CODES = frozenset(c.code for c in ALL_CODES if c.code < "IF710")
"""Findings about the account's state, which a later audit can find fixed. CloudTrail findings
are events in a time window and drift findings are review items: neither is ever "fixed"."""

# Evidence keys that make two findings of the same code and subject different ones (for trend).
_DISCRIMINATORS = ("event_id", "action")


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    account: str
    subject_arn: str
    evidence: Evidence = ()
    muted: bool = False
    mute_reason: str = ""

    @staticmethod
    def of(code: FindingCode, account: str, subject_arn: str, **evidence: EvidenceValue) -> Finding:
        return Finding(code.code, code.severity, account, subject_arn, tuple(evidence.items()))

    def get(self, key: str, default: EvidenceValue = "") -> EvidenceValue:
        for k, v in self.evidence:
            if k == key:
                return v
        return default

    @property
    def key(self) -> str:
        """Identity across audits: same code, account, subject (and event or action)."""
        extra = "|".join(str(self.get(k)) for k in _DISCRIMINATORS if self.get(k) != "")
        return f"{self.code}|{self.account}|{self.subject_arn}|{extra}"

    def mute(self, reason: str) -> Finding:
        return replace(self, muted=True, mute_reason=reason)


def severity_at_least(finding: Finding, threshold: Severity) -> bool:
    return finding.severity.rank >= threshold.rank

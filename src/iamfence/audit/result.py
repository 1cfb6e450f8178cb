"""The result of an audit, built account by account (so a caller can stream accounts and keep
only findings in memory), and its summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from iamfence.account.model import AccountSnapshot
from iamfence.audit import findings as fc
from iamfence.audit.checks import AuditConfig, check_account
from iamfence.audit.drift import CatalogDrift
from iamfence.audit.exemptions import Exemption, apply_exemptions, expired_findings
from iamfence.audit.findings import Finding, severity_at_least
from iamfence.audit.trend import PreviousFinding, Trend, compute_trend
from iamfence.diagnostics import Severity


class AccountStatus(Enum):
    AUDITED = "audited"
    NOT_AUDITED = "not_audited"


@dataclass(frozen=True, slots=True)
class AccountRecord:
    account_id: str
    status: AccountStatus
    source: str = ""
    roles: int = 0
    users: int = 0
    reason: str = ""
    findings: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "account": self.account_id,
            "status": self.status.value,
            "source": self.source,
            "roles": self.roles,
            "users": self.users,
            "findings": self.findings,
            "reason": self.reason,
        }


@dataclass(frozen=True, slots=True)
class AuditResult:
    audit_id: str
    started_at: str
    boundary_arn: str
    accounts: tuple[AccountRecord, ...]
    findings: tuple[Finding, ...]
    trend: Trend | None = None
    drift: CatalogDrift | None = None
    catalog_version: str = ""

    def failing(self, threshold: Severity) -> tuple[Finding, ...]:
        """Unmuted findings at or above `threshold`: what makes the audit fail in CI."""
        return tuple(f for f in self.findings if not f.muted and severity_at_least(f, threshold))

    def summary(self, fail_on: Severity = Severity.ERROR) -> dict[str, object]:
        live = [f for f in self.findings if not f.muted]
        by_severity = Counter(f.severity.value for f in live)
        by_code = Counter(f.code for f in live)
        audited = sum(1 for a in self.accounts if a.status is AccountStatus.AUDITED)
        out: dict[str, object] = {
            "audit_id": self.audit_id,
            "started_at": self.started_at,
            "boundary_arn": self.boundary_arn,
            "accounts": len(self.accounts),
            "accounts_audited": audited,
            "accounts_not_audited": len(self.accounts) - audited,
            "roles": sum(a.roles for a in self.accounts),
            "users": sum(a.users for a in self.accounts),
            "findings": len(live),
            "muted": len(self.findings) - len(live),
            "by_severity": {s.value: by_severity.get(s.value, 0) for s in Severity},
            "by_code": dict(sorted(by_code.items())),
            "fail_on": fail_on.value,
            "compliant": not self.failing(fail_on),
            "catalog_version": self.catalog_version,
        }
        if self.trend is not None:
            out["trend"] = {"previous_audit": self.trend.previous_audit, **self.trend.counts}
        if self.drift is not None:
            out["catalog_drift"] = {
                "baseline": self.drift.baseline_version,
                "current": self.drift.current_version,
                "added": len(self.drift.added),
                "granted": {k: list(v) for k, v in self.drift.granted_by_level().items()},
            }
        return out


@dataclass(slots=True)
class AuditBuilder:
    """Collects per-account results. `add_snapshot` runs the checks and keeps only the findings;
    `add_unaudited` records an account that could not be audited as an IF700 finding."""

    config: AuditConfig
    today: date
    exemptions: tuple[Exemption, ...] = ()
    accounts: list[AccountRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def add_snapshot(self, snapshot: AccountSnapshot, source: str = "") -> list[Finding]:
        found = apply_exemptions(check_account(snapshot, self.config), self.exemptions, self.today)
        self.findings.extend(found)
        self.accounts.append(
            AccountRecord(
                snapshot.account_id,
                AccountStatus.AUDITED,
                source,
                len(snapshot.roles),
                len(snapshot.users),
                findings=sum(1 for f in found if not f.muted),
            )
        )
        return found

    def add_unaudited(self, account_id: str, reason: str, source: str = "") -> list[Finding]:
        found = [
            Finding.of(
                fc.NOT_AUDITED,
                account_id,
                f"arn:aws:iam::{account_id}:root",
                reason=reason,
            )
        ]
        self.findings.extend(found)
        self.accounts.append(
            AccountRecord(account_id, AccountStatus.NOT_AUDITED, source, reason=reason, findings=1)
        )
        return found

    def add_findings(self, extra: list[Finding]) -> list[Finding]:
        """CloudTrail and drift findings: exemptions apply to them too."""
        found = apply_exemptions(extra, self.exemptions, self.today)
        self.findings.extend(found)
        return found

    def build(
        self,
        audit_id: str,
        started_at: str,
        previous: tuple[str, tuple[PreviousFinding, ...]] | None = None,
        drift: CatalogDrift | None = None,
        catalog_version: str = "",
    ) -> AuditResult:
        """The result, findings sorted (unmuted first, by severity); `previous` is the previous
        audit's id and findings, for the trend."""
        findings = self.findings + expired_findings(self.exemptions, self.today)
        order = {s: i for i, s in enumerate((Severity.ERROR, Severity.WARNING, Severity.INFO))}
        findings.sort(key=lambda f: (f.muted, order[f.severity], f.code, f.account, f.subject_arn))
        trend = None
        if previous is not None:
            audited = frozenset(
                a.account_id for a in self.accounts if a.status is AccountStatus.AUDITED
            )
            trend = compute_trend(previous[0], previous[1], findings, audited)
        return AuditResult(
            audit_id,
            started_at,
            self.config.boundary_arn,
            tuple(self.accounts),
            tuple(findings),
            trend,
            drift,
            catalog_version,
        )

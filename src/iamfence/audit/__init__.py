"""Audit (layer 6): checks -> findings (code, severity, subject, evidence), CloudTrail review,
catalog drift, exemptions, trend and the remediation plan. No I/O: adapters/ collect, cli/ runs."""

from iamfence.audit.checks import AuditConfig, check_account
from iamfence.audit.cloudtrail import TrailWindow, review_records
from iamfence.audit.drift import CatalogDrift, CatalogSnapshot, catalog_drift, drift_findings
from iamfence.audit.exemptions import Exemption, apply_exemptions, exemptions_from_data
from iamfence.audit.findings import CODES, Finding, FindingCode
from iamfence.audit.remediation import RemediationStep, StepAction, StepOutcome, plan
from iamfence.audit.result import AccountRecord, AccountStatus, AuditBuilder, AuditResult
from iamfence.audit.trend import PreviousFinding, Trend, compute_trend

__all__ = [
    "CODES",
    "AccountRecord",
    "AccountStatus",
    "AuditBuilder",
    "AuditConfig",
    "AuditResult",
    "CatalogDrift",
    "CatalogSnapshot",
    "Exemption",
    "Finding",
    "FindingCode",
    "PreviousFinding",
    "RemediationStep",
    "StepAction",
    "StepOutcome",
    "TrailWindow",
    "Trend",
    "apply_exemptions",
    "catalog_drift",
    "check_account",
    "compute_trend",
    "drift_findings",
    "exemptions_from_data",
    "plan",
    "review_records",
]

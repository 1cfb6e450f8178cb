"""Trend against the previous audit: which findings are new, which were fixed, which remain."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from iamfence.audit.findings import STATE_CODES, Finding


@dataclass(frozen=True, slots=True)
class PreviousFinding:
    """What the history keeps of a finding to compare with: its key, code and subject."""

    key: str
    code: str
    account: str
    subject_arn: str


@dataclass(frozen=True, slots=True)
class Trend:
    previous_audit: str
    """The id of the audit compared with ("" when there is none)."""
    new: tuple[str, ...]
    fixed: tuple[PreviousFinding, ...]
    unchanged: tuple[str, ...]

    @property
    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "fixed": len(self.fixed), "unchanged": len(self.unchanged)}


def compute_trend(
    previous_audit: str,
    previous: Iterable[PreviousFinding],
    current: Iterable[Finding],
    audited_accounts: frozenset[str],
) -> Trend:
    """Over state findings (STATE_CODES) only: CloudTrail events and drift review items depend on
    the window and baseline reviewed, so they are never "fixed". Muted findings count too (they are
    still findings). A previous finding in an account not audited this time is neither fixed nor
    unchanged: nobody looked."""
    now = {f.key for f in current if f.code in STATE_CODES}
    before = {p.key: p for p in previous if p.code in STATE_CODES}
    new = tuple(sorted(k for k in now if k not in before))
    unchanged = tuple(sorted(k for k in now if k in before))
    fixed = tuple(
        sorted(
            (
                p
                for k, p in before.items()
                if k not in now and (not p.account or p.account in audited_accounts)
            ),
            key=lambda p: p.key,
        )
    )
    return Trend(previous_audit, new, fixed, unchanged)

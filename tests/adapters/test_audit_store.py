"""History store: SQLite (default) and a real PostgreSQL 15 server started by the test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from iamfence.adapters.store import HistoryStore, database_url, default_db_path
from iamfence.audit import (
    AccountRecord,
    AccountStatus,
    AuditBuilder,
    AuditConfig,
    CatalogSnapshot,
    Finding,
)
from iamfence.diagnostics import Severity
from iamfence.errors import InfrastructureError
from tests.adapters import audit_pg

CATALOG = CatalogSnapshot("2026.10", (("s3:GetObject", "Read"), ("s3:PutObject", "Write")))


def _finding(subject: str, code: str = "IF701") -> Finding:
    return Finding(
        code,
        Severity.ERROR,
        "111111111111",
        subject,
        (("role_name", subject), ("tags", ("a", "b"))),
    )


def _exercise(store: HistoryStore) -> None:
    record = AccountRecord("111111111111", AccountStatus.AUDITED, "live", roles=3)
    store.begin_audit("a1", "org", "2026-10-01T00:00:00Z", "arn:b")
    store.add_account("a1", record, [_finding("r1"), _finding("r2")])
    # A running audit is no baseline.
    assert store.previous_audit("org") is None
    store.finish_audit("a1", "2026-10-01T00:05:00Z", {"findings": 2}, CATALOG)

    store.begin_audit("a2", "org", "2026-11-01T00:00:00Z", "arn:b")
    assert store.previous_audit("org", exclude="a2") == "a1"
    previous = store.findings_of("a1")
    assert sorted(p.subject_arn for p in previous) == ["r1", "r2"]
    assert store.previous_catalog("org", exclude="a2") == CATALOG

    builder = AuditBuilder(AuditConfig("arn:b"), date(2026, 11, 1))
    builder.findings.extend([_finding("r1"), _finding("r3")])
    builder.accounts.append(record)
    result = builder.build("a2", "t", previous=("a1", previous))
    assert result.trend is not None and result.trend.counts == {
        "new": 1,
        "fixed": 1,
        "unchanged": 1,
    }
    store.add_account("a2", record, result.findings)
    store.finish_audit("a2", "2026-11-01T00:05:00Z", result.summary(), None)
    assert store.previous_audit("org") == "a2"
    # a2 stored no catalog: the latest one stored is still a1's.
    assert store.previous_catalog("org") == CATALOG
    assert store.previous_audit("other-scope") is None
    assert [a["id"] for a in store.audits("org")] == ["a1", "a2"]


def _transaction_rolls_back(store: HistoryStore) -> None:
    record = AccountRecord("222222222222", AccountStatus.AUDITED)
    store.begin_audit("t1", "tx", "2026-11-02T00:00:00Z", "arn:b")
    store.add_account("t1", record, [_finding("x")])
    # Same account again: the primary key rejects it, and none of its findings land.
    with pytest.raises(InfrastructureError):
        store.add_account("t1", record, [_finding("y"), _finding("z")])
    assert [p.subject_arn for p in store.findings_of("t1")] == ["x"]


def test_sqlite_history(tmp_path: Path) -> None:
    store = HistoryStore.open(str(tmp_path / "h.sqlite3"))
    try:
        _exercise(store)
        _transaction_rolls_back(store)
    finally:
        store.close()


def test_default_path_under_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_db_path() == tmp_path / "iamfence" / "history.sqlite3"
    assert database_url(None) == f"sqlite:///{tmp_path}/iamfence/history.sqlite3"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_unreachable_postgres_is_an_infrastructure_error() -> None:
    from tests.conftest import free_port

    with pytest.raises(InfrastructureError) as info:
        HistoryStore.open(f"postgresql://u:secret@127.0.0.1:{free_port()}/db?connect_timeout=2")
    assert "secret" not in str(info.value)


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    reason = audit_pg.available()
    if reason:
        pytest.skip(reason)
    with audit_pg.postgres_server() as url:
        yield url


@pytest.mark.postgres
def test_postgres_history(pg_url: str) -> None:
    store = HistoryStore.open(pg_url)
    try:
        _exercise(store)
        _transaction_rolls_back(store)
    finally:
        store.close()

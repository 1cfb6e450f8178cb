"""Audit history: each audit, the accounts it covered, its findings and the catalog snapshot it
used, in SQLite (default, under the user's data folder) or PostgreSQL (a team's shared history),
through SQLAlchemy Core. Every write is one transaction: an account's findings land together or
not at all, and an audit counts as a baseline only once it is marked complete."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DatabaseError, SQLAlchemyError

from iamfence.audit import AccountRecord, CatalogSnapshot, Finding, PreviousFinding
from iamfence.diagnostics import Diagnostic, Location, Severity
from iamfence.errors import InfrastructureError, InvalidInputError

BAD_DATABASE = "IF793"

_meta = MetaData()
AUDITS = Table(
    "iamfence_audits",
    _meta,
    Column("id", String(64), primary_key=True),
    Column("scope", String(256), nullable=False, index=True),
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40), nullable=True),
    Column("status", String(16), nullable=False),
    Column("boundary_arn", Text, nullable=False),
    Column("catalog_version", String(64), nullable=False, default=""),
    Column("summary", Text, nullable=True),
)
CATALOGS = Table(
    "iamfence_audit_catalogs",
    _meta,
    Column("audit_id", String(64), ForeignKey("iamfence_audits.id"), primary_key=True),
    Column("version", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
)
ACCOUNTS = Table(
    "iamfence_audit_accounts",
    _meta,
    Column("audit_id", String(64), ForeignKey("iamfence_audits.id"), primary_key=True),
    Column("account_id", String(32), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("data", Text, nullable=False),
)
FINDINGS = Table(
    "iamfence_audit_findings",
    _meta,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("audit_id", String(64), ForeignKey("iamfence_audits.id"), nullable=False, index=True),
    Column("key", Text, nullable=False),
    Column("code", String(8), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("account", String(32), nullable=False),
    Column("subject_arn", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("muted", Boolean, nullable=False),
    Column("mute_reason", Text, nullable=False),
)


def default_db_path() -> Path:
    """$XDG_DATA_HOME/iamfence/history.sqlite3 (~/.local/share when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "iamfence" / "history.sqlite3"


def database_url(db: str | None) -> str:
    """A PostgreSQL URL is used through psycopg 3; anything else is a SQLite file path."""
    if db and db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if db and "://" in db:
        return db
    path = Path(db) if db else default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _evidence_json(finding: Finding) -> str:
    return json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in finding.evidence})


class HistoryStore:
    """Open with `HistoryStore.open(db)`; the schema is created when missing."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @staticmethod
    def open(db: str | None) -> HistoryStore:
        """A SQLite file that is not a database (or cannot be one: a folder) is invalid input
        (IF793, exit 3); a server that cannot be reached is an infrastructure failure."""
        try:
            url = database_url(db)
        except OSError as exc:
            raise _not_sqlite(db or "", exc.strerror or str(exc)) from None
        try:
            engine = create_engine(url, future=True)
            _meta.create_all(engine)
        except DatabaseError as exc:
            if url.startswith("sqlite:"):
                raise _not_sqlite(url.removeprefix("sqlite:///"), _brief(exc)) from None
            raise InfrastructureError(
                f"cannot open history database: {_safe(url)}: {_brief(exc)}"
            ) from exc
        except (SQLAlchemyError, ImportError) as exc:
            raise InfrastructureError(
                f"cannot open history database: {_safe(url)}: {_brief(exc)}"
            ) from exc
        return HistoryStore(engine)

    def close(self) -> None:
        self._engine.dispose()

    def _run(self, what: str, statements: Iterable[tuple[Any, Any]]) -> None:
        try:
            with self._engine.begin() as conn:
                for statement, params in statements:
                    if params is None:
                        conn.execute(statement)
                    elif isinstance(params, list) and not params:
                        continue
                    else:
                        conn.execute(statement, params)
        except SQLAlchemyError as exc:
            raise InfrastructureError(f"history database: {what}: {_brief(exc)}") from exc

    def begin_audit(self, audit_id: str, scope: str, started_at: str, boundary_arn: str) -> None:
        row = {
            "id": audit_id,
            "scope": scope,
            "started_at": started_at,
            "status": "running",
            "boundary_arn": boundary_arn,
            "catalog_version": "",
        }
        self._run("begin audit", [(insert(AUDITS), row)])

    def add_account(
        self, audit_id: str, record: AccountRecord, findings: Iterable[Finding]
    ) -> None:
        """One account and its findings, in one transaction."""
        account = {
            "audit_id": audit_id,
            "account_id": record.account_id,
            "status": record.status.value,
            "data": json.dumps(record.to_json()),
        }
        self._run(
            f"account {record.account_id}",
            [(insert(ACCOUNTS), account), (insert(FINDINGS), self._rows(audit_id, findings))],
        )

    def add_findings(self, audit_id: str, findings: Iterable[Finding]) -> None:
        self._run("findings", [(insert(FINDINGS), self._rows(audit_id, findings))])

    @staticmethod
    def _rows(audit_id: str, findings: Iterable[Finding]) -> list[dict[str, Any]]:
        return [
            {
                "audit_id": audit_id,
                "key": f.key,
                "code": f.code,
                "severity": f.severity.value,
                "account": f.account,
                "subject_arn": f.subject_arn,
                "evidence": _evidence_json(f),
                "muted": f.muted,
                "mute_reason": f.mute_reason,
            }
            for f in findings
        ]

    def finish_audit(
        self,
        audit_id: str,
        finished_at: str,
        summary: Mapping[str, object],
        catalog: CatalogSnapshot | None,
    ) -> None:
        """Mark the audit complete and keep the catalog snapshot it used, in one transaction."""
        values = {
            "finished_at": finished_at,
            "status": "complete",
            "summary": json.dumps(summary, default=str),
            "catalog_version": catalog.version if catalog else "",
        }
        steps: list[tuple[Any, Any]] = [
            (update(AUDITS).where(AUDITS.c.id == audit_id).values(**values), None)
        ]
        if catalog is not None:
            data = gzip.compress(json.dumps(catalog.to_json()).encode(), mtime=0)
            steps.append(
                (insert(CATALOGS), {"audit_id": audit_id, "version": catalog.version, "data": data})
            )
        self._run("finish audit", steps)

    def previous_audit(self, scope: str, exclude: str = "") -> str | None:
        """The latest complete audit of `scope` (other than `exclude`)."""
        query = (
            select(AUDITS.c.id)
            .where(AUDITS.c.scope == scope, AUDITS.c.status == "complete", AUDITS.c.id != exclude)
            .order_by(AUDITS.c.finished_at.desc(), AUDITS.c.started_at.desc())
            .limit(1)
        )
        found = self._scalar(query)
        return None if found is None else str(found)

    def findings_of(self, audit_id: str) -> tuple[PreviousFinding, ...]:
        query = select(
            FINDINGS.c.key, FINDINGS.c.code, FINDINGS.c.account, FINDINGS.c.subject_arn
        ).where(FINDINGS.c.audit_id == audit_id)
        try:
            with self._engine.connect() as conn:
                return tuple(PreviousFinding(*row) for row in conn.execute(query))
        except SQLAlchemyError as exc:
            raise InfrastructureError(f"history database: {_brief(exc)}") from exc

    def catalog_of(self, audit_id: str) -> CatalogSnapshot | None:
        data = self._scalar(select(CATALOGS.c.data).where(CATALOGS.c.audit_id == audit_id))
        if data is None:
            return None
        return CatalogSnapshot.from_json(json.loads(gzip.decompress(data)))

    def previous_catalog(self, scope: str, exclude: str = "") -> CatalogSnapshot | None:
        """The catalog snapshot of the latest complete audit of `scope` that stored one."""
        query = (
            select(CATALOGS.c.data)
            .join(AUDITS, AUDITS.c.id == CATALOGS.c.audit_id)
            .where(AUDITS.c.scope == scope, AUDITS.c.status == "complete", AUDITS.c.id != exclude)
            .order_by(AUDITS.c.finished_at.desc())
            .limit(1)
        )
        data = self._scalar(query)
        return (
            None if data is None else CatalogSnapshot.from_json(json.loads(gzip.decompress(data)))
        )

    def audits(self, scope: str | None = None) -> list[dict[str, Any]]:
        query = select(AUDITS).order_by(AUDITS.c.started_at)
        if scope is not None:
            query = query.where(AUDITS.c.scope == scope)
        try:
            with self._engine.connect() as conn:
                return [dict(row._mapping) for row in conn.execute(query)]
        except SQLAlchemyError as exc:
            raise InfrastructureError(f"history database: {_brief(exc)}") from exc

    def _scalar(self, query: Any) -> Any:
        try:
            with self._engine.connect() as conn:
                return conn.execute(query).scalar()
        except SQLAlchemyError as exc:
            raise InfrastructureError(f"history database: {_brief(exc)}") from exc


def _brief(exc: BaseException) -> str:
    """One line: the driver's message without SQLAlchemy's [SQL: ...] and background notes."""
    orig = getattr(exc, "orig", None)
    text = str(orig) if orig is not None else str(exc)
    return (text.strip().splitlines() or [type(exc).__name__])[0]


def _not_sqlite(path: str, reason: str) -> InvalidInputError:
    message = f"not a usable SQLite history database: {reason}"
    return InvalidInputError((Diagnostic(BAD_DATABASE, Severity.ERROR, message, Location(path)),))


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        rest = "***@" + rest.split("@", 1)[1]
    return scheme + sep + rest

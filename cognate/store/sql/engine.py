"""The SQL store: one async engine, transactions as units of work, and migrations at start (Alembic)."""

from __future__ import annotations

import logging
import os
import weakref
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, event, insert, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from cognate.domain.signin import AuditEvent
from cognate.store.base import ConfigListener, Unavailable
from cognate.store.group_commit import GroupCommit
from cognate.store.sql.auth_tables import AuditEventRow
from cognate.store.sql.config_changes import WatchedSession, changes_of
from cognate.store.sql.repos.clients import SqlClientRepo, SqlResourceServerRepo
from cognate.store.sql.repos.domains import SqlDomainRepo
from cognate.store.sql.repos.groups import SqlGroupRepo
from cognate.store.sql.repos.pools import SqlKeyRepo, SqlPoolRepo
from cognate.store.sql.repos.signin import (
    SqlAuditRepo,
    SqlAuthCodeRepo,
    SqlChallengeAttemptRepo,
    SqlFailureRepo,
    SqlTokenRepo,
    SqlUiSessionRepo,
    SqlVerificationRepo,
)
from cognate.store.sql.repos.ui_customizations import SqlUiCustomizationRepo
from cognate.store.sql.repos.users import SqlUserRepo

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("cognate.audit")
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
AUDIT_LINGER = 0.05  # audit events reach the table at most this much later, many per transaction
MIGRATION_LOCK_ID = 0x436F676E  # "Cogn": PostgreSQL advisory lock so parallel nodes migrate one at a time
# SQLSTATE classes that mean "the database cannot serve now", not "this statement is wrong" (PostgreSQL
# Appendix A): connection exception, insufficient resources, operator intervention, system error.
OUTAGE_SQLSTATE_CLASSES = frozenset({"08", "53", "57", "58"})


def _audit_lost(exc: Exception, count: int) -> None:
    """An audit write that failed is logged; it never fails the request it records."""
    log.error("could not write %d audit events", count, exc_info=exc)


class SqlUnitOfWork:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.pools = SqlPoolRepo(session)
        self.keys = SqlKeyRepo(session)
        self.clients = SqlClientRepo(session)
        self.resource_servers = SqlResourceServerRepo(session)
        self.domains = SqlDomainRepo(session)
        self.users = SqlUserRepo(session)
        self.groups = SqlGroupRepo(session)
        self.tokens = SqlTokenRepo(session)
        self.auth_codes = SqlAuthCodeRepo(session)
        self.verifications = SqlVerificationRepo(session)
        self.ui_sessions = SqlUiSessionRepo(session)
        self.ui_customizations = SqlUiCustomizationRepo(session)
        self.failures = SqlFailureRepo(session)
        self.challenge_attempts = SqlChallengeAttemptRepo(session)
        self.audit = SqlAuditRepo(session)


def _sqlite_pragmas(engine: AsyncEngine) -> None:
    """WAL, foreign keys, and `BEGIN IMMEDIATE` for writers so two writers queue instead of deadlocking."""

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=10000", "synchronous=NORMAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Connection) -> None:
        readonly = conn.get_execution_options().get("cognate_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def _private_sqlite_file(path: Path) -> None:
    """The database file exists with mode 0600 before SQLite opens it: SQLite gives the `-wal` and `-shm` files it
    creates later the database file's mode, so all three stay private (they hold password hashes and sealed keys).
    A file an earlier version created 0644 is tightened, with any WAL/SHM beside it."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDONLY | os.O_CREAT, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except FileNotFoundError:
            pass


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1].partition("?")[0]
        if path and path != ":memory:":
            _private_sqlite_file(Path(path))
        engine = create_async_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=30)
        _sqlite_pragmas(engine)
        return engine
    # Fail fast instead of hanging when the database is gone: 5 s to connect or to get a pooled connection.
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=5,
                                 connect_args={"timeout": 5})
    _discard_closed_connections(engine)
    return engine


def _discard_closed_connections(engine: AsyncEngine) -> None:
    """Pessimistic disconnect handling without `pool_pre_ping`, which costs three round trips per checkout on
    asyncpg (BEGIN, SELECT, ROLLBACK: more than a sign-in's own statements; README "Measured costs").
    A connection the server or a proxy closed is already known closed to asyncpg, and raising DisconnectionError
    at checkout makes the pool replace it (SQLAlchemy's documented recipe); one that dies silently fails its next
    statement, which SQLAlchemy takes as a disconnect and invalidates."""

    @event.listens_for(engine.sync_engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        driver = getattr(record, "driver_connection", None)
        if driver is not None and driver.is_closed():
            raise DisconnectionError("the database closed this connection")


def is_outage(exc: DBAPIError) -> bool:
    """Whether a driver error means the database is unreachable, not that a statement failed.

    Besides lost connections (invalidated, or `OperationalError`), PostgreSQL refuses a session with an ordinary
    server error (`database ... is not currently accepting connections`, `the database system is shutting down`,
    `too many connections`): asyncpg's driver surfaces it as a plain `DBAPIError` raised before any statement
    ran (`statement is None`), or with an outage SQLSTATE. A constraint violation is never an outage."""
    if exc.connection_invalidated or isinstance(exc, OperationalError):
        return True
    if isinstance(exc, IntegrityError):
        return False
    sqlstate = str(getattr(exc.orig, "sqlstate", None) or "")
    return exc.statement is None or sqlstate[:2] in OUTAGE_SQLSTATE_CLASSES


def _alembic_config(connection: Connection) -> Config:
    from alembic.config import Config  # imported on demand: alembic is slow to import (README "Measured costs")

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def _upgrade(connection: Connection) -> None:
    from alembic import command

    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
    command.upgrade(_alembic_config(connection), "head")


def head_revision() -> str:
    """Migrations are numbered `NNNN_name.py` in one line of descent, so the head is the highest number
    (a test checks this against Alembic's own view); knowing it without Alembic keeps start-up fast."""
    return max(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


async def _database_revision(conn: AsyncConnection) -> str | None:
    try:
        found = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError:
        return None
    return str(found) if found is not None else None


class SqlStore:
    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size=pool_size)
        self._current = False
        self._writer = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False,
                                          sync_session_class=WatchedSession)
        self._reader = async_sessionmaker(self.engine.execution_options(cognate_readonly=True),
                                          expire_on_commit=False, autoflush=False)
        self._audit: GroupCommit[AuditEvent, None] = GroupCommit(self._write_audit, linger=AUDIT_LINGER,
                                                                     on_lost=_audit_lost)
        self._listeners: weakref.WeakSet[ConfigListener] = weakref.WeakSet()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self, *, readonly: bool = False) -> AsyncIterator[SqlUnitOfWork]:
        maker = self._reader if readonly else self._writer
        try:
            async with maker() as session, session.begin():
                yield SqlUnitOfWork(session)
        except DBAPIError as exc:
            if is_outage(exc):
                raise Unavailable(str(exc.orig)) from exc
            raise
        except (OSError, PoolTimeout) as exc:  # no pooled connection within `pool_timeout`: as unreachable
            raise Unavailable(str(exc)) from exc
        changes = changes_of(session.sync_session)
        if changes:  # committed: whoever remembers configuration forgets what changed, before the caller goes on
            for listener in list(self._listeners):
                listener.configuration_changed(changes)

    def listen(self, listener: ConfigListener) -> None:
        self._listeners.add(listener)

    def add_audit(self, event: AuditEvent) -> None:
        self._audit.add(event)

    async def flush_audit(self) -> None:
        await self._audit.flush()

    async def _write_audit(self, events: Sequence[AuditEvent]) -> list[None]:
        rows = [vars(e) for e in events]  # AuditEvent's fields are the table's columns (tested); read, not copied
        async with self.transaction() as tx:
            await tx.session.execute(insert(cast(Table, AuditEventRow.__table__)), rows)  # Core: no ORM bulk machinery
        return [None] * len(events)

    async def migrate(self) -> None:
        if await self.migrations_current():
            return
        async with self.engine.begin() as conn:
            await conn.run_sync(_upgrade)
        self._current = True

    async def migrations_current(self) -> bool:
        """The schema is at the head revision; once seen true it stays true for this process."""
        if self._current:
            return True
        try:
            async with self.engine.connect() as conn:
                self._current = await _database_revision(conn) == head_revision()
        except (SQLAlchemyError, OSError):
            return False
        return self._current

    async def has_schema(self) -> bool:
        """Whether Alembic ever migrated this database (its version table has a row); one without is empty, or not
        Cognate's. Raises Unavailable when the database cannot be reached."""
        try:
            async with self.engine.connect() as conn:
                return await _database_revision(conn) is not None
        except DBAPIError as exc:
            raise Unavailable(str(exc.orig)) from exc

    async def ping(self) -> bool:
        """One `SELECT 1` answered now; any failure (refused, terminated, timed out, no pooled connection) is False,
        so `/ready` stays 503 for the whole of an outage."""
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except (SQLAlchemyError, OSError):
            return False

    async def close(self) -> None:
        await self.flush_audit()
        await self.engine.dispose()

"""Shared fixtures: which databases to run on, throw-away databases, and strict mode for CI.

`COGNATE_TEST_DATABASE_URL` (a `postgresql+asyncpg://` URL) makes the database-backed tests run on PostgreSQL,
each test in a fresh database created beside the named one; unset, they run on SQLite files.
`COGNATE_TEST_STRICT=1` (set by `.ci/run`) turns every "tool missing" skip into a failure.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_ENV = "COGNATE_TEST_DATABASE_URL"
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


def strict() -> bool:
    return os.environ.get("COGNATE_TEST_STRICT") == "1"


def need(condition: bool, what: str) -> None:
    """Skip (laptop) or fail (CI strict mode) when a tool the test needs is missing."""
    if condition:
        return
    if strict():
        pytest.fail(f"strict mode: {what}")
    pytest.skip(what)


def _admin_dsn(url: str) -> tuple[str, str]:
    """(asyncpg DSN of the server's `postgres` database, base database name) from a SQLAlchemy URL."""
    plain = url.replace("postgresql+asyncpg://", "postgresql://")
    base, _, name = plain.rpartition("/")
    return f"{base}/postgres", name.split("?")[0]


async def _pg(dsn: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn, timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def postgres_reachable(url: str) -> bool:
    try:
        asyncio.run(_pg(_admin_dsn(url)[0], "SELECT 1"))
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_base_url() -> str:
    return os.environ.get(PG_ENV) or DEFAULT_PG


@pytest.fixture
def fresh_pg_url(pg_base_url: str) -> Iterator[str]:
    """A brand-new PostgreSQL database for one test, dropped afterwards."""
    need(postgres_reachable(pg_base_url), f"PostgreSQL not reachable at {pg_base_url}")
    admin, base = _admin_dsn(pg_base_url)
    name = f"{base}_t{uuid.uuid4().hex[:10]}"[:63]
    asyncio.run(_pg(admin, f'CREATE DATABASE "{name}"'))
    prefix = pg_base_url.rpartition("/")[0]
    try:
        yield f"{prefix}/{name}"
    finally:
        asyncio.run(_pg(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def run_database(factory: pytest.TempPathFactory, label: str) -> Iterator[str]:
    """A database for a whole module or package: PostgreSQL (a fresh database beside COGNATE_TEST_DATABASE_URL,
    dropped afterwards) when that is set, else a SQLite file."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield f"sqlite+aiosqlite:///{factory.mktemp(label) / 'cognate.db'}"
        return
    need(postgres_reachable(base), f"PostgreSQL not reachable at {base}")
    admin, name = _admin_dsn(base)
    fresh = f"{name}_{label[:6]}{uuid.uuid4().hex[:10]}"[:63]
    asyncio.run(_pg(admin, f'CREATE DATABASE "{fresh}"'))
    try:
        yield f"{base.rpartition('/')[0]}/{fresh}"
    finally:
        asyncio.run(_pg(admin, f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)'))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'cognate.db'}"


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database of this run: PostgreSQL when COGNATE_TEST_DATABASE_URL is set, else SQLite."""
    if os.environ.get(PG_ENV):
        return str(request.getfixturevalue("fresh_pg_url"))
    return f"sqlite+aiosqlite:///{tmp_path / 'cognate.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database_url(request: pytest.FixtureRequest) -> str:
    """Both backends in one run (the store conformance suite)."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("fresh_pg_url"))

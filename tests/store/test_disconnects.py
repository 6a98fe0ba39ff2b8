"""A pooled PostgreSQL connection the server closed is replaced at checkout, not handed to the next request
(`engine._discard_closed_connections`, instead of `pool_pre_ping`'s three round trips per checkout); a server
refusing sessions is `Unavailable` (`engine.is_outage`)."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from cognate.store.base import Unavailable
from cognate.store.sql.engine import SqlStore, make_engine


async def test_a_connection_the_server_closed_is_replaced_at_checkout(fresh_pg_url: str) -> None:
    engine = make_engine(fresh_pg_url, pool_size=1)
    try:
        async with engine.connect() as conn:
            first = await conn.scalar(text("SELECT pg_backend_pid()"))
        admin = await asyncpg.connect(fresh_pg_url.replace("+asyncpg", ""))
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
        finally:
            await admin.close()
        await asyncio.sleep(0.2)  # the pooled connection's socket sees the server's goodbye
        async with engine.connect() as conn:  # with a dead connection handed out this would raise
            second = await conn.scalar(text("SELECT pg_backend_pid()"))
        assert second != first
    finally:
        await engine.dispose()


async def test_a_database_refusing_sessions_is_unavailable_not_an_error(fresh_pg_url: str) -> None:
    """PostgreSQL answers a refused session with an ordinary server error (`not currently accepting connections`,
    a plain DBAPIError with no statement): the store says Unavailable, so each surface answers 503, and ping is
    False; a wrong statement is still the error it is."""
    store = SqlStore(fresh_pg_url, pool_size=2)
    name = fresh_pg_url.rpartition("/")[2]
    admin = await asyncpg.connect(fresh_pg_url.replace("+asyncpg", "").rpartition("/")[0] + "/postgres")
    try:
        async with store.transaction() as tx:
            await tx.session.execute(text("SELECT 1"))
        with pytest.raises(DBAPIError) as wrong:
            async with store.transaction() as tx:
                await tx.session.execute(text("SELECT no_such_column FROM no_such_table"))
        assert not isinstance(wrong.value, Unavailable)
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await admin.execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        await asyncio.sleep(0.2)
        with pytest.raises(Unavailable):
            async with store.transaction(readonly=True) as tx:
                await tx.session.execute(text("SELECT 1"))
        assert await store.ping() is False
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()
        await store.close()
    again = SqlStore(fresh_pg_url)
    try:
        assert await again.ping()
    finally:
        await again.close()

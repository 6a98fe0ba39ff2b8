"""A pooled PostgreSQL connection the server closed is replaced at checkout, not handed to the next request
(`engine._discard_closed_connections`, instead of `pool_pre_ping`'s three round trips per checkout)."""

from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy import text

from cognate.store.sql.engine import make_engine


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

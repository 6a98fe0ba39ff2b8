"""Rate-limit counters in the database (OWASP ASVS 2.2.1): one row per (scope, key, window), so every node and
every restart sees the same counts.

A hit is one upsert (`INSERT .. ON CONFLICT DO UPDATE .. RETURNING`), atomic on SQLite and PostgreSQL alike, so
racing requests never lose a count. Rows older than the previous window are deleted now and then by whichever
node is counting (at most once per `PURGE_EVERY` seconds per process).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from cognate.domain.rate_limit import window_start
from cognate.store.sql.auth_tables import RateWindowRow

if TYPE_CHECKING:
    from cognate.store.sql.engine import SqlStore

PURGE_EVERY = 60.0


class SqlRateCounter:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._insert: Any = postgresql.insert if store.dialect == "postgresql" else sqlite.insert
        self._next_purge = 0.0

    async def hit(self, scope: str, key: str, *, window: int, now: float) -> tuple[int, int]:
        start = window_start(now, window)
        async with self._store.transaction() as tx:
            current = await self._count(tx.session, scope, key, start, expires_at=start + 2 * window)
            previous = await tx.session.scalar(select(RateWindowRow.hits).where(
                RateWindowRow.scope == scope, RateWindowRow.key == key, RateWindowRow.window_start == start - window))
            if now >= self._next_purge:
                self._next_purge = now + PURGE_EVERY
                await tx.session.execute(delete(RateWindowRow).where(RateWindowRow.expires_at < now))
        return current, int(previous or 0)

    async def _count(self, session: AsyncSession, scope: str, key: str, start: int, *, expires_at: float) -> int:
        statement = self._insert(RateWindowRow).values(scope=scope, key=key, window_start=start, hits=1,
                                                       expires_at=expires_at)
        statement = statement.on_conflict_do_update(
            index_elements=[RateWindowRow.scope, RateWindowRow.key, RateWindowRow.window_start],
            set_={"hits": RateWindowRow.hits + 1},
        ).returning(RateWindowRow.hits)
        return int((await session.execute(statement)).scalar_one())

    async def close(self) -> None:
        """The engine belongs to the store, which closes it."""

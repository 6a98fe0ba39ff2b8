"""Rate-limit counters in the database (OWASP ASVS 2.2.1): one row per (scope, key, window), so every node and
every restart sees the same counts.

A hit is an upsert (`INSERT .. ON CONFLICT DO UPDATE .. RETURNING`), atomic on SQLite and PostgreSQL alike, so
racing requests never lose a count; a hit of count 0 (a budget checked) only reads, and a batch of only those
runs in a read-only transaction. Hits that arrive while a write is in flight are counted together in one
transaction (`GroupCommit`): the hits of one key become one `+ n`, and its callers get the successive counts.
Rows older than the previous window are deleted now and then by whichever node is counting (at most once per
`PURGE_EVERY` seconds per process).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from cognate.domain.rate_limit import RateHit, window_start
from cognate.store.group_commit import GroupCommit
from cognate.store.sql.auth_tables import RateWindowRow

if TYPE_CHECKING:
    from cognate.store.sql.engine import SqlStore

PURGE_EVERY = 60.0


def _upsert_insert(dialect: str) -> Any:
    """The dialect's INSERT with ON CONFLICT; only the one in use is imported (the other costs memory in every
    process: README "Measured costs")."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def _row(hit: RateHit, now: float) -> tuple[str, str, int, int]:
    return hit.scope, hit.key, window_start(now, hit.window), hit.window


class SqlRateCounter:
    def __init__(self, store: SqlStore) -> None:
        self._store = store
        self._insert: Any = _upsert_insert(store.dialect)
        self._next_purge = 0.0
        self._hits: GroupCommit[tuple[RateHit, float], tuple[int, int]] = GroupCommit(self._count_all)

    async def add(self, hits: Sequence[RateHit], *, now: float) -> list[tuple[int, int]]:
        futures = [self._hits.enqueue((hit, now)) for hit in hits]
        return [await future for future in futures]

    async def _count_all(self, hits: Sequence[tuple[RateHit, float]]) -> list[tuple[int, int]]:
        """One transaction for a batch: per distinct row one upsert by its number of hits and one read of the
        window before; each hit then gets the count it brought its window to, in arrival order."""
        added: dict[tuple[str, str, int, int], int] = {}
        for hit, at in hits:
            added[_row(hit, at)] = added.get(_row(hit, at), 0) + hit.count
        totals: dict[tuple[str, str, int, int], tuple[int, int]] = {}
        now = max(at for _, at in hits)
        readonly = not any(added.values())  # only reads (a budget checked, nothing charged): no write lock, no write
        async with self._store.transaction(readonly=readonly) as tx:
            for (scope, key, start, window), n in added.items():
                current = (await self._count(tx.session, scope, key, start, n, expires_at=start + 2 * window) if n
                           else await _hits(tx.session, scope, key, start))
                previous = await _hits(tx.session, scope, key, start - window)
                totals[(scope, key, start, window)] = (current - n, previous)
            if not readonly and now >= self._next_purge:
                self._next_purge = now + PURGE_EVERY
                await tx.session.execute(delete(RateWindowRow).where(RateWindowRow.expires_at < now))
        results = []
        for hit, at in hits:
            before, previous = totals[_row(hit, at)]
            totals[_row(hit, at)] = (before + hit.count, previous)
            results.append((before + hit.count, previous))
        return results

    async def _count(self, session: AsyncSession, scope: str, key: str, start: int, n: int, *,
                     expires_at: float) -> int:
        statement = self._insert(RateWindowRow).values(scope=scope, key=key, window_start=start, hits=n,
                                                       expires_at=expires_at)
        statement = statement.on_conflict_do_update(
            index_elements=[RateWindowRow.scope, RateWindowRow.key, RateWindowRow.window_start],
            set_={"hits": RateWindowRow.hits + n},
        ).returning(RateWindowRow.hits)
        return int((await session.execute(statement)).scalar_one())

    async def close(self) -> None:
        """The engine belongs to the store, which closes it."""


async def _hits(session: AsyncSession, scope: str, key: str, start: int) -> int:
    """The count of one window; 0 when it has no row."""
    return int(await session.scalar(select(RateWindowRow.hits).where(
        RateWindowRow.scope == scope, RateWindowRow.key == key, RateWindowRow.window_start == start)) or 0)

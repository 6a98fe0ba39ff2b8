"""User pools and their signing keys."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from cognate.domain.keys import SigningKey
from cognate.domain.pools import UserPool, pool_from_stored, pool_to_stored
from cognate.store.sql.repos._common import add_unique, require
from cognate.store.sql.tables import PoolRow, SigningKeyRow


def _pool(row: PoolRow) -> UserPool:
    return pool_from_stored(row.id, row.config, row.created_at, row.updated_at)


class SqlPoolRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, pool: UserPool) -> None:
        row = PoolRow(id=pool.id, name=pool.name, config=pool_to_stored(pool), created_at=pool.created_at,
                      updated_at=pool.updated_at)
        await add_unique(self._s, row, "pool")

    async def get(self, pool_id: str) -> UserPool | None:
        row = await self._s.get(PoolRow, pool_id)
        return _pool(row) if row else None

    async def list(self, *, limit: int, after: str | None = None) -> Sequence[UserPool]:
        query = select(PoolRow).order_by(PoolRow.id).limit(limit)
        if after:
            query = query.where(PoolRow.id > after)
        return [_pool(r) for r in (await self._s.scalars(query)).all()]

    async def update(self, pool: UserPool) -> None:
        row = await self._s.get(PoolRow, pool.id)
        require(row, "pool")
        assert row is not None
        row.name, row.config, row.updated_at = pool.name, pool_to_stored(pool), pool.updated_at
        await self._s.flush()

    async def delete(self, pool_id: str) -> None:
        await self._s.execute(delete(PoolRow).where(PoolRow.id == pool_id))


def _key(row: SigningKeyRow) -> SigningKey:
    return SigningKey(kid=row.kid, pool_id=row.pool_id, purpose=row.purpose, public_jwk=row.public_jwk,
                     sealed_private=row.sealed_private, created_at=row.created_at, status=row.status,
                     activates_at=row.activates_at, expires_at=row.expires_at)


class SqlKeyRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, key: SigningKey) -> None:
        row = SigningKeyRow(kid=key.kid, pool_id=key.pool_id, purpose=key.purpose, public_jwk=key.public_jwk,
                            sealed_private=key.sealed_private, created_at=key.created_at, status=key.status,
                            activates_at=key.activates_at, expires_at=key.expires_at)
        await add_unique(self._s, row, "signing key")

    async def list_for_pool(self, pool_id: str) -> Sequence[SigningKey]:
        query = (select(SigningKeyRow).where(SigningKeyRow.pool_id == pool_id)
                 .order_by(SigningKeyRow.created_at, SigningKeyRow.kid))
        return [_key(r) for r in (await self._s.scalars(query)).all()]

    async def set_status(self, kid: str, status: str) -> None:
        row = await self._s.get(SigningKeyRow, kid)
        require(row, "signing key")
        assert row is not None
        row.status = status
        await self._s.flush()

    async def set_expiry(self, kid: str, expires_at: float) -> None:
        """Keep this key published (and, until a newer key activates, signing) until `expires_at`."""
        row = await self._s.get(SigningKeyRow, kid)
        require(row, "signing key")
        assert row is not None
        row.expires_at = expires_at
        await self._s.flush()

    async def delete(self, kid: str) -> None:
        await self._s.execute(delete(SigningKeyRow).where(SigningKeyRow.kid == kid))

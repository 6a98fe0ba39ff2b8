"""App clients (secret kept sealed) and resource servers."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cognate.domain.clients import client_from_stored, client_to_stored
from cognate.domain.scopes import ResourceServer, ResourceServerScope
from cognate.store.base import StoredClient
from cognate.store.sql.repos._common import add_unique, require
from cognate.store.sql.tables import ClientRow, ResourceServerRow


def _client(row: ClientRow) -> StoredClient:
    client = client_from_stored(client_id=row.id, pool_id=row.pool_id, secret=None, data=row.config,
                                created_at=row.created_at, updated_at=row.updated_at)
    return StoredClient(client=client, sealed_secret=row.sealed_secret)


class SqlClientRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, record: StoredClient) -> None:
        c = record.client
        row = ClientRow(id=c.id, pool_id=c.pool_id, name=c.name, sealed_secret=record.sealed_secret,
                        config=client_to_stored(c), created_at=c.created_at, updated_at=c.updated_at)
        await add_unique(self._s, row, "client")

    async def get(self, client_id: str, *, for_update: bool = False) -> StoredClient | None:
        """`for_update`: lock the row until the transaction ends (PostgreSQL; SQLite's writers already queue)."""
        if not for_update:
            row = await self._s.get(ClientRow, client_id)
        else:
            row = await self._s.scalar(select(ClientRow).where(ClientRow.id == client_id).with_for_update())
        return _client(row) if row else None

    async def list(self, pool_id: str, *, limit: int, after: str | None = None) -> Sequence[StoredClient]:
        query = select(ClientRow).where(ClientRow.pool_id == pool_id).order_by(ClientRow.id).limit(limit)
        if after:
            query = query.where(ClientRow.id > after)
        return [_client(r) for r in (await self._s.scalars(query)).all()]

    async def count(self, pool_id: str) -> int:
        return int(await self._s.scalar(select(func.count()).where(ClientRow.pool_id == pool_id)) or 0)

    async def update(self, record: StoredClient) -> None:
        row = await self._s.get(ClientRow, record.client.id)
        require(row, "client")
        assert row is not None
        c = record.client
        row.name, row.config, row.updated_at = c.name, client_to_stored(c), c.updated_at
        row.sealed_secret = record.sealed_secret
        await self._s.flush()

    async def delete(self, client_id: str) -> None:
        await self._s.execute(delete(ClientRow).where(ClientRow.id == client_id))


def _server(row: ResourceServerRow) -> ResourceServer:
    scopes = tuple(ResourceServerScope(s["name"], s["description"]) for s in row.scopes)
    return ResourceServer(pool_id=row.pool_id, identifier=row.identifier, name=row.name, scopes=scopes)


def _scopes(server: ResourceServer) -> list[dict[str, str]]:
    return [{"name": s.name, "description": s.description} for s in server.scopes]


class SqlResourceServerRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, server: ResourceServer) -> None:
        row = ResourceServerRow(pool_id=server.pool_id, identifier=server.identifier, name=server.name,
                                scopes=_scopes(server))
        await add_unique(self._s, row, "resource server")

    async def get(self, pool_id: str, identifier: str) -> ResourceServer | None:
        row = await self._s.get(ResourceServerRow, (pool_id, identifier))
        return _server(row) if row else None

    async def list(self, pool_id: str, *, limit: int = 1000, after: str | None = None) -> Sequence[ResourceServer]:
        query = (select(ResourceServerRow).where(ResourceServerRow.pool_id == pool_id)
                 .order_by(ResourceServerRow.identifier).limit(limit))
        if after:
            query = query.where(ResourceServerRow.identifier > after)
        return [_server(r) for r in (await self._s.scalars(query)).all()]

    async def update(self, server: ResourceServer) -> None:
        row = await self._s.get(ResourceServerRow, (server.pool_id, server.identifier))
        require(row, "resource server")
        assert row is not None
        row.name, row.scopes = server.name, _scopes(server)
        await self._s.flush()

    async def delete(self, pool_id: str, identifier: str) -> None:
        await self._s.execute(delete(ResourceServerRow).where(
            ResourceServerRow.pool_id == pool_id, ResourceServerRow.identifier == identifier))

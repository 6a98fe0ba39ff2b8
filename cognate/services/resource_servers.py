"""Resource server use cases (custom OAuth scopes of a pool)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cognate.domain.errors import InvalidParameterException, LimitExceededException, ResourceNotFoundException
from cognate.domain.scopes import MAX_RESOURCE_SERVERS, ResourceServer, build_resource_server
from cognate.services import audit
from cognate.services.deps import Deps
from cognate.services.limits import check_limit
from cognate.services.lookups import require_pool
from cognate.services.memo import Cached
from cognate.services.pagination import decode_token, encode_token
from cognate.store.base import AlreadyExists, UnitOfWork


async def _require(tx: UnitOfWork, pool_id: str, identifier: str) -> ResourceServer:
    server = await tx.resource_servers.get(pool_id, identifier)
    if server is None:
        raise ResourceNotFoundException(f"Resource server {identifier} does not exist.")
    return server


async def create_resource_server(deps: Deps, pool_id: str, req: Mapping[str, Any]) -> ResourceServer:
    server = build_resource_server(pool_id, req)
    async with deps.store.transaction() as tx:
        await require_pool(tx, pool_id)
        if len(await tx.resource_servers.list(pool_id)) >= MAX_RESOURCE_SERVERS:
            raise LimitExceededException(f"A user pool can have at most {MAX_RESOURCE_SERVERS} resource servers.")
        try:
            await tx.resource_servers.add(server)
        except AlreadyExists:
            raise InvalidParameterException(f"{server.identifier} already exists in user pool {pool_id}.") from None
    await audit.admin_change(deps, "CreateResourceServer", pool_id=pool_id)
    return server


async def pool_scopes(deps: Deps, pool_id: str) -> frozenset[str]:
    """Every `{identifier}/{scope}` of the pool, remembered for at most a second (read on every grant)."""
    async def load() -> frozenset[str]:
        async with deps.store.transaction(readonly=True) as tx:
            servers = await tx.resource_servers.list(pool_id)
        return frozenset(s for server in servers for s in server.full_scopes)

    return await deps.memo.remember(Cached.SCOPES, pool_id, load)


async def describe_resource_server(deps: Deps, pool_id: str, identifier: str) -> ResourceServer:
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
        return await _require(tx, pool_id, identifier)


async def list_resource_servers(deps: Deps, pool_id: str, *, max_results: int | None,
                                next_token: str | None = None) -> tuple[list[ResourceServer], str | None]:
    limit = check_limit(max_results, default=50, low=1, high=50, field="MaxResults")
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
        servers = list(await tx.resource_servers.list(pool_id, limit=limit + 1, after=decode_token(next_token)))
    more = len(servers) > limit
    servers = servers[:limit]
    return servers, encode_token(servers[-1].identifier) if more else None


async def update_resource_server(deps: Deps, pool_id: str, req: Mapping[str, Any]) -> ResourceServer:
    """Scopes removed here stay listed on clients but no longer reach tokens (spec §3)."""
    server = build_resource_server(pool_id, req)
    async with deps.store.transaction() as tx:
        await require_pool(tx, pool_id)
        await _require(tx, pool_id, server.identifier)
        await tx.resource_servers.update(server)
    await audit.admin_change(deps, "UpdateResourceServer", pool_id=pool_id)
    return server


async def delete_resource_server(deps: Deps, pool_id: str, identifier: str) -> None:
    async with deps.store.transaction() as tx:
        await require_pool(tx, pool_id)
        await _require(tx, pool_id, identifier)
        await tx.resource_servers.delete(pool_id, identifier)
    await audit.admin_change(deps, "DeleteResourceServer", pool_id=pool_id)

"""App client use cases. Secrets are generated here and sealed before they reach the store."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from cognate.crypto.sealing import Sealer
from cognate.domain.attributes import VERIFIED_FLAGS
from cognate.domain.client_secrets import ClientSecret, secrets_from_plain, secrets_to_plain, with_added, without
from cognate.domain.clients import (
    MAX_CLIENTS_PER_POOL,
    AppClient,
    build_client,
    check_requested_secret,
    update_client,
)
from cognate.domain.errors import LimitExceededException, ResourceNotFoundException
from cognate.domain.ids import new_client_id, new_client_secret
from cognate.domain.pools import UserPool
from cognate.services import audit
from cognate.services.deps import Deps
from cognate.services.limits import check_limit
from cognate.services.lookups import require_client_record, require_pool
from cognate.services.memo import Cached
from cognate.services.pagination import decode_token, encode_token
from cognate.store.base import StoredClient, UnitOfWork

log = logging.getLogger("cognate.clients")


def _warn_custom_auth(client: AppClient, operation: str) -> None:
    """ALLOW_CUSTOM_AUTH named in a request is kept and echoed, but CUSTOM_AUTH sign-ins are refused (no Lambda
    triggers run here): say so when the client is deployed."""
    if "ALLOW_CUSTOM_AUTH" in client.explicit_auth_flows or "CUSTOM_AUTH_FLOW_ONLY" in client.explicit_auth_flows:
        log.warning("%s: app client %s allows CUSTOM_AUTH, which Cognate refuses (it does not run custom auth "
                    "Lambda triggers yet)", operation, client.id,
                    extra={"fields": {"pool_id": client.pool_id, "client_id": client.id,
                                      "ignored": ["ALLOW_CUSTOM_AUTH"]}})


def _secret_context(client_id: str) -> str:
    return f"client-secret:{client_id}"


def seal_client(sealer: Sealer, client: AppClient) -> StoredClient:
    """A new client: its one secret stored bare (see `cognate.domain.client_secrets`)."""
    sealed = sealer.seal(client.secret.encode(), context=_secret_context(client.id)) if client.secret else None
    return StoredClient(client=client, sealed_secret=sealed)


def _open_secrets(sealer: Sealer, record: StoredClient) -> list[ClientSecret]:
    if not record.sealed_secret:
        return []
    plain = sealer.open(record.sealed_secret, context=_secret_context(record.client.id)).decode()
    return secrets_from_plain(plain, client_id=record.client.id, created_at=record.client.created_at)


def _seal_secrets(sealer: Sealer, client_id: str, secrets: list[ClientSecret]) -> str:
    return sealer.seal(secrets_to_plain(secrets).encode(), context=_secret_context(client_id))


def open_client(sealer: Sealer, record: StoredClient) -> AppClient:
    secrets = _open_secrets(sealer, record)
    return replace(record.client, secret=secrets[0].value if secrets else None,
                   other_secrets=tuple(s.value for s in secrets[1:]))


async def _pool_context(tx: UnitOfWork, pool: UserPool) -> dict[str, frozenset[str]]:
    """What a client's settings may refer to: the pool's resource-server scopes and attribute names."""
    servers = await tx.resource_servers.list(pool.id)
    scopes = frozenset(s for server in servers for s in server.full_scopes)
    names = {a.name for a in pool.schema} | set(VERIFIED_FLAGS.values())
    return {"available_scopes": scopes, "pool_attributes": frozenset(names)}


async def create_client(deps: Deps, pool_id: str, req: Mapping[str, Any]) -> AppClient:
    custom_secret = check_requested_secret(req)
    secret = custom_secret or (new_client_secret() if req.get("GenerateSecret") else None)
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        if await tx.clients.count(pool_id) >= MAX_CLIENTS_PER_POOL:
            raise LimitExceededException(f"A user pool can have at most {MAX_CLIENTS_PER_POOL} app clients.")
        client = build_client(pool_id=pool_id, client_id=new_client_id(), secret=secret, req=req,
                              now=deps.clock.now(), **await _pool_context(tx, pool))
        await tx.clients.add(seal_client(deps.sealer, client))
    await audit.admin_change(deps, "CreateUserPoolClient", pool_id=pool_id)
    if req.get("ExplicitAuthFlows"):
        _warn_custom_auth(client, "CreateUserPoolClient")
    return client


async def get_client(deps: Deps, client_id: str, *, pool_id: str | None = None) -> AppClient:
    """The client (secret opened), remembered for at most a second: every OAuth request reads it."""
    async def load() -> AppClient:
        async with deps.store.transaction(readonly=True) as tx:
            return open_client(deps.sealer, await require_client_record(tx, None, client_id))

    client = await deps.memo.remember(Cached.CLIENT, client_id, load)
    if pool_id is not None and client.pool_id != pool_id:
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
    return client


async def list_clients(deps: Deps, pool_id: str, *, max_results: int | None, next_token: str | None = None
                       ) -> tuple[list[AppClient], str | None]:
    limit = check_limit(max_results, default=60, low=1, high=60, field="MaxResults")
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
        records = list(await tx.clients.list(pool_id, limit=limit + 1, after=decode_token(next_token)))
    more = len(records) > limit
    clients = [r.client for r in records[:limit]]
    return clients, encode_token(clients[-1].id) if more else None


async def update_client_settings(deps: Deps, pool_id: str, client_id: str, req: Mapping[str, Any]) -> AppClient:
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        record = await require_client_record(tx, pool_id, client_id)
        client = update_client(open_client(deps.sealer, record), req, deps.clock.now(),
                               **await _pool_context(tx, pool))
        await tx.clients.update(StoredClient(client=client, sealed_secret=record.sealed_secret))
    await audit.admin_change(deps, "UpdateUserPoolClient", pool_id=pool_id)
    if req.get("ExplicitAuthFlows"):
        _warn_custom_auth(client, "UpdateUserPoolClient")
    return client


async def add_client_secret(deps: Deps, pool_id: str, client_id: str, custom: str | None) -> ClientSecret:
    """A second secret for a confidential client (custom, or 52 generated characters); both work until one is
    deleted."""
    value = (check_requested_secret({"ClientSecret": custom}) if custom else None) or new_client_secret()
    new = ClientSecret(id=uuid.uuid4().hex, value=value, created_at=deps.clock.now())
    await _change_secrets(deps, pool_id, client_id, lambda secrets: with_added(secrets, new),
                          action="AddUserPoolClientSecret")
    return new


async def list_client_secrets(deps: Deps, pool_id: str, client_id: str) -> list[ClientSecret]:
    async with deps.store.transaction(readonly=True) as tx:
        return _open_secrets(deps.sealer, await require_client_record(tx, pool_id, client_id))


async def delete_client_secret(deps: Deps, pool_id: str, client_id: str, secret_id: str) -> None:
    """Retire one secret; the last one stays (a confidential client cannot become public this way)."""
    await _change_secrets(deps, pool_id, client_id, lambda secrets: without(secrets, secret_id),
                          action="DeleteUserPoolClientSecret")


async def _change_secrets(deps: Deps, pool_id: str, client_id: str,
                          change: Callable[[list[ClientSecret]], list[ClientSecret]], *, action: str) -> None:
    """Read, change and reseal the client's secret set with its row locked, so concurrent changes queue."""
    async with deps.store.transaction() as tx:
        record = await require_client_record(tx, pool_id, client_id, for_update=True)
        secrets = change(_open_secrets(deps.sealer, record))
        await tx.clients.update(replace(record, sealed_secret=_seal_secrets(deps.sealer, client_id, secrets)))
    await audit.admin_change(deps, action, pool_id=pool_id)


async def delete_client(deps: Deps, pool_id: str, client_id: str) -> None:
    async with deps.store.transaction() as tx:
        await require_client_record(tx, pool_id, client_id)
        await tx.clients.delete(client_id)
        await tx.ui_customizations.delete(pool_id, client_id)
    await audit.admin_change(deps, "DeleteUserPoolClient", pool_id=pool_id)

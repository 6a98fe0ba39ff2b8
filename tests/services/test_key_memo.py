"""Signing keys and discovery read through the per-process memo: opened once, at most a second stale elsewhere,
and never stale after a change made through this process."""

from __future__ import annotations

from dataclasses import replace

import pytest
from joserfc.jwk import RSAKey

from cognate.crypto.keys import private_jwk
from cognate.crypto.sealing import Sealer
from cognate.domain.clock import FrozenClock
from cognate.domain.keys import SigningKey
from cognate.services import clients, domains, keys, pools
from cognate.services.deps import Deps
from cognate.store.sql.engine import SqlStore


async def test_private_key_is_opened_once_per_kid(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "p"})
    opened: list[str] = []

    def counting(key: SigningKey, sealer: Sealer) -> RSAKey:
        opened.append(key.kid)
        return private_jwk(key, sealer)

    monkeypatch.setattr(keys, "private_jwk", counting)
    first = await keys.signing_key(deps, pool.id, "access")
    again = await keys.signing_key(deps, pool.id, "access")
    assert first is again and len(opened) == 1
    rotated = await keys.rotate_keys(deps, pool.id)
    fresh = await keys.signing_key(deps, pool.id, "access")  # rotation through this process: seen at once
    assert fresh.kid == next(k.kid for k in rotated if k.purpose == "access") != first.kid
    assert {k["kid"] for k in (await keys.jwks(deps, pool.id))["keys"]} >= {first.kid, fresh.kid}


async def test_changes_from_elsewhere_show_within_a_second(deps: Deps, clock: FrozenClock) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "p"})
    before = await keys.jwks(deps, pool.id)
    assert isinstance(deps.store, SqlStore)
    other_node = SqlStore(deps.store.url)  # another node rotates: its own store on the same database
    try:
        async with other_node.transaction() as tx:
            for key in await tx.keys.list_for_pool(pool.id):
                await tx.keys.delete(key.kid)
    finally:
        await other_node.close()
    clock.advance(0.9)
    assert await keys.jwks(deps, pool.id) == before
    clock.advance(0.2)
    assert await keys.jwks(deps, pool.id) == {"keys": []}


async def test_a_write_through_this_process_is_seen_at_once(deps: Deps) -> None:
    """Whatever writes configuration through this process's store, no use case has to forget the memo by hand."""
    pool = await pools.create_pool(deps, {"PoolName": "p"})
    client = await clients.create_client(deps, pool.id, {"ClientName": "c"})
    assert (await pools.get_pool(deps, pool.id)).name == "p" and (await keys.jwks(deps, pool.id))["keys"]
    assert (await clients.get_client(deps, client.id)).name == "c"
    async with deps.store.transaction() as tx:  # straight into the store, as a new use case might
        await tx.pools.update(replace(pool, name="renamed"))
        stored = await tx.clients.get(client.id)
        assert stored is not None
        await tx.clients.update(replace(stored, client=replace(stored.client, name="renamed")))
        for key in await tx.keys.list_for_pool(pool.id):
            await tx.keys.delete(key.kid)
    assert (await pools.get_pool(deps, pool.id)).name == "renamed"
    assert (await clients.get_client(deps, client.id)).name == "renamed"
    assert await keys.jwks(deps, pool.id) == {"keys": []}


async def test_domain_changes_reach_discovery_at_once(deps: Deps) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "p"})
    assert await pools.pool_base_url(deps, pool.id) == deps.public_url
    await domains.create_domain(deps, {"Domain": "bench-memo", "UserPoolId": pool.id})
    assert "bench-memo." in await pools.pool_base_url(deps, pool.id)
    await domains.delete_domain(deps, "bench-memo", pool.id)
    assert await pools.pool_base_url(deps, pool.id) == deps.public_url

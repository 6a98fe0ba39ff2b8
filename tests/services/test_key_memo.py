"""Signing keys and discovery read through the per-process memo: opened once, at most a second stale elsewhere,
and never stale after a change made through this process."""

from __future__ import annotations

import pytest
from joserfc.jwk import RSAKey

from cognate.crypto.keys import private_jwk
from cognate.crypto.sealing import Sealer
from cognate.domain.keys import SigningKey
from cognate.services import domains, keys, pools
from cognate.services.deps import Deps


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


async def test_changes_from_elsewhere_show_within_a_second(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("cognate.services.deps.time.monotonic", lambda: now[0])
    pool = await pools.create_pool(deps, {"PoolName": "p"})
    before = await keys.jwks(deps, pool.id)
    async with deps.store.transaction() as tx:  # another node rotates: straight into the store
        for key in await tx.keys.list_for_pool(pool.id):
            await tx.keys.delete(key.kid)
    now[0] += 0.9
    assert await keys.jwks(deps, pool.id) == before
    now[0] += 0.2
    assert await keys.jwks(deps, pool.id) == {"keys": []}


async def test_domain_changes_reach_discovery_at_once(deps: Deps) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "p"})
    assert await pools.pool_base_url(deps, pool.id) == deps.public_url
    await domains.create_domain(deps, {"Domain": "bench-memo", "UserPoolId": pool.id})
    assert "bench-memo." in await pools.pool_base_url(deps, pool.id)
    await domains.delete_domain(deps, "bench-memo", pool.id)
    assert await pools.pool_base_url(deps, pool.id) == deps.public_url

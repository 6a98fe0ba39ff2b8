"""Signing keys of a pool: creation with the pool, JWKS, rotation (old keys stay published)."""

from __future__ import annotations

import asyncio
from typing import Any

from joserfc.jwk import RSAKey

from cognate.crypto.keys import new_signing_key, private_jwk
from cognate.domain.keys import ACTIVE, PURPOSES, RETIRED, SigningKey
from cognate.services import audit
from cognate.services.deps import Deps
from cognate.services.lookups import require_pool
from cognate.store.base import UnitOfWork


async def generate_keys(deps: Deps, pool_id: str) -> list[SigningKey]:
    """RSA generation is CPU-heavy: run it off the event loop."""
    now = deps.clock.now()
    return await asyncio.gather(*(
        asyncio.to_thread(new_signing_key, pool_id=pool_id, purpose=p, sealer=deps.sealer, now=now)
        for p in PURPOSES
    ))


async def store_keys(tx: UnitOfWork, keys: list[SigningKey]) -> None:
    for key in keys:
        await tx.keys.add(key)


async def list_keys(deps: Deps, pool_id: str) -> list[SigningKey]:
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
        return list(await tx.keys.list_for_pool(pool_id))


async def jwks(deps: Deps, pool_id: str) -> dict[str, Any]:
    """Public keys only: every active and retired key, newest first."""
    keys = await list_keys(deps, pool_id)
    return {"keys": [k.public_jwk for k in sorted(keys, key=lambda k: -k.created_at)]}


async def rotate_keys(deps: Deps, pool_id: str) -> list[SigningKey]:
    """New active keys; the previous ones stay in JWKS as retired so tokens they signed still verify."""
    fresh = await generate_keys(deps, pool_id)
    async with deps.store.transaction() as tx:
        await require_pool(tx, pool_id)
        for old in await tx.keys.list_for_pool(pool_id):
            if old.status == ACTIVE:
                await tx.keys.set_status(old.kid, RETIRED)
        await store_keys(tx, fresh)
    await audit.admin_change(deps, "RotateSigningKeys", pool_id=pool_id)
    return fresh


async def signing_key(deps: Deps, pool_id: str, purpose: str) -> RSAKey:
    keys = [k for k in await list_keys(deps, pool_id) if k.purpose == purpose and k.status == ACTIVE]
    newest = max(keys, key=lambda k: k.created_at)
    return private_jwk(newest, deps.sealer)

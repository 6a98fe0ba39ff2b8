"""Signing keys of a pool: creation with the pool, JWKS, rotation.

A rotation publishes the new keys in JWKS first and lets them sign only after `publish_for` seconds, so relying
parties that cache JWKS learn them before meeting a token they signed; the old keys keep signing until then and
stay published for the longest token lifetime after it (issue 5, secrets hygiene).
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from cognate.crypto.certificates import self_signed_pem
from cognate.crypto.keys import PrivateJwk, new_signing_key, private_jwk
from cognate.domain.keys import ACTIVE, PURPOSES, RETIRED_KEY_SECONDS, SigningKey, key_state, signer
from cognate.services import audit
from cognate.services.deps import Deps
from cognate.services.lookups import require_pool
from cognate.services.memo import Cached
from cognate.store.base import UnitOfWork

MAX_OPENED_KEYS = 4096


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


async def recent_keys(deps: Deps, pool_id: str) -> list[SigningKey]:
    """`list_keys`, remembered for up to a second (`Memo`): JWKS and token signing read it on every request."""
    return await deps.memo.remember(Cached.KEYS, pool_id, lambda: list_keys(deps, pool_id))


def _published(keys: list[SigningKey], now: float) -> list[dict[str, Any]]:
    """Public keys only: pending, active and retired keys still published, newest first."""
    return [k.public_jwk for k in sorted(keys, key=lambda k: -k.created_at) if k.published(now)]


async def jwks(deps: Deps, pool_id: str) -> dict[str, Any]:
    return {"keys": _published(await recent_keys(deps, pool_id), deps.clock.now())}


async def verifying_keys(deps: Deps, pool_id: str) -> list[dict[str, Any]]:
    """The keys Cognate's own doors (GetUser, userInfo, ...) check a token with: exactly those JWKS publishes, read
    fresh. A key past its publication may still be stored until the next rotation deletes it; a token it signed must
    fail here as it fails at every relying party (issue 12)."""
    return _published(await list_keys(deps, pool_id), deps.clock.now())


async def rotate_keys(deps: Deps, pool_id: str, *, publish_for: float = 0) -> list[SigningKey]:
    """New keys, signing from `now + publish_for`; the current ones sign until then and stay published for
    RETIRED_KEY_SECONDS after it. Keys whose publication ended are removed."""
    fresh = await generate_keys(deps, pool_id)
    now = deps.clock.now()
    switch = now + publish_for
    fresh = [replace(k, activates_at=switch) for k in fresh]
    async with deps.store.transaction() as tx:
        await require_pool(tx, pool_id)
        for old in await tx.keys.list_for_pool(pool_id):
            if not old.published(now):
                await tx.keys.delete(old.kid)
            elif old.status == ACTIVE and old.expires_at is None:
                await tx.keys.set_expiry(old.kid, switch + RETIRED_KEY_SECONDS)
        await store_keys(tx, fresh)
    await audit.admin_change(deps, "RotateSigningKeys", pool_id=pool_id)
    return fresh


async def key_report(deps: Deps, pool_id: str) -> list[tuple[SigningKey, str]]:
    """Every stored key with its state now: pending, active or retired."""
    keys, now = await list_keys(deps, pool_id), deps.clock.now()
    return [(k, key_state(k, keys, now) if k.published(now) else "expired") for k in keys]


async def signing_key(deps: Deps, pool_id: str, purpose: str) -> PrivateJwk:
    key = signer(await recent_keys(deps, pool_id), purpose, deps.clock.now())
    if key is None:
        raise RuntimeError(f"pool {pool_id} has no {purpose} signing key")
    return opened(deps, key)


def opened(deps: Deps, key: SigningKey) -> PrivateJwk:
    """The private key, unsealed and parsed once per process, not on every token (README "Measured costs")."""
    cache = deps.memo.opened_keys
    found: PrivateJwk | None = cache.get(key.kid)
    if found is None:
        if len(cache) >= MAX_OPENED_KEYS:
            cache.pop(next(iter(cache)))
        found = cache[key.kid] = private_jwk(key, deps.sealer)
    return found


async def signing_certificate(deps: Deps, pool_id: str) -> str:
    """GetSigningCertificate: the active ID-token key in a self-signed certificate, made afresh on each call."""
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
    key = await signing_key(deps, pool_id, "id")
    return self_signed_pem(key.private_key, common_name=pool_id, now=deps.clock.now(), serial_seed=str(key.kid))

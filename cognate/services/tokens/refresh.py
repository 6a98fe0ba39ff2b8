"""Refresh: new tokens for a live sign-in from its refresh token, with rotation and reuse detection."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cognate.domain.clients import AppClient
from cognate.domain.errors import NotAuthorizedException
from cognate.domain.scopes import OPENID
from cognate.domain.signin import TokenOrigin
from cognate.domain.tokens import Grant
from cognate.domain.triggers import Occasion, refuse_unrun_triggers
from cognate.domain.users import User
from cognate.services.deps import Deps
from cognate.services.pools import get_pool
from cognate.services.tokens.minting import (
    REFRESH_CONTEXT,
    Recorded,
    TokenSet,
    mint_tokens,
    new_refresh_token,
    user_groups,
)
from cognate.services.tokens.revocation import revoke_origin
from cognate.services.tokens.verification import live_user
from cognate.store.base import UnitOfWork


async def refresh_tokens(deps: Deps, client: AppClient, refresh_token: str, *, oauth: bool = True) -> TokenSet:
    """New access (and ID) tokens of a live sign-in, with its `origin_jti` and `auth_time` (spec §1.2, §2).

    With rotation on, a new refresh token replaces the presented one; presenting a replaced one again (after the
    grace period) is reuse and revokes the whole sign-in (RFC 9700 §4.14.2). OAuth refreshes carry an ID token only
    with `openid`.
    """
    digest = deps.sealer.mac(refresh_token, context=REFRESH_CONTEXT)
    async with deps.store.transaction(readonly=True) as tx:  # the sign-in, its user and groups in one read
        origin: TokenOrigin | None = await tx.tokens.by_refresh(digest)
        if origin is not None and origin.client_id != client.id:
            origin = None
        user, groups = await _subject(tx, origin) if origin is not None else (None, [])
    in_grace = origin is None
    if origin is None:
        origin = await _retired_origin(deps, client, refresh_token)
        async with deps.store.transaction(readonly=True) as tx:
            user, groups = await _subject(tx, origin)
    if origin.sub is None:
        raise NotAuthorizedException("Invalid Refresh Token")
    if origin.revoked_at is not None:
        raise NotAuthorizedException("Refresh Token has been revoked")
    if origin.expires_at <= deps.clock.now():
        raise NotAuthorizedException("Refresh Token has expired")
    grant = Grant(pool=await get_pool(deps, origin.pool_id), client=client, user=live_user(user), scopes=origin.scopes,
                  auth_time=origin.auth_time, origin_jti=origin.origin_jti, oauth=oauth)
    refuse_unrun_triggers(grant.pool.lambda_config, Occasion.TOKENS)  # before a rotation spends the token
    rotated = None
    if client.refresh_rotation and not in_grace:
        rotated = await _rotate(deps, client, origin, refresh_token)
    tokens = await mint_tokens(deps, grant, issue_refresh_token=False,
                               issue_id_token=not oauth or OPENID in origin.scopes, refreshed_token=refresh_token,
                               already_recorded=Recorded(groups, None))
    return replace(tokens, refresh_token=rotated)


async def _subject(tx: UnitOfWork, origin: TokenOrigin) -> tuple[User | None, list[Any]]:
    """The user a sign-in belongs to (if it still exists) and that user's groups."""
    user = await tx.users.get_by_sub(origin.pool_id, origin.sub) if origin.sub else None
    return user, await user_groups(tx, user) if user is not None else []


async def _retired_origin(deps: Deps, client: AppClient, refresh_token: str) -> TokenOrigin:
    """A rotated-away token: accepted once more inside the grace period, otherwise reuse (sign-in revoked)."""
    digest = deps.sealer.mac(refresh_token, context=REFRESH_CONTEXT)
    async with deps.store.transaction(readonly=True) as tx:
        retired = await tx.tokens.retired(digest)
        origin = await tx.tokens.get(retired[0]) if retired else None
    if retired is None or origin is None or origin.client_id != client.id:
        raise NotAuthorizedException("Invalid Refresh Token")
    _, retired_at, latest = retired
    if latest and deps.clock.now() - retired_at < client.rotation_grace_seconds:
        return origin
    await revoke_origin(deps, origin.origin_jti)
    raise NotAuthorizedException("Refresh Token has been revoked")


async def _rotate(deps: Deps, client: AppClient, origin: TokenOrigin, refresh_token: str) -> str | None:
    """The replacement token; None when a racing refresh rotated first and the grace period covers this one."""
    fresh = new_refresh_token()
    old_hash = deps.sealer.mac(refresh_token, context=REFRESH_CONTEXT)
    new_hash = deps.sealer.mac(fresh, context=REFRESH_CONTEXT)
    async with deps.store.transaction() as tx:
        swapped = await tx.tokens.rotate(origin.origin_jti, old_hash, new_hash, deps.clock.now())
    if swapped:
        return fresh
    if client.rotation_grace_seconds > 0:
        return None
    await revoke_origin(deps, origin.origin_jti)
    raise NotAuthorizedException("Refresh Token has been revoked")

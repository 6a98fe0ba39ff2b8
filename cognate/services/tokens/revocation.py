"""Revocation: a sign-in (its `origin_jti`) ends, and with it its refresh token and every token minted from it.

RFC 7009 revocation by refresh token, GlobalSignOut, and the revocation that refresh-token reuse triggers.
"""

from __future__ import annotations

from cognate.domain.clients import AppClient
from cognate.domain.signin import TokenOrigin
from cognate.services import audit
from cognate.services.deps import Deps
from cognate.services.tokens.minting import REFRESH_CONTEXT


async def origin_of_refresh(deps: Deps, client: AppClient, refresh_token: str) -> TokenOrigin | None:
    """The live sign-in a refresh token belongs to, if it was issued to this client."""
    digest = deps.sealer.mac(refresh_token, context=REFRESH_CONTEXT)
    async with deps.store.transaction(readonly=True) as tx:
        origin = await tx.tokens.by_refresh(digest)
    if origin is None or origin.client_id != client.id:
        return None
    return origin


async def revoke_refresh(deps: Deps, client: AppClient, refresh_token: str) -> bool:
    """Revoke the sign-in behind a refresh token; False when it is unknown or another client's (still no error)."""
    origin = await origin_of_refresh(deps, client, refresh_token)
    if origin is None:
        await audit.record(deps, "token_revoke", "unknown_token", pool_id=client.pool_id, client_id=client.id)
        return False
    async with deps.store.transaction() as tx:
        await tx.tokens.revoke(origin.origin_jti, deps.clock.now())
    await audit.record(deps, "token_revoke", "success", pool_id=origin.pool_id, client_id=client.id, sub=origin.sub,
                       origin_jti=origin.origin_jti)
    return True


async def revoke_user_tokens(deps: Deps, pool_id: str, sub: str) -> None:
    """GlobalSignOut: every refresh token of the user dies, and with it the access tokens minted from them."""
    async with deps.store.transaction() as tx:
        await tx.tokens.revoke_user(pool_id, sub, deps.clock.now())
    await audit.record(deps, "global_sign_out", "success", pool_id=pool_id, sub=sub)


async def revoke_origin(deps: Deps, origin_jti: str) -> None:
    """End one sign-in whose token was replayed (a reused refresh token, RFC 9700 §4.14.2; a code redeemed twice,
    RFC 6749 §4.1.2): every token minted from it stops working."""
    async with deps.store.transaction() as tx:
        await tx.tokens.revoke(origin_jti, deps.clock.now())

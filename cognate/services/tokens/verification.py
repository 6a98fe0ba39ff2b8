"""Verification: Cognate's own check of a token it minted (signature, issuer, use, expiry, sign-in not revoked),
and who such a token speaks for."""

from __future__ import annotations

from typing import Any

from cognate.crypto.jwt import InvalidToken, unverified_part, verify_signature
from cognate.domain.clients import AppClient
from cognate.domain.errors import NotAuthorizedException
from cognate.domain.pools import UserPool
from cognate.domain.users import User
from cognate.services.deps import Deps
from cognate.services.keys import verifying_keys
from cognate.services.lookups import require_pool
from cognate.services.pools import issuer


async def verify_pool_token(deps: Deps, pool_id: str, token: str, *, token_use: str) -> dict[str, Any]:
    """Cognate's own check of one of its tokens: signature by a key the pool's JWKS publishes, `iss`, `exp`,
    `token_use`, and the sign-in it came from not revoked (spec §2 revocation)."""
    keys = await verifying_keys(deps, pool_id)
    try:
        claims = verify_signature(token, keys)
    except InvalidToken:
        raise NotAuthorizedException("Invalid Access Token") from None
    now = deps.clock.now()
    if claims.get("iss") != await issuer(deps, pool_id) or claims.get("token_use") != token_use:
        raise NotAuthorizedException("Invalid Access Token")
    if not isinstance(claims.get("exp"), int) or claims["exp"] <= now:
        raise NotAuthorizedException("Access Token has expired")
    origin_jti = claims.get("origin_jti")
    if origin_jti is not None:
        async with deps.store.transaction(readonly=True) as tx:
            origin = await tx.tokens.get(str(origin_jti))
        if origin is None or origin.revoked_at is not None:
            raise NotAuthorizedException("Access Token has been revoked")
    return claims


def pool_of_token(token: str) -> str | None:
    """The pool id from an unverified token's `iss` (to know which keys to check it with)."""
    try:
        iss = str(unverified_part(token, 1).get("iss", ""))
    except (IndexError, ValueError, TypeError, AttributeError):
        return None
    return iss.rstrip("/").rsplit("/", 1)[-1] or None


async def token_subject(deps: Deps, pool_id: str, claims: dict[str, Any]) -> tuple[UserPool, AppClient, User]:
    """The pool, app client and (still existing, enabled) user a verified user access token speaks for."""
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, pool_id)
        record = await tx.clients.get(str(claims.get("client_id", "")))
        user = await tx.users.get_by_sub(pool_id, str(claims.get("sub", "")))
    if record is None or record.client.pool_id != pool_id:
        raise NotAuthorizedException("Invalid Access Token")
    return pool, record.client, live_user(user)


def looks_like_jwt(token: str) -> bool:
    """An access or ID token: three parts whose first is a JOSE header (refresh tokens have five)."""
    if token.count(".") != 2:
        return False
    try:
        header = unverified_part(token, 0)
    except ValueError:
        return False
    return isinstance(header, dict) and "alg" in header


def live_user(user: User | None) -> User:
    """The user a token or sign-in speaks for, if it still exists and is enabled."""
    if user is None:
        raise NotAuthorizedException("User does not exist.")
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    return user

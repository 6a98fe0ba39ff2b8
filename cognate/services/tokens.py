"""The one minting service every door uses (hosted UI, token endpoint, JSON API), plus refresh, revoke and checks.

Claim sets come from `domain.tokens`; keys from `services.keys`; refresh tokens are stored only as keyed hashes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, replace
from typing import Any

from cognate.crypto.jwt import InvalidToken, mint, verify_signature
from cognate.crypto.randomness import random_uuids
from cognate.domain.clients import AppClient
from cognate.domain.errors import NotAuthorizedException
from cognate.domain.pools import UserPool
from cognate.domain.scopes import OPENID, is_custom_scope
from cognate.domain.signin import TokenOrigin
from cognate.domain.tokens import Grant, access_claims, id_claims
from cognate.domain.triggers import Occasion, refuse_unrun_triggers, runs_for_machines
from cognate.domain.users import User
from cognate.services import audit
from cognate.services.deps import Deps
from cognate.services.keys import signing_key, verifying_keys
from cognate.services.lookups import require_pool
from cognate.services.metrics import token_counter
from cognate.services.pools import get_pool, issuer
from cognate.services.resource_servers import pool_scopes
from cognate.store.base import UnitOfWork

# Looks like Cognito's (a 5-part JWE, spec §0) but is random: clients must treat it as opaque.
REFRESH_HEADER = base64.urlsafe_b64encode(b'{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}').rstrip(b"=").decode()
REFRESH_CONTEXT = "refresh-token"


@dataclass(frozen=True)
class TokenSet:
    access_token: str
    expires_in: int
    id_token: str | None = None
    refresh_token: str | None = None
    token_type: str = "Bearer"


def new_refresh_token() -> str:
    parts = [secrets.token_urlsafe(n) for n in (256, 12, 512, 16)]
    return ".".join([REFRESH_HEADER, *parts])


def at_hash(access_token: str) -> str:
    """OIDC Core §3.2.2.9: left half of SHA-256 of the access token, base64url."""
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


async def _groups(deps: Deps, user: User | None) -> list[Any]:
    """The user's groups (for `cognito:groups`); a client acting for itself has none and costs no query."""
    if user is None:
        return []
    async with deps.store.transaction(readonly=True) as tx:
        return await user_groups(tx, user)


def _grant_label(grant: Grant, refresh_token: str | None) -> str:
    if grant.user is None:
        return "client_credentials"
    if refresh_token is not None:
        return "refresh_token"
    return "oauth" if grant.oauth else "api"


@dataclass(frozen=True)
class Recorded:
    """What a caller already did in its own transaction: read the user's groups and stored the grant's origin
    (`origin_record`) with this new refresh token — one transaction for a code redemption instead of three."""

    groups: list[Any]
    refresh_token: str | None


async def mint_tokens(deps: Deps, grant: Grant, *, with_refresh: bool, with_id: bool, hash_access: bool = False,
                      refresh_token: str | None = None, recorded: Recorded | None = None) -> TokenSet:
    """Sign the access (and ID) token of a grant; record its origin (and refresh token) for revocation.

    A user's tokens are refused while the pool names PreTokenGeneration (which Cognate does not run): the last
    stop for every door, which check earlier, before anything is spent. Client-credentials tokens only with the
    trigger's V3_0 event, as in Cognito."""
    if grant.user is not None or runs_for_machines(grant.pool.lambda_config):
        refuse_unrun_triggers(grant.pool.lambda_config, Occasion.TOKENS)
    label = _grant_label(grant, refresh_token)
    token_counter(label).inc()
    now = int(deps.clock.now())
    client, validity = grant.client, grant.client.validity
    iss = await issuer(deps, grant.pool.id)
    access_ttl, id_ttl = validity.seconds("AccessToken"), validity.seconds("IdToken")
    event_id, access_jti, id_jti = random_uuids(3)
    groups = recorded.groups if recorded is not None else await _groups(deps, grant.user)
    access = mint(access_claims(grant, issuer=iss, jti=access_jti, event_id=event_id, iat=now,
                                exp=now + access_ttl, groups=groups),
                  await signing_key(deps, grant.pool.id, "access"))
    id_token = None
    if with_id and grant.user is not None:
        claims = id_claims(grant, issuer=iss, jti=id_jti, event_id=event_id, iat=now, exp=now + id_ttl,
                           groups=groups, at_hash=at_hash(access) if hash_access else None)
        id_token = mint(claims, await signing_key(deps, grant.pool.id, "id"))
    if recorded is not None:
        new_refresh = recorded.refresh_token
    else:
        new_refresh = new_refresh_token() if with_refresh and refresh_token is None else None
        if grant.user is not None and refresh_token is None:
            async with deps.store.transaction() as tx:
                await tx.tokens.add(origin_record(deps, grant, new_refresh, now))
    await audit.record(deps, "token_refresh" if refresh_token is not None else "token_issue", "success",
                       pool_id=grant.pool.id, client_id=client.id, sub=grant.user.sub if grant.user else None,
                       grant=label, origin_jti=grant.origin_jti)
    return TokenSet(access_token=access, expires_in=access_ttl, id_token=id_token,
                    refresh_token=new_refresh)


def origin_record(deps: Deps, grant: Grant, refresh: str | None, now: float) -> TokenOrigin:
    """The stored origin of a user's grant (what revocation finds), with a keyed hash of its refresh token."""
    client = grant.client
    lifetime = client.validity.seconds("RefreshToken") if refresh else client.validity.seconds("AccessToken")
    return TokenOrigin(
        origin_jti=grant.origin_jti, pool_id=grant.pool.id, client_id=client.id,
        sub=grant.user.sub if grant.user else None, scopes=grant.scopes, auth_time=grant.auth_time,
        created_at=int(now), expires_at=int(now) + lifetime,
        refresh_hash=deps.sealer.mac(refresh, context=REFRESH_CONTEXT) if refresh else None)


async def user_groups(tx: UnitOfWork, user: User) -> list[Any]:
    return list(await tx.groups.groups_of(user.pool_id, user.sub, limit=100))


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
    async with deps.store.transaction() as tx:
        await tx.tokens.revoke(origin_jti, deps.clock.now())


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
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        iss = str(claims.get("iss", ""))
    except (IndexError, ValueError, TypeError, AttributeError):
        return None
    return iss.rstrip("/").rsplit("/", 1)[-1] or None


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
    grant = Grant(pool=await get_pool(deps, origin.pool_id), client=client, user=_live(user), scopes=origin.scopes,
                  auth_time=origin.auth_time, origin_jti=origin.origin_jti, oauth=oauth)
    refuse_unrun_triggers(grant.pool.lambda_config, Occasion.TOKENS)  # before a rotation spends the token
    rotated = None
    if client.refresh_rotation and not in_grace:
        rotated = await _rotate(deps, client, origin, refresh_token)
    tokens = await mint_tokens(deps, grant, with_refresh=False, with_id=not oauth or OPENID in origin.scopes,
                               refresh_token=refresh_token, recorded=Recorded(groups, None))
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


def _live(user: User | None) -> User:
    if user is None:
        raise NotAuthorizedException("User does not exist.")
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    return user


class ScopeRefused(Exception):
    """A client_credentials request names a scope the client may not have (OAuth `invalid_scope`)."""


async def client_credentials_scopes(deps: Deps, client: AppClient, requested: tuple[str, ...] | None
                                    ) -> tuple[str, ...]:
    """Custom scopes only (spec §1.2): the client's resource-server scopes that still exist; none asked = all."""
    existing = await pool_scopes(deps, client.pool_id)
    available = tuple(s for s in client.allowed_oauth_scopes if is_custom_scope(s) and s in existing)
    if requested is None:
        chosen = available
    else:
        refused = [s for s in requested if s not in available]
        if refused:
            raise ScopeRefused(f"Invalid scope requested: {refused[0]}")
        chosen = tuple(dict.fromkeys(requested))
    if not chosen:
        raise ScopeRefused("The client has no custom scope to grant")
    return chosen


async def client_credentials_tokens(deps: Deps, client: AppClient, scopes: tuple[str, ...]) -> TokenSet:
    """An access token whose subject is the client itself: no user claims, no ID or refresh token (spec §2)."""
    pool = await get_pool(deps, client.pool_id)
    grant = Grant(pool=pool, client=client, user=None, scopes=scopes, auth_time=int(deps.clock.now()),
                  origin_jti=random_uuids(1)[0], oauth=True)
    return await mint_tokens(deps, grant, with_refresh=False, with_id=False)


async def token_subject(deps: Deps, pool_id: str, claims: dict[str, Any]) -> tuple[UserPool, AppClient, User]:
    """The pool, app client and (still existing, enabled) user a verified user access token speaks for."""
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, pool_id)
        record = await tx.clients.get(str(claims.get("client_id", "")))
        user = await tx.users.get_by_sub(pool_id, str(claims.get("sub", "")))
    if record is None or record.client.pool_id != pool_id:
        raise NotAuthorizedException("Invalid Access Token")
    return pool, record.client, _live(user)


def looks_like_jwt(token: str) -> bool:
    """An access or ID token: three parts whose first is a JOSE header (refresh tokens have five)."""
    parts = token.split(".")
    if len(parts) != 3:
        return False
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except ValueError:
        return False
    return isinstance(header, dict) and "alg" in header

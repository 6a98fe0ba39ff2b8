"""Minting: the one place every door (hosted UI, token endpoint, JSON API) signs tokens and records their origin.

Claim sets come from `domain.tokens`; keys from `services.keys`; refresh tokens are stored only as keyed hashes.
Refresh, revocation and verification of what is minted here live beside it (`refresh`, `revocation`,
`verification`), so each can be read without the others.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from cognate.crypto.jwt import mint
from cognate.crypto.randomness import random_uuids
from cognate.domain.signin import TokenOrigin
from cognate.domain.tokens import Grant, access_claims, id_claims
from cognate.domain.triggers import Occasion, refuse_unrun_triggers, runs_for_machines
from cognate.domain.users import User
from cognate.services import audit
from cognate.services.deps import Deps
from cognate.services.keys import signing_key
from cognate.services.metrics import token_counter
from cognate.services.pools import issuer
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


def new_origin_jti() -> str:
    """The id of a new sign-in (`origin_jti`): every token minted from it, and its refresh token, carry it, and
    revoking it revokes them all. One way to make it, whichever door signs the user in."""
    return random_uuids(1)[0]


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


def _grant_label(grant: Grant, refreshed_token: str | None) -> str:
    if grant.user is None:
        return "client_credentials"
    if refreshed_token is not None:
        return "refresh_token"
    return "oauth" if grant.oauth else "api"


@dataclass(frozen=True)
class Recorded:
    """What a caller already did in its own transaction: read the user's groups and stored the grant's origin
    (`origin_record`) with this new refresh token — one transaction for a code redemption instead of three."""

    groups: list[Any]
    refresh_token: str | None


async def mint_tokens(deps: Deps, grant: Grant, *, issue_refresh_token: bool, issue_id_token: bool,
                      id_token_at_hash: bool = False, refreshed_token: str | None = None,
                      already_recorded: Recorded | None = None) -> TokenSet:
    """Sign the access (and ID) token of a grant; record its origin (and refresh token) for revocation.

    `issue_id_token` only counts for a user; `id_token_at_hash` puts the access token's `at_hash` in the ID token
    (implicit flow); `refreshed_token` is the refresh token being redeemed (its origin is stored already, and no
    new one is made here); `already_recorded` is what a caller did in its own transaction.

    A user's tokens are refused while the pool names PreTokenGeneration (which Cognate does not run): the last
    stop for every door, which check earlier, before anything is spent. Client-credentials tokens only with the
    trigger's V3_0 event, as in Cognito."""
    if grant.user is not None or runs_for_machines(grant.pool.lambda_config):
        refuse_unrun_triggers(grant.pool.lambda_config, Occasion.TOKENS)
    label = _grant_label(grant, refreshed_token)
    token_counter(label).inc()
    now = int(deps.clock.now())
    iss = await issuer(deps, grant.pool.id)
    access_ttl, id_ttl = grant.client.validity.seconds("AccessToken"), grant.client.validity.seconds("IdToken")
    event_id, access_jti, id_jti = random_uuids(3)
    groups = already_recorded.groups if already_recorded is not None else await _groups(deps, grant.user)
    access = mint(access_claims(grant, issuer=iss, jti=access_jti, event_id=event_id, iat=now,
                                exp=now + access_ttl, groups=groups),
                  await signing_key(deps, grant.pool.id, "access"))
    id_token = None
    if issue_id_token and grant.user is not None:
        claims = id_claims(grant, issuer=iss, jti=id_jti, event_id=event_id, iat=now, exp=now + id_ttl,
                           groups=groups, at_hash=at_hash(access) if id_token_at_hash else None)
        id_token = mint(claims, await signing_key(deps, grant.pool.id, "id"))
    if already_recorded is not None:
        new_refresh = already_recorded.refresh_token
    else:
        new_refresh = await _record_origin(deps, grant, issue_refresh_token, refreshed_token, now)
    await audit.record(deps, "token_refresh" if refreshed_token is not None else "token_issue", "success",
                       pool_id=grant.pool.id, client_id=grant.client.id,
                       sub=grant.user.sub if grant.user else None, grant=label, origin_jti=grant.origin_jti)
    return TokenSet(access_token=access, expires_in=access_ttl, id_token=id_token,
                    refresh_token=new_refresh)


async def _record_origin(deps: Deps, grant: Grant, issue_refresh_token: bool, refreshed_token: str | None,
                         now: int) -> str | None:
    """A new sign-in of a user is stored (what revocation finds), with its new refresh token if one is issued;
    a refresh stores nothing (its sign-in is stored) and a client acting for itself has nothing to revoke."""
    if refreshed_token is not None:
        return None
    new_refresh = new_refresh_token() if issue_refresh_token else None
    if grant.user is not None:
        async with deps.store.transaction() as tx:
            await tx.tokens.add(origin_record(deps, grant, new_refresh, now))
    return new_refresh


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

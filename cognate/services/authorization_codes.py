"""Authorization codes (RFC 6749 §4.1, RFC 7636 PKCE): issued after sign-in, redeemed once at the token endpoint.

Stored as keyed hashes; single use is a conditional update; a second redemption revokes what the first issued
(RFC 6749 §4.1.2). A verifier sent for a code issued without a challenge is refused (PKCE downgrade, RFC 9700).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from cognate.domain.clients import AppClient
from cognate.domain.pools import UserPool
from cognate.domain.signin import AUTH_CODE_SECONDS, AuthCode
from cognate.domain.tokens import Grant
from cognate.domain.triggers import Occasion, refuse_unrun_triggers
from cognate.domain.users import User
from cognate.services.deps import Deps
from cognate.services.pools import get_pool
from cognate.services.tokens.minting import (
    Recorded,
    TokenSet,
    mint_tokens,
    new_origin_jti,
    new_refresh_token,
    origin_record,
    user_groups,
)
from cognate.services.tokens.revocation import revoke_origin

CONTEXT = "authorization-code"
# RFC 7636 §4.1: code-verifier = 43*128unreserved, unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~". Only ASCII:
# anything else once reached the S256 step (and a non-ASCII verifier failed there with a 500).
VERIFIER_RE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")


class CodeRefused(Exception):
    """The code cannot be redeemed; the token endpoint answers `invalid_grant` with this description."""


@dataclass(frozen=True)
class CodeRequest:
    pool: UserPool
    client: AppClient
    user: User
    redirect_uri: str
    scopes: tuple[str, ...]
    auth_time: int
    nonce: str | None = None
    code_challenge: str | None = None


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


async def issue_authorization_code(deps: Deps, request: CodeRequest) -> str:
    raw = secrets.token_urlsafe(32)
    now = deps.clock.now()
    code = AuthCode(code_hash=deps.sealer.mac(raw, context=CONTEXT), pool_id=request.pool.id,
                    client_id=request.client.id, sub=request.user.sub, redirect_uri=request.redirect_uri,
                    scopes=request.scopes, auth_time=request.auth_time, created_at=now,
                    expires_at=now + AUTH_CODE_SECONDS, nonce=request.nonce, code_challenge=request.code_challenge)
    async with deps.store.transaction() as tx:
        await tx.auth_codes.add(code)
    return raw


def _check_pkce(code: AuthCode, verifier: str | None) -> None:
    if code.code_challenge is None:
        if verifier is not None:
            raise CodeRefused("code_verifier sent for a code issued without code_challenge")
        return
    if not verifier or not VERIFIER_RE.fullmatch(verifier):
        raise CodeRefused("code_verifier missing or malformed")
    if not hmac.compare_digest(s256(verifier), code.code_challenge):
        raise CodeRefused("code_verifier does not match code_challenge")


async def _load(deps: Deps, client: AppClient, raw: str, redirect_uri: str | None) -> AuthCode:
    digest = deps.sealer.mac(raw, context=CONTEXT)
    async with deps.store.transaction(readonly=True) as tx:
        code = await tx.auth_codes.get(digest)
    if code is None or code.client_id != client.id:
        raise CodeRefused("invalid code")
    if code.consumed_at is not None:
        if code.origin_jti:
            await revoke_origin(deps, code.origin_jti)
        raise CodeRefused("code already used")
    if code.expires_at <= deps.clock.now():
        raise CodeRefused("code expired")
    if redirect_uri != code.redirect_uri:
        raise CodeRefused("redirect_uri does not match the authorization request")
    return code


async def redeem_authorization_code(deps: Deps, *, client: AppClient, raw: str, redirect_uri: str | None,
                                    verifier: str | None) -> TokenSet:
    code = await _load(deps, client, raw, redirect_uri)
    _check_pkce(code, verifier)
    pool = await get_pool(deps, code.pool_id)
    refuse_unrun_triggers(pool.lambda_config, Occasion.TOKENS)  # before the code is used
    origin_jti, refresh, now = new_origin_jti(), new_refresh_token(), deps.clock.now()
    async with deps.store.transaction() as tx:  # one transaction: use the code, read the user, store the origin
        if not await tx.auth_codes.consume(code.code_hash, now, origin_jti=origin_jti):
            raise CodeRefused("code already used")
        user = await tx.users.get_by_sub(code.pool_id, code.sub)
        if user is not None and user.enabled:
            grant = Grant(pool=pool, client=client, user=user, scopes=code.scopes, auth_time=code.auth_time,
                          origin_jti=origin_jti, oauth=True, nonce=code.nonce)
            groups = await user_groups(tx, user)
            await tx.tokens.add(origin_record(deps, grant, refresh, now))
    if user is None or not user.enabled:  # the code stays used all the same
        raise CodeRefused("user no longer exists or is disabled")
    return await mint_tokens(deps, grant, issue_refresh_token=True, issue_id_token="openid" in code.scopes,
                             already_recorded=Recorded(groups, refresh))

"""The revocation endpoint (RFC 7009 §2; spec §1.3).

Only refresh tokens are revocable; revoking one ends its sign-in, so the access tokens minted from it stop
working here too. Unknown, already revoked or another client's tokens still get 200 (RFC 7009 §2.2).
"""

from __future__ import annotations

from cognate.domain.clients import AppClient
from cognate.oauth.errors import InvalidRequest, UnsupportedTokenType
from cognate.services.deps import Deps
from cognate.services.tokens.revocation import revoke_refresh
from cognate.services.tokens.verification import looks_like_jwt


async def revoke(deps: Deps, client: AppClient, token: str | None) -> None:
    if not token:
        raise InvalidRequest("Missing required parameter: token")
    if not client.enable_token_revocation:
        raise InvalidRequest("Token revocation is not enabled for this client")
    if looks_like_jwt(token):
        raise UnsupportedTokenType("Only refresh tokens can be revoked")
    await revoke_refresh(deps, client, token)

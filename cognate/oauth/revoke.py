"""The revocation endpoint (RFC 7009 §2; spec §1.3).

Only refresh tokens are revocable; revoking one ends its sign-in, so the access tokens minted from it stop
working here too. Unknown, already revoked or another client's tokens still get 200 (RFC 7009 §2.2).
"""

from __future__ import annotations

import base64
import json

from cognate.domain.clients import AppClient
from cognate.oauth.errors import InvalidRequest, UnsupportedTokenType
from cognate.services.deps import Deps
from cognate.services.tokens import revoke_refresh


def looks_like_jwt(token: str) -> bool:
    """An access or ID token: three parts whose first is a JOSE header."""
    parts = token.split(".")
    if len(parts) != 3:
        return False
    try:
        header = json.loads(base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)))
    except ValueError:
        return False
    return isinstance(header, dict) and "alg" in header


async def revoke(deps: Deps, client: AppClient, token: str | None) -> None:
    if not token:
        raise InvalidRequest("Missing required parameter: token")
    if not client.enable_token_revocation:
        raise InvalidRequest("Token revocation is not enabled for this client")
    if looks_like_jwt(token):
        raise UnsupportedTokenType("Only refresh tokens can be revoked")
    await revoke_refresh(deps, client, token)

"""The userInfo endpoint (OIDC Core §5.3; RFC 6750 §3; spec §1.3).

A Bearer access token of this pool, with `openid`, whose sign-in is not revoked and whose user still exists
and is enabled; the answer holds the claims its scopes allow for the attributes its client may read.
"""

from __future__ import annotations

from typing import Any

from cognate.domain.attribute_access import readable_attributes
from cognate.domain.errors import NotAuthorizedException, ResourceNotFoundException
from cognate.domain.ids import is_pool_id
from cognate.domain.tokens import userinfo_claims
from cognate.oauth.errors import InsufficientScope, InvalidToken
from cognate.oauth.vocab import OPENID
from cognate.services.deps import Deps
from cognate.services.tokens.verification import pool_of_token, token_subject, verify_pool_token


def _pool(token: str, host_pool: str | None) -> str:
    """The pool whose keys must have signed the token; on a pool domain, only that pool."""
    pool_id = pool_of_token(token)
    if pool_id is None or not is_pool_id(pool_id) or (host_pool is not None and pool_id != host_pool):
        raise InvalidToken("Invalid Access Token")
    return pool_id


async def userinfo(deps: Deps, token: str, *, host_pool: str | None) -> dict[str, Any]:
    pool_id = _pool(token, host_pool)
    try:
        claims = await verify_pool_token(deps, pool_id, token, token_use="access")
        if OPENID not in str(claims.get("scope", "")).split():
            raise InsufficientScope("Access token does not contain openid scope")
        pool, client, user = await token_subject(deps, pool_id, claims)
    except (NotAuthorizedException, ResourceNotFoundException) as exc:
        raise InvalidToken(exc.message) from None
    return userinfo_claims(user, str(claims["scope"]).split(), readable_attributes(pool, client))

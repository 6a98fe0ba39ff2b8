"""Client credentials: tokens whose subject is an app client acting for itself (custom scopes only)."""

from __future__ import annotations

from cognate.domain.clients import AppClient
from cognate.domain.scopes import is_custom_scope
from cognate.domain.tokens import Grant
from cognate.services.deps import Deps
from cognate.services.pools import get_pool
from cognate.services.resource_servers import pool_scopes
from cognate.services.tokens.minting import TokenSet, mint_tokens, new_origin_jti


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
                  origin_jti=new_origin_jti(), oauth=True)
    return await mint_tokens(deps, grant, issue_refresh_token=False, issue_id_token=False)

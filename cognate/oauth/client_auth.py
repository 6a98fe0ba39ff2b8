"""Client authentication at the token and revocation endpoints (RFC 6749 §2.3.1, §3.2.1; spec §1.2).

`client_secret_basic` or `client_secret_post`; a public client sends its `client_id` only. Secrets are compared
in constant time without a slow hash: they are long random strings, and this runs on every token request.
"""

from __future__ import annotations

from cognate.domain.clients import AppClient
from cognate.domain.errors import ResourceNotFoundException
from cognate.oauth.errors import InvalidClient
from cognate.oauth.requests import ClientCredentials
from cognate.services.client_auth import secret_matches
from cognate.services.clients import get_client
from cognate.services.deps import Deps


async def authenticate_client(deps: Deps, creds: ClientCredentials, *, host_pool: str | None) -> AppClient:
    """The app client the caller proved to be; on a pool domain only that pool's clients exist."""
    if not creds.client_id:
        raise InvalidClient("Client authentication is required", basic=creds.basic)
    try:
        client = await get_client(deps, creds.client_id, pool_id=host_pool)
    except ResourceNotFoundException:
        raise InvalidClient("Client authentication failed", basic=creds.basic) from None
    if client.secret is None:
        if creds.secrets:
            raise InvalidClient("The client has no secret", basic=creds.basic)
        return client
    if not any(secret_matches(client, secret) for secret in creds.secrets):
        raise InvalidClient("Client authentication failed", basic=creds.basic)
    return client

"""The token endpoint's dispatcher (RFC 6749 §3.2, §5.1; spec §1.2).

It owns the shared phases in this order, so no grant can skip one: grant type, client authentication, the
client's right to the grant, scope policy, the grant's own work, and the response (`no-store`).
"""

from __future__ import annotations

import json

from cognate.oauth.client_auth import authenticate_client
from cognate.oauth.errors import UnsupportedGrantType
from cognate.oauth.grants.authorization_code import AuthorizationCodeGrant
from cognate.oauth.grants.base import GrantContext, TokenGrant
from cognate.oauth.grants.client_credentials import ClientCredentialsGrant
from cognate.oauth.grants.refresh_token import RefreshTokenGrant
from cognate.oauth.requests import FormRequest
from cognate.services.deps import Deps
from cognate.services.tokens.minting import TokenSet

GRANTS: dict[str, TokenGrant] = {
    grant.grant_type: grant for grant in (AuthorizationCodeGrant(), RefreshTokenGrant(), ClientCredentialsGrant())
}


def _grant(form: FormRequest) -> TokenGrant:
    grant_type = form.require("grant_type")
    grant = GRANTS.get(grant_type)
    if grant is None:
        raise UnsupportedGrantType(f"grant_type {grant_type} is not supported")
    return grant


def _requested_scopes(form: FormRequest) -> tuple[str, ...] | None:
    raw = form.get("scope")
    return None if raw is None else tuple(raw.split())


async def exchange(deps: Deps, form: FormRequest, *, host_pool: str | None) -> TokenSet:
    grant = _grant(form)
    client = await authenticate_client(deps, form.credentials, host_pool=host_pool)
    grant.check_client(client)
    scopes = await grant.scopes(deps, client, _requested_scopes(form))
    return await grant.issue(GrantContext(deps=deps, client=client, request=form, scopes=scopes))


def token_body(tokens: TokenSet) -> bytes:
    """RFC 6749 §5.1's JSON, in Cognito's key order; absent tokens are left out."""
    body: dict[str, str | int] = {}
    if tokens.id_token:
        body["id_token"] = tokens.id_token
    body["access_token"] = tokens.access_token
    if tokens.refresh_token:
        body["refresh_token"] = tokens.refresh_token
    body.update({"expires_in": tokens.expires_in, "token_type": tokens.token_type})
    return json.dumps(body, separators=(",", ":")).encode()

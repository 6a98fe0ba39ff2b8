"""The client credentials grant (RFC 6749 §4.4; spec §1.2): confidential clients, custom scopes, access token only."""

from __future__ import annotations

from cognate.domain.clients import AppClient
from cognate.oauth.errors import InvalidScope
from cognate.oauth.grants.base import GrantContext, TokenGrant
from cognate.oauth.vocab import CLIENT_CREDENTIALS
from cognate.services.deps import Deps
from cognate.services.tokens.client_credentials import (
    ScopeRefused,
    client_credentials_scopes,
    client_credentials_tokens,
)
from cognate.services.tokens.minting import TokenSet


class ClientCredentialsGrant(TokenGrant):
    grant_type = CLIENT_CREDENTIALS
    flow = CLIENT_CREDENTIALS
    confidential_only = True

    async def scopes(self, deps: Deps, client: AppClient, requested: tuple[str, ...] | None) -> tuple[str, ...]:
        try:
            return await client_credentials_scopes(deps, client, requested)
        except ScopeRefused as exc:
            raise InvalidScope(str(exc)) from None

    async def issue(self, ctx: GrantContext) -> TokenSet:
        return await client_credentials_tokens(ctx.deps, ctx.client, ctx.scopes)

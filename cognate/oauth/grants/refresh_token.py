"""The refresh token grant (RFC 6749 §6; spec §1.2): only the client it was issued to, only while it lives."""

from __future__ import annotations

from cognate.domain.errors import NotAuthorizedException
from cognate.oauth.errors import InvalidGrant
from cognate.oauth.grants.base import GrantContext, TokenGrant
from cognate.oauth.vocab import REFRESH_TOKEN
from cognate.services.tokens.minting import TokenSet
from cognate.services.tokens.refresh import refresh_tokens


class RefreshTokenGrant(TokenGrant):
    grant_type = REFRESH_TOKEN

    async def issue(self, ctx: GrantContext) -> TokenSet:
        token = ctx.request.require("refresh_token")
        try:
            return await refresh_tokens(ctx.deps, ctx.client, token)
        except NotAuthorizedException as exc:
            raise InvalidGrant(exc.message) from None

"""The authorization code grant at the token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.5; spec §1.2)."""

from __future__ import annotations

from cognate.oauth.errors import InvalidGrant
from cognate.oauth.grants.base import GrantContext, TokenGrant
from cognate.oauth.vocab import AUTHORIZATION_CODE
from cognate.services.authorization_codes import CodeRefused, redeem_authorization_code
from cognate.services.tokens.minting import TokenSet


class AuthorizationCodeGrant(TokenGrant):
    grant_type = AUTHORIZATION_CODE
    flow = "code"

    async def issue(self, ctx: GrantContext) -> TokenSet:
        code = ctx.request.require("code")
        redirect_uri = ctx.request.require("redirect_uri")
        try:
            return await redeem_authorization_code(ctx.deps, client=ctx.client, raw=code, redirect_uri=redirect_uri,
                                                   verifier=ctx.request.get("code_verifier"))
        except CodeRefused as exc:
            raise InvalidGrant(str(exc)) from None

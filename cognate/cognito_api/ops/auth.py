"""Sign-in over the JSON API: (Admin)InitiateAuth and (Admin)RespondToAuthChallenge (spec §6, §7 SRP, §8),
including the TOTP challenges SOFTWARE_TOKEN_MFA and MFA_SETUP (§6 T2).

The handlers only pick the service for a flow or a challenge and shape its answer; every rule (which flows a
client allows, SECRET_HASH, user states, SRP) lives in `services.api_auth`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from cognate.cognito_api.ops import Handler, Params, Result
from cognate.cognito_api.shapes import opt_text, string_map, text
from cognate.domain.clients import AppClient, refuse_trigger_flow
from cognate.domain.errors import InvalidParameterException
from cognate.domain.pools import UserPool
from cognate.services import api_auth
from cognate.services.api_auth import AuthResult
from cognate.services.challenges import Challenge
from cognate.services.clients import get_client
from cognate.services.deps import Deps

Strings = dict[str, str]
FlowHandler = Callable[[Deps, AppClient, UserPool, Strings], Awaitable[AuthResult]]
ChallengeHandler = Callable[[Deps, AppClient, UserPool, str | None, Strings], Awaitable[AuthResult]]

ALIASES = {"REFRESH_TOKEN": "REFRESH_TOKEN_AUTH", "ADMIN_NO_SRP_AUTH": "ADMIN_USER_PASSWORD_AUTH"}
PUBLIC_FLOWS = frozenset({"USER_PASSWORD_AUTH", "USER_SRP_AUTH", "REFRESH_TOKEN_AUTH"})
ADMIN_FLOWS = frozenset({"ADMIN_USER_PASSWORD_AUTH", "USER_SRP_AUTH", "REFRESH_TOKEN_AUTH"})


def required(params: Strings, name: str) -> str:
    value = params.get(name)
    if not value:
        raise InvalidParameterException(f"Missing required parameter {name}")
    return value


def render(result: AuthResult) -> Result:
    """`AuthenticationResult` (no RefreshToken on a refresh) or a challenge (no Session when there is none)."""
    if isinstance(result, Challenge):
        out: Result = {"ChallengeName": result.name, "ChallengeParameters": dict(result.parameters)}
        if result.session is not None:
            out["Session"] = result.session
        return out
    tokens: Result = {"AccessToken": result.access_token, "ExpiresIn": result.expires_in, "TokenType": "Bearer"}
    if result.refresh_token is not None:
        tokens["RefreshToken"] = result.refresh_token
    if result.id_token is not None:
        tokens["IdToken"] = result.id_token
    return {"AuthenticationResult": tokens, "ChallengeParameters": {}}


async def _client_and_pool(deps: Deps, req: Params, *, admin: bool) -> tuple[AppClient, UserPool]:
    """The app client; the admin variants also name the pool, which must be the client's."""
    client = await get_client(deps, text(req, "ClientId"), pool_id=text(req, "UserPoolId") if admin else None)
    return client, await api_auth.pool_of_client(deps, client)


async def _password(deps: Deps, client: AppClient, pool: UserPool, p: Strings) -> AuthResult:
    return await api_auth.password_auth(deps, pool=pool, client=client, username=required(p, "USERNAME"),
                                        password=required(p, "PASSWORD"), secret_hash=p.get("SECRET_HASH"))


async def _srp(deps: Deps, client: AppClient, pool: UserPool, p: Strings) -> AuthResult:
    return await api_auth.srp_start(deps, pool=pool, client=client, username=required(p, "USERNAME"),
                                    srp_a=required(p, "SRP_A"), secret_hash=p.get("SECRET_HASH"))


async def _refresh(deps: Deps, client: AppClient, pool: UserPool, p: Strings) -> AuthResult:
    return await api_auth.refresh_auth(deps, pool=pool, client=client, refresh_token=required(p, "REFRESH_TOKEN"),
                                       secret_hash=p.get("SECRET_HASH"), username=p.get("USERNAME"))


FLOWS: dict[str, FlowHandler] = {
    "USER_PASSWORD_AUTH": _password,
    "ADMIN_USER_PASSWORD_AUTH": _password,
    "USER_SRP_AUTH": _srp,
    "REFRESH_TOKEN_AUTH": _refresh,
}


async def _initiate(deps: Deps, req: Params, *, admin: bool) -> Result:
    client, pool = await _client_and_pool(deps, req, admin=admin)
    flow = ALIASES.get(text(req, "AuthFlow"), text(req, "AuthFlow"))
    refuse_trigger_flow(flow)
    if flow not in (ADMIN_FLOWS if admin else PUBLIC_FLOWS):
        raise InvalidParameterException("Initiate Auth method not supported.")
    api_auth.require_flow(client, flow)
    return render(await FLOWS[flow](deps, client, pool, string_map(req, "AuthParameters")))


async def _verifier(deps: Deps, client: AppClient, pool: UserPool, session: str | None, r: Strings) -> AuthResult:
    required(r, "USERNAME")
    return await api_auth.srp_verify(deps, pool=pool, client=client, responses=r)


async def _new_password(deps: Deps, client: AppClient, pool: UserPool, session: str | None,
                        r: Strings) -> AuthResult:
    required(r, "USERNAME")
    return await api_auth.answer_new_password(deps, pool=pool, client=client, session=session, responses=r)


async def _software_token(deps: Deps, client: AppClient, pool: UserPool, session: str | None,
                          r: Strings) -> AuthResult:
    required(r, "USERNAME")
    return await api_auth.answer_software_token(deps, pool=pool, client=client, session=session, responses=r)


async def _mfa_setup(deps: Deps, client: AppClient, pool: UserPool, session: str | None, r: Strings) -> AuthResult:
    return await api_auth.answer_mfa_setup(deps, pool=pool, client=client, session=session, responses=r)


CHALLENGES: dict[str, ChallengeHandler] = {
    "PASSWORD_VERIFIER": _verifier,
    "NEW_PASSWORD_REQUIRED": _new_password,
    "SOFTWARE_TOKEN_MFA": _software_token,
    "MFA_SETUP": _mfa_setup,
}


async def _respond(deps: Deps, req: Params, *, admin: bool) -> Result:
    client, pool = await _client_and_pool(deps, req, admin=admin)
    name = text(req, "ChallengeName")
    handler = CHALLENGES.get(name)
    if handler is None:
        raise InvalidParameterException(f"The challenge {name} is not supported by Cognate.")
    return render(await handler(deps, client, pool, opt_text(req, "Session"), string_map(req, "ChallengeResponses")))


async def initiate_auth(deps: Deps, req: Params) -> Result:
    return await _initiate(deps, req, admin=False)


async def admin_initiate_auth(deps: Deps, req: Params) -> Result:
    return await _initiate(deps, req, admin=True)


async def get_tokens_from_refresh_token(deps: Deps, req: Params) -> Result:
    """New tokens from a refresh token, and a new refresh token when the client rotates them."""
    client = await get_client(deps, text(req, "ClientId"))
    result = await api_auth.tokens_from_refresh(deps, client=client, refresh_token=text(req, "RefreshToken"),
                                                client_secret=opt_text(req, "ClientSecret"))
    return {"AuthenticationResult": render(result)["AuthenticationResult"]}


async def respond_to_auth_challenge(deps: Deps, req: Params) -> Result:
    return await _respond(deps, req, admin=False)


async def admin_respond_to_auth_challenge(deps: Deps, req: Params) -> Result:
    return await _respond(deps, req, admin=True)


OPERATIONS: dict[str, Handler] = {
    "InitiateAuth": initiate_auth,
    "AdminInitiateAuth": admin_initiate_auth,
    "GetTokensFromRefreshToken": get_tokens_from_refresh_token,
    "RespondToAuthChallenge": respond_to_auth_challenge,
    "AdminRespondToAuthChallenge": admin_respond_to_auth_challenge,
}

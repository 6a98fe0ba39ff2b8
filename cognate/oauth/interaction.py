"""The authorize request and its completion: the contract between /oauth2/authorize and the hosted UI
(style principle 9). As in Cognito, the request travels in the URL (`/login?client_id=...&redirect_uri=...`);
every page re-validates it with `load_authorize_request` and ends with `finish_authorize`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from cognate.domain.clients import AppClient
from cognate.domain.errors import ResourceNotFoundException
from cognate.domain.pools import UserPool
from cognate.domain.redirects import matches_registered
from cognate.domain.tokens import Grant, effective_scopes
from cognate.domain.users import User
from cognate.oauth.errors import (
    InvalidRequest,
    InvalidScope,
    OAuthError,
    UnauthorizedClient,
    UnsupportedResponseType,
)
from cognate.services.authorization_codes import CodeRequest, issue_authorization_code
from cognate.services.clients import get_client
from cognate.services.deps import Deps
from cognate.services.pools import get_pool
from cognate.services.resource_servers import pool_scopes
from cognate.services.tokens.minting import mint_tokens, new_origin_jti

PARAMS = ("response_type", "client_id", "redirect_uri", "state", "scope", "code_challenge", "code_challenge_method",
          "nonce", "identity_provider", "idp_identifier", "prompt", "lang", "login_hint")
RESPONSE_FLOWS = {"code": "code", "token": "implicit"}


class ErrorPage(Exception):
    """Unknown client or unregistered redirect URI: never redirect; show a page (spec §1.1 errors)."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error, self.description = error, description


class ErrorRedirect(Exception):
    """Any later error goes back to the validated redirect URI (query for code, fragment for token)."""

    def __init__(self, error: OAuthError, location: str) -> None:
        super().__init__(error.description)
        self.error, self.location = error, location


@dataclass(frozen=True)
class AuthorizeRequest:
    pool: UserPool
    client: AppClient
    response_type: str
    redirect_uri: str
    scopes: tuple[str, ...]
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def state(self) -> str | None:
        return self.params.get("state")

    @property
    def prompt(self) -> str | None:
        return self.params.get("prompt")

    def query(self) -> str:
        """The request as a query string, carried from page to page."""
        return urlencode({k: v for k, v in self.params.items() if k in PARAMS})

    def redirect(self, values: Mapping[str, str]) -> str:
        """`redirect_uri` with values in the query (code) or the fragment (token), plus `state`."""
        data = dict(values)
        if self.state is not None:
            data["state"] = self.state
        if self.response_type == "token":
            return f"{self.redirect_uri}#{urlencode(data)}"
        joiner = "&" if "?" in self.redirect_uri else "?"
        return f"{self.redirect_uri}{joiner}{urlencode(data)}"

    def fail(self, error: OAuthError) -> ErrorRedirect:
        values = {"error": error.error}
        if error.description:
            values["error_description"] = error.description
        return ErrorRedirect(error, self.redirect(values))


async def _client(deps: Deps, params: Mapping[str, str], host_pool: str | None) -> tuple[AppClient, UserPool]:
    client_id = params.get("client_id")
    if not client_id:
        raise ErrorPage("invalid_request", "Missing required parameter client_id in request URL")
    try:
        client = await get_client(deps, client_id, pool_id=host_pool)
    except ResourceNotFoundException:
        raise ErrorPage("redirect_mismatch", "The client is not known.") from None
    return client, await get_pool(deps, client.pool_id)


def _redirect_uri(client: AppClient, params: Mapping[str, str]) -> str:
    given = params.get("redirect_uri")
    if given is None and client.default_redirect_uri:
        return client.default_redirect_uri
    if given is None or not matches_registered(given, client.callback_urls):
        raise ErrorPage("redirect_mismatch", "The redirect_uri is not registered for this client.")
    return given


async def load_authorize_request(deps: Deps, params: Mapping[str, str], *,
                                 host_pool: str | None = None) -> AuthorizeRequest:
    """Validate in Cognito's order: client and redirect URI first (page), then the rest (redirect)."""
    client, pool = await _client(deps, params, host_pool)
    redirect_uri = _redirect_uri(client, params)
    response_type = params.get("response_type", "")
    shell = AuthorizeRequest(pool=pool, client=client, response_type="token" if response_type == "token" else "code",
                             redirect_uri=redirect_uri, scopes=(), params=dict(params))
    _check_response_type(shell, client, response_type)
    _check_pkce(shell, params)
    _check_idp(shell, client, params)
    scopes = await _scopes(deps, shell, client, params.get("scope"))
    _check_pkce_required(shell, params, required_for_public_clients=deps.require_pkce_for_public_clients)
    return AuthorizeRequest(pool=pool, client=client, response_type=response_type, redirect_uri=redirect_uri,
                            scopes=scopes, params=dict(params))


def _check_response_type(req: AuthorizeRequest, client: AppClient, response_type: str) -> None:
    if not response_type:
        raise req.fail(InvalidRequest("response_type is required"))
    if response_type not in RESPONSE_FLOWS:
        raise req.fail(UnsupportedResponseType(f"response_type {response_type} is not supported"))
    if not client.allowed_oauth_flows_user_pool_client or RESPONSE_FLOWS[response_type] not in \
            client.allowed_oauth_flows:
        raise req.fail(UnauthorizedClient(f"The {RESPONSE_FLOWS[response_type]} flow is not allowed for this client"))


def _check_pkce_required(req: AuthorizeRequest, params: Mapping[str, str], *,
                         required_for_public_clients: bool) -> None:
    """A client that needs PKCE (its `CognatePkceRequired`, or the operator's policy for public clients) may not
    use the code flow without a code_challenge; for others it is optional, as in Cognito."""
    needs = req.client.needs_pkce(required_for_public_clients=required_for_public_clients)
    if needs and req.response_type == "code" and not params.get("code_challenge"):
        raise req.fail(InvalidRequest("code_challenge required"))


def _check_pkce(req: AuthorizeRequest, params: Mapping[str, str]) -> None:
    challenge, method = params.get("code_challenge"), params.get("code_challenge_method")
    if challenge is None and method is None:
        return
    if not challenge or not method:
        raise req.fail(InvalidRequest("code_challenge and code_challenge_method must be sent together"))
    if method != "S256":
        raise req.fail(InvalidRequest("code_challenge_method must be S256"))
    if not 43 <= len(challenge) <= 128:
        raise req.fail(InvalidRequest("code_challenge is malformed"))


def _check_idp(req: AuthorizeRequest, client: AppClient, params: Mapping[str, str]) -> None:
    idp = params.get("identity_provider")
    if idp is not None and idp not in client.supported_identity_providers:
        raise req.fail(UnauthorizedClient(f"identity_provider {idp} is not enabled for this client"))
    if not client.supported_identity_providers:
        raise req.fail(UnauthorizedClient("No identity provider is enabled for this client"))


async def _scopes(deps: Deps, req: AuthorizeRequest, client: AppClient, raw: str | None) -> tuple[str, ...]:
    """Requested ∩ allowed; none requested = all allowed; scopes of deleted resource servers dropped (spec §1.1)."""
    existing = await pool_scopes(deps, client.pool_id)
    requested = None if raw is None else raw.split()
    scopes = effective_scopes(requested, client.allowed_oauth_scopes, existing)
    if not scopes:
        raise req.fail(InvalidScope("None of the requested scopes is allowed for this client"))
    return scopes


async def finish_authorize(deps: Deps, req: AuthorizeRequest, user: User, *, auth_time: int) -> str:
    """Where the browser goes after sign-in: `redirect_uri?code=...&state=...` or the implicit fragment."""
    nonce = req.params.get("nonce")
    if req.response_type == "code":
        raw = await issue_authorization_code(deps, CodeRequest(
            pool=req.pool, client=req.client, user=user, redirect_uri=req.redirect_uri, scopes=req.scopes,
            auth_time=auth_time, nonce=nonce, code_challenge=req.params.get("code_challenge")))
        return req.redirect({"code": raw})
    grant = Grant(pool=req.pool, client=req.client, user=user, scopes=req.scopes, auth_time=auth_time,
                  origin_jti=new_origin_jti(), oauth=True, nonce=nonce)
    tokens = await mint_tokens(deps, grant, issue_refresh_token=False, issue_id_token="openid" in req.scopes,
                               id_token_at_hash=True)
    values = {"access_token": tokens.access_token}
    if tokens.id_token:
        values = {"id_token": tokens.id_token, **values}
    return req.redirect({**values, "token_type": "bearer", "expires_in": str(tokens.expires_in)})

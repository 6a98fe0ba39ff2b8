"""The authorization endpoint's pipeline (RFC 6749 §3.1, §4.1.1, §4.2.1; OIDC Core §3.1.2.1; spec §1.1).

In order: parse once (no repeated parameters), validate the request (`interaction.load_authorize_request`:
client and redirect URI first, then the rest), then answer from a live hosted-UI session (single sign-on),
refuse `prompt=none` without one, or send the browser to `/login` with the request preserved.
"""

from __future__ import annotations

from urllib.parse import urlencode

from cognate.oauth.errors import InvalidRequest, LoginRequired
from cognate.oauth.interaction import AuthorizeRequest, ErrorPage, finish_authorize, load_authorize_request
from cognate.oauth.requests import parse_query
from cognate.oauth.vocab import COGNITO_IDP, PROMPT_LOGIN, PROMPT_NONE
from cognate.services.deps import Deps
from cognate.services.sessions import current_session

LOGIN_PATH = "/login"
ERROR_PATH = "/error"


def error_page(error: str, description: str, client_id: str | None) -> str:
    """The hosted UI's error page on the same host: never the client's redirect URI (spec §1.1 errors)."""
    values = {"error": error, "error_description": description}
    if client_id:
        values["client_id"] = client_id
    return f"{ERROR_PATH}?{urlencode(values)}"


async def _single_sign_on(deps: Deps, req: AuthorizeRequest, session_id: str | None) -> str | None:
    """The redirect with a code or tokens when the browser already has a session here (spec §1: 1-hour cookie)."""
    if req.prompt == PROMPT_LOGIN or COGNITO_IDP not in req.client.supported_identity_providers:
        return None
    found = await current_session(deps, session_id, req.pool.id)
    if found is None:
        return None
    session, user = found
    return await finish_authorize(deps, req, user, auth_time=session.auth_time)


async def authorize(deps: Deps, raw_query: str, *, host_pool: str | None, session_id: str | None) -> str:
    """Where the browser goes next. Raises `ErrorPage` or `ErrorRedirect` (interaction) for refusals."""
    try:
        params = parse_query(raw_query)
    except InvalidRequest as exc:
        raise ErrorPage(exc.error, exc.description) from None
    req = await load_authorize_request(deps, params, host_pool=host_pool)
    answered = await _single_sign_on(deps, req, session_id)
    if answered is not None:
        return answered
    if req.prompt == PROMPT_NONE:
        raise req.fail(LoginRequired("The user is not signed in"))
    return f"{LOGIN_PATH}?{req.query()}"

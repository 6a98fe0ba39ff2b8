"""Thin HTTP endpoints of the OAuth surface (spec §1): parse, call one function, render; nothing else.

CORS: browsers' apps call token, userInfo, revoke, discovery and JWKS directly, so those answer any origin
(no cookies are involved); the authorize endpoint is a browser navigation and never gets CORS headers.
Discovery and JWKS may be cached for one second (the bound on configuration changes) and carry an ETag, so a
client revalidating with If-None-Match gets a 304.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from cognate.domain.errors import ResourceNotFoundException, UnexpectedLambdaException
from cognate.domain.ids import is_pool_id
from cognate.oauth.authorize import authorize, error_page
from cognate.oauth.client_auth import authenticate_client
from cognate.oauth.errors import InvalidRequest, OAuthError, TemporarilyUnavailable, TooManyRequests
from cognate.oauth.interaction import ErrorPage, ErrorRedirect
from cognate.oauth.requests import bearer_token, bounded_body, form_request, read_form
from cognate.oauth.revoke import revoke
from cognate.oauth.token import exchange, token_body
from cognate.oauth.userinfo import userinfo
from cognate.oauth.vocab import ANY_ORIGIN, JSON_UTF8, MAX_BODY, NO_STORE
from cognate.oauth.well_known import rendered
from cognate.services.deps import Deps
from cognate.services.rate_limit import RateLimited, charge_failure, check_caller
from cognate.web.asgi import Disconnected, encode_headers, read_body, request_headers, send_response
from cognate.web.cookies import session_cookie_name
from cognate.web.errors import Renderer
from cognate.web.hosts import host_pool_id, is_https, pool_of_host
from cognate.web.observe import REASON

Endpoint = Callable[[Request], Awaitable[Response]]
PREFLIGHT = {**ANY_ORIGIN, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
             "Access-Control-Allow-Headers": "Authorization, Content-Type, If-None-Match",
             "Access-Control-Max-Age": "600"}


def _deps(request: Request) -> Deps:
    deps: Deps = request.app.state.deps
    return deps


def cors(endpoint: Endpoint) -> Endpoint:
    """Answer preflights, and let any origin read the response."""
    async def wrapped(request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers=PREFLIGHT)
        response = await endpoint(request)
        response.headers.update(ANY_ORIGIN)
        return response
    return wrapped


async def authorize_endpoint(request: Request) -> Response:
    deps = _deps(request)
    session_id = request.cookies.get(session_cookie_name(is_https(request, deps.public_url)))
    try:
        location = await authorize(deps, request.url.query, host_pool=await host_pool_id(deps, request),
                                   session_id=session_id)
    except ErrorPage as exc:
        request.scope[REASON] = exc.error
        location = error_page(exc.error, exc.description, request.query_params.get("client_id"))
    except ErrorRedirect as exc:
        request.scope[REASON] = exc.error.error
        location = exc.location
    return RedirectResponse(location, status_code=302, headers=NO_STORE)


class TokenEndpoint:
    """POST /oauth2/token as a bare ASGI app (`web.asgi` says why); errors, the 429 and the preflight, which are
    rare, still go through Starlette's responses, and an outage (`Unavailable`) through the app's handler."""

    HEADERS = encode_headers({"Content-Type": JSON_UTF8, **NO_STORE, **ANY_ORIGIN})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] == "OPTIONS":
            await Response(status_code=204, headers=PREFLIGHT)(scope, receive, send)
            return
        try:
            body = await self._exchange(scope["app"].state.deps, scope, receive)
        except Disconnected:
            return
        except RateLimited as exc:
            error: OAuthError = TooManyRequests(exc.retry_after)
        except OAuthError as exc:
            error = exc
        else:
            await send_response(send, 200, self.HEADERS, body)
            return
        scope[REASON] = error.error
        await error.to_json(headers=ANY_ORIGIN)(scope, receive, send)

    @staticmethod
    async def _exchange(deps: Deps, scope: Scope, receive: Receive) -> bytes:
        headers = request_headers(scope, (b"host", b"content-type", b"authorization"))
        body = await bounded_body(read_body(receive, MAX_BODY))
        form = form_request(query=scope.get("query_string", b""), content_type=headers.get(b"content-type"),
                            authorization=headers.get(b"authorization"), body=body)
        await check_caller(deps, client_id=form.credentials.client_id)
        host_pool = await pool_of_host(deps, headers.get(b"host", ""))
        try:
            return token_body(await exchange(deps, form, host_pool=host_pool))
        except UnexpectedLambdaException as exc:  # a trigger the pool names would run: a setting, not a fault, so 400
            raise InvalidRequest(exc.message) from None
        except OAuthError as exc:
            if exc.failed_guess:
                await charge_failure(deps)
            raise


async def userinfo_endpoint(request: Request) -> Response:
    deps = _deps(request)
    try:
        token = bearer_token(request.headers.get("authorization"))
        claims = await userinfo(deps, token, host_pool=await host_pool_id(deps, request))
    except OAuthError as exc:
        request.scope[REASON] = exc.error
        return exc.to_json(headers={"WWW-Authenticate": exc.bearer_challenge()})
    return JSONResponse(claims, headers=NO_STORE)


async def revoke_endpoint(request: Request) -> Response:
    deps = _deps(request)
    try:
        form = await read_form(request)
        client = await authenticate_client(deps, form.credentials, host_pool=await host_pool_id(deps, request))
        await revoke(deps, client, form.get("token"))
    except OAuthError as exc:
        request.scope[REASON] = exc.error
        return exc.to_json()
    return Response(status_code=200, headers=NO_STORE)


def _not_found(pool_id: str) -> JSONResponse:
    return JSONResponse({"message": f"User pool {pool_id} does not exist."}, status_code=404)


async def well_known(request: Request) -> Response:
    """Discovery or JWKS (the path's last segment) with an ETag; `WellKnownFastPath` serves repeats."""
    pool_id, name = request.path_params["pool_id"], request.scope["path"].rsplit("/", 1)[-1]
    if not is_pool_id(pool_id):
        return _not_found(pool_id)
    try:
        document = await rendered(_deps(request), pool_id, name)
    except ResourceNotFoundException:
        return _not_found(pool_id)
    status, headers, body = document.answer(request.headers.get("if-none-match"))
    response = Response(body, status_code=status)
    response.raw_headers = headers
    return response


async def unavailable(request: Request) -> Response:
    """A database outage (rendered by the app's handler): RFC 6749 §4.1.2.1's `temporarily_unavailable`, as JSON
    with 503 and `Retry-After`, since no redirect URI can be validated without the database."""
    error = TemporarilyUnavailable("The service is temporarily unavailable. Try again shortly.")
    request.scope[REASON] = error.error
    cross_origin = {} if request.url.path == "/oauth2/authorize" else ANY_ORIGIN
    return error.to_json(headers={"Retry-After": "1", **cross_origin})


UNAVAILABLE: Renderer = unavailable

routes = [
    Route("/oauth2/authorize", authorize_endpoint, methods=["GET"]),
    Route("/oauth2/token", TokenEndpoint(), methods=["POST", "OPTIONS"]),
    Route("/oauth2/userInfo", cors(userinfo_endpoint), methods=["GET", "POST", "OPTIONS"]),
    Route("/oauth2/revoke", cors(revoke_endpoint), methods=["POST", "OPTIONS"]),
    Route("/{pool_id}/.well-known/openid-configuration", cors(well_known), methods=["GET", "OPTIONS"]),
    Route("/{pool_id}/.well-known/jwks.json", cors(well_known), methods=["GET", "OPTIONS"]),
]

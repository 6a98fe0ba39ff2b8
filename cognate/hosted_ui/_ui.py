"""Per-request plumbing of the hosted-UI handlers: which pool and app the page is for, the language, the CSRF
token, the page chrome, and turning `ErrorPage` / `ErrorRedirect` / a foreign form into a response.

Handlers raise `Respond` to stop early with a response; the `page` decorator returns it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import Message

from cognate.domain.clients import AppClient
from cognate.domain.errors import CognitoError, ResourceNotFoundException
from cognate.domain.pools import UserPool
from cognate.domain.ui_customization import UiCustomization
from cognate.hosted_ui import pages
from cognate.hosted_ui.messages import LANGUAGES, Translator, choose_language, oauth_error_key, sentence
from cognate.oauth.interaction import AuthorizeRequest, ErrorPage, ErrorRedirect, load_authorize_request
from cognate.services.client_auth import secret_hash
from cognate.services.clients import get_client
from cognate.services.deps import Deps
from cognate.services.pools import get_pool
from cognate.services.rate_limit import RateLimited, charge_failure, check_caller
from cognate.services.ui_customization import page_customization
from cognate.web.asgi import BodyTooLarge, Disconnected, read_request_body
from cognate.web.csrf import FIELD, Csrf, CsrfToken, same_origin
from cognate.web.errors import app_handles
from cognate.web.hosts import host_pool_id, is_https
from cognate.web.observe import REASON

log = logging.getLogger("cognate.hosted_ui")
Handler = Callable[[Request], Awaitable[Response]]
# A hosted-UI form is a few fields of at most a few hundred characters; refuse anything absurd before parsing.
MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 100


class Respond(Exception):
    """A control-flow signal: stop the handler and answer with `response`."""

    def __init__(self, response: Response) -> None:
        super().__init__("respond")
        self.response = response


@dataclass(frozen=True)
class Target:
    """What a page signs the user in to. `request` is None on pages reached without a full authorize request
    (the e-mail link `/confirmUser?client_id&user_name&confirmation_code`); they end on a "done" page."""

    pool: UserPool
    client: AppClient
    query: str
    request: AuthorizeRequest | None = None

    @classmethod
    def of(cls, req: AuthorizeRequest) -> Target:
        """The target of a full authorize request: its pool and app, the query the page's links carry on."""
        return cls(pool=req.pool, client=req.client, query=req.query(), request=req)

    def secret_hash(self, username: str) -> str | None:
        """The hosted UI acts for the app, so it proves the client secret itself (spec §8)."""
        return secret_hash(self.client, username) if self.client.secret else None


class Ui:
    def __init__(self, request: Request, deps: Deps, host_pool: str | None) -> None:
        self.request = request
        self.deps = deps
        self.host_pool = host_pool
        self.https = is_https(request, deps.public_url)
        self.params = dict(request.query_params)
        self.t = Translator(choose_language(self.params.get("lang"), request.headers.get("accept-language")))
        self.csrf = Csrf(deps.sealer.derive("csrf"))
        self._token: CsrfToken | None = None
        self._looks: dict[str, UiCustomization | None] = {}  # by client id: SetUICustomization's, if any

    @classmethod
    async def begin(cls, request: Request) -> Ui:
        deps: Deps = request.app.state.deps
        return cls(request, deps, await host_pool_id(deps, request))

    @property
    def request_id(self) -> str:
        return str(self.request.scope.get("state", {}).get("request_id", ""))

    def token(self) -> CsrfToken:
        if self._token is None:
            self._token = self.csrf.token(self.request, https=self.https)
        return self._token

    async def form(self) -> FormData:
        """The submitted form, after the CSRF check (a readable 403 page otherwise). At most MAX_FORM_BYTES are
        read (413 page beyond, declared or streamed); a body the form parser rejects is a 400 page."""
        try:
            body = await read_request_body(self.request, MAX_FORM_BYTES)
        except BodyTooLarge:
            raise Respond(self.error_page("request_too_large", None, status=413)) from None
        except Disconnected:
            raise Respond(self.error_page("invalid_request", None)) from None  # nobody is left to read it

        async def replay() -> Message:
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await Request(self.request.scope, replay).form(max_fields=MAX_FORM_FIELDS)
        except HTTPException:
            raise Respond(self.error_page("invalid_request", None)) from None
        submitted = form.get(FIELD)
        if not self.csrf.valid(self.request, submitted if isinstance(submitted, str) else None, https=self.https):
            raise Respond(self.error_page("csrf", None, status=403, title_key="title.csrf"))
        return form

    def check_origin(self) -> None:
        """A form posted from another site's page is refused before anything happens (the readable 403 page)."""
        if not same_origin(self.request, public_url=self.deps.public_url, https=self.https):
            raise Respond(self.error_page("csrf", None, status=403, title_key="title.csrf"))

    async def check_rate(self) -> None:
        """Every hosted-UI POST submits a password or a code, or sends mail: check it (OWASP ASVS 2.2.1; one the
        page answers 400 is charged as a failure by `page`), and over a limit answer RFC 6585's 429 page with
        `Retry-After`."""
        try:
            await check_caller(self.deps, client_id=self.params.get("client_id"))
        except RateLimited as exc:
            response = self.error_page("too_many_requests", None, status=429, title_key="title.too_many_requests")
            response.headers["Retry-After"] = str(exc.retry_after)
            raise Respond(response) from None

    # --- what the page is for -------------------------------------------------------------------------------

    async def authorize(self, params: Mapping[str, str] | None = None) -> AuthorizeRequest:
        """The authorize request of this page's query (or of `params`, one carried over from an earlier page)."""
        try:
            req = await load_authorize_request(self.deps, self.params if params is None else params,
                                               host_pool=self.host_pool)
        except ErrorPage as exc:
            raise Respond(self.error_page(exc.error, exc.description)) from None
        except ErrorRedirect as exc:
            raise Respond(self.redirect(exc.location)) from None
        await self._look_up(req.pool, req.client)
        return req

    async def target(self) -> Target:
        """A full authorize request when the query has one; else just the app named by `client_id`."""
        if "redirect_uri" in self.params or "response_type" in self.params:
            req = await self.authorize()
            return Target.of(req)
        client, pool = await self.client_only(self.params.get("client_id"))
        kept = {k: v for k, v in self.params.items() if k in ("client_id", "lang")}
        return Target(pool=pool, client=client, query=urlencode(kept))

    async def client_only(self, client_id: str | None) -> tuple[AppClient, UserPool]:
        if not client_id:
            raise Respond(self.error_page("invalid_request", "Missing required parameter client_id in request URL"))
        try:
            client = await get_client(self.deps, client_id, pool_id=self.host_pool)
            pool = await get_pool(self.deps, client.pool_id)
        except ResourceNotFoundException:
            raise Respond(self.error_page("unknown_client", "The client is not known.")) from None
        await self._look_up(pool, client)
        return client, pool

    async def _look_up(self, pool: UserPool, client: AppClient) -> None:
        """The client's classic customization, read before any page of it is drawn (drawing is synchronous)."""
        if client.id not in self._looks:
            self._looks[client.id] = await page_customization(self.deps, pool.id, client.id)

    # --- responses ------------------------------------------------------------------------------------------

    def chrome(self, target: Target | None = None) -> pages.Chrome:
        pool, client = (target.pool, target.client) if target else (None, None)
        branding = pool.branding if pool else None
        theme = f"/hosted-ui/theme/{pool.id}.css?v={int(pool.updated_at)}" if pool and branding else None
        look = self._looks.get(client.id) if client else None
        logo = look.logo_path if look and look.image else branding.logo_url if branding else None
        return pages.Chrome(
            t=self.t, csrf=self.token().value, pool_name=pool.name if pool else "Cognate",
            client_name=client.name if client else "", logo_url=logo, theme_url=theme,
            custom_css_url=look.css_path if look and look.css else None, query=target.query if target else "",
            languages=self._languages())

    def _languages(self) -> list[pages.Link]:
        links = []
        for lang in LANGUAGES:
            query = urlencode({**{k: v for k, v in self.params.items() if k != "lang"}, "lang": lang})
            links.append(pages.Link(href=f"{self.request.url.path}?{query}", label=Translator(lang)("lang.name"),
                                    lang=lang, current=lang == self.t.lang))
        return links

    def html(self, body: str, status: int = 200) -> Response:
        response = HTMLResponse(body, status_code=status)
        self.token().set_cookie(response, https=self.https)
        return response

    def redirect(self, location: str) -> Response:
        """302 after a GET (Cognito's redirects), 303 after a POST (the browser must not resend the form)."""
        return RedirectResponse(location, status_code=303 if self.request.method == "POST" else 302)

    def sentence(self, exc: CognitoError, *, page: str = "") -> str:
        """What the person reads for `exc`; its Cognito name goes to the access log as the refusal's reason."""
        self.request.scope[REASON] = exc.name
        return sentence(exc, self.t, page=page)

    def error_page(self, error: str, description: str | None, *, status: int = 400,
                   title_key: str = "title.error", target: Target | None = None) -> Response:
        self.request.scope[REASON] = error
        body = pages.error(self.chrome(target), title=self.t(title_key), explanation=self.t(oauth_error_key(error)),
                           details=description, request_id=self.request_id)
        return self.html(body, status)


async def unavailable_page(request: Request) -> Response:
    """The page a database outage shows (rendered by the app's handler): no pool lookup, no details, a retry hint."""
    deps: Deps = request.app.state.deps
    ui = Ui(request, deps, None)
    response = ui.error_page("temporarily_unavailable", None, status=503, title_key="title.unavailable")
    response.headers["Retry-After"] = "1"
    return response


def page(handler: Callable[[Ui], Awaitable[Response]]) -> Handler:
    """Run a handler with its `Ui`; `Respond` ends it early; an unexpected failure is logged and shown calmly."""

    @functools.wraps(handler)
    async def endpoint(request: Request) -> Response:
        ui = await Ui.begin(request)
        try:
            if request.method == "POST":
                ui.check_origin()
                await ui.check_rate()
            response = await handler(ui)
        except Respond as stop:
            response = stop.response
        except Exception as exc:
            if app_handles(request, exc):  # e.g. the store's Unavailable → `unavailable_page`
                raise
            log.exception("hosted UI failure", extra={"fields": {"request_id": ui.request_id}})
            return ui.error_page("server_error", None, status=500, title_key="title.server_error")
        if request.method == "POST" and response.status_code == 400:  # the form did not go through: a failure
            await charge_failure(ui.deps)
        return response

    return endpoint


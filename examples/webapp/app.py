"""A small relying-party web app that signs people in through Cognate's hosted UI (OpenID Connect Core 1.0 §3.1,
the authorization code flow, with PKCE S256 per RFC 7636).

    /          signed in: the ID token's claims and a "Sign out" button; otherwise a "Sign in" link
    /login     makes `state`, `nonce` and a PKCE verifier, keeps them in the session, sends the browser to Cognate
    /callback  checks `state`, exchanges the code at `/oauth2/token`, verifies the ID token (`cognate.verify`:
               signature, `iss`, `exp`, `token_use` id, `aud` = client id) and its `nonce`, keeps the claims
    /logout    (POST) forgets the session and sends the browser to Cognate's `/logout?client_id&logout_uri`

The session is Starlette's signed cookie (itsdangerous; HttpOnly, SameSite=Lax, Secure on https). Configuration
comes from the environment (see README.md): COGNATE_URL, POOL_ID or ISSUER, CLIENT_ID, CLIENT_SECRET, APP_URL.
Run it with `.venv/bin/uvicorn examples.webapp.app:app --port 8000`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import secrets
import sys
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
from starlette.applications import Starlette
from starlette.datastructures import URL
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from cognate.verify import TokenInvalid, Verifier

DEFAULT_COGNATE_URL = "http://127.0.0.1:9229"
DEFAULT_APP_URL = "http://localhost:8000"
DEFAULT_SCOPES = "openid email profile"
SESSION_COOKIE = "webapp_session"
SESSION_SECONDS = 8 * 3600
TIME_CLAIMS = ("auth_time", "exp", "iat")


# --- configuration --------------------------------------------------------------------------------------------


class ConfigError(Exception):
    """The environment does not describe a usable set-up; the message says what to set."""


@dataclass(frozen=True)
class Settings:
    cognate_url: str
    pool_id: str | None
    issuer: str | None
    client_id: str
    client_secret: str | None
    app_url: str
    scopes: str
    session_secret: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Settings:
        def get(name: str, default: str | None = None) -> str | None:
            value = env.get(name, "").strip()
            return value or default

        client_id, pool_id, issuer = get("CLIENT_ID"), get("POOL_ID"), get("ISSUER")
        if not client_id:
            raise ConfigError("set CLIENT_ID to the app client's id (`cognate client list <pool id>`)")
        if not pool_id and not issuer:
            raise ConfigError("set POOL_ID (with COGNATE_URL) or ISSUER to say which user pool signs people in")
        app_url = (get("APP_URL", DEFAULT_APP_URL) or DEFAULT_APP_URL).rstrip("/")
        if urlsplit(app_url).scheme not in ("http", "https") or not urlsplit(app_url).netloc:
            raise ConfigError(f"APP_URL must be an http(s) URL such as {DEFAULT_APP_URL}, not {app_url!r}")
        return cls(cognate_url=(get("COGNATE_URL", DEFAULT_COGNATE_URL) or DEFAULT_COGNATE_URL).rstrip("/"),
                   pool_id=pool_id, issuer=issuer.rstrip("/") if issuer else None, client_id=client_id,
                   client_secret=get("CLIENT_SECRET"), app_url=app_url,
                   scopes=get("SCOPES", DEFAULT_SCOPES) or DEFAULT_SCOPES,
                   session_secret=get("SESSION_SECRET") or secrets.token_urlsafe(32))

    @property
    def discovery_url(self) -> str:
        base = self.issuer or f"{self.cognate_url}/{self.pool_id}"
        return f"{base}/.well-known/openid-configuration"

    @property
    def redirect_uri(self) -> str:
        return f"{self.app_url}/callback"

    @property
    def logout_uri(self) -> str:
        return f"{self.app_url}/"


# --- talking to Cognate ---------------------------------------------------------------------------------------


class LoopbackTransport(httpx.AsyncBaseTransport):
    """Connects names under `.localhost` (a pool domain such as `demo.auth.localhost`) to 127.0.0.1 and keeps the
    Host header: RFC 6761 §6.3 makes them loopback, browsers treat them so, but the system resolver often does not."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host.endswith(".localhost"):
            request.url = request.url.copy_with(host="127.0.0.1")
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass(frozen=True)
class Endpoints:
    issuer: str
    authorize: str
    token: str
    logout: str


class SignInFailed(Exception):
    """A sign-in that must not go ahead; `message` is safe to show, `detail` is for the log."""

    def __init__(self, message: str, detail: str = "", status: int = 400) -> None:
        super().__init__(detail or message)
        self.message, self.detail, self.status = message, detail, status


class Provider:
    """Cognate as this app sees it: endpoints from the discovery document (fetched on first use), the token
    exchange and the ID token verifier."""

    def __init__(self, settings: Settings, http: httpx.AsyncClient) -> None:
        self.settings, self.http = settings, http
        self._endpoints: Endpoints | None = None
        self._verifier: Verifier | None = None

    async def endpoints(self) -> Endpoints:
        if self._endpoints is None:
            url = self.settings.discovery_url
            try:
                response = await self.http.get(url)
                response.raise_for_status()
                doc = response.json()
                issuer = str(doc["issuer"]).rstrip("/")
                authorize = str(doc["authorization_endpoint"])
                token = str(doc["token_endpoint"])
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                raise SignInFailed(f"Cannot read Cognate's discovery document at {url}.", repr(exc), 502) from None
            if self.settings.issuer and issuer != self.settings.issuer:
                raise SignInFailed("The discovery document names another issuer.", issuer, 502)
            logout = str(doc.get("end_session_endpoint") or authorize.rsplit("/oauth2/", 1)[0] + "/logout")
            self._endpoints = Endpoints(issuer=issuer, authorize=authorize, token=token, logout=logout)
            self._verifier = Verifier(issuer, client_ids=[self.settings.client_id], token_use="id",
                                      async_http=self.http)
        return self._endpoints

    async def exchange(self, code: str, verifier: str) -> dict[str, Any]:
        """RFC 6749 §4.1.3 with the PKCE verifier; a public client names itself, a confidential one uses Basic."""
        endpoints = await self.endpoints()
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.settings.redirect_uri,
                "code_verifier": verifier}
        secret = self.settings.client_secret
        try:
            if secret:  # client_secret_basic
                response = await self.http.post(endpoints.token, data=form,
                                                auth=httpx.BasicAuth(self.settings.client_id, secret))
            else:
                response = await self.http.post(endpoints.token, data={**form, "client_id": self.settings.client_id})
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise SignInFailed("Cognate's token endpoint did not answer.", repr(exc), 502) from None
        if response.status_code != 200 or not isinstance(body, dict) or not body.get("id_token"):
            error = body.get("error", "no id_token") if isinstance(body, dict) else "unexpected answer"
            raise SignInFailed(f"Cognate refused to exchange the code ({error}).", str(body))
        return body

    async def verify_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        await self.endpoints()
        assert self._verifier is not None
        try:
            claims = await self._verifier.averify(id_token)
        except TokenInvalid as exc:
            raise SignInFailed("The ID token is not valid.", exc.reason) from None
        if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(claims["nonce"], nonce):
            raise SignInFailed("The ID token was not issued for this sign-in (nonce).", str(claims.get("nonce")))
        return claims


def _provider(request: Request) -> Provider:
    provider: Provider = request.app.state.provider
    return provider


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 §4.2: BASE64URL(SHA256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


# --- pages ----------------------------------------------------------------------------------------------------

CSS = """
:root { --bg: #f3f4f7; --card: #fff; --text: #1b1f27; --muted: #555c69; --border: #d5d9e0; --primary: #1a56c4;
  --on-primary: #fff; --error: #b3261e; --error-bg: #fdecea; --notice: #0f6b3a; --notice-bg: #e6f4ea;
  color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0f1115; --card: #1a1d23; --text: #e8eaed; --muted: #a9b0bb; --border: #30343c; --primary: #8ab4f8;
    --on-primary: #0b1220; --error: #f2b8b5; --error-bg: #3b1a19; --notice: #a8dab5; --notice-bg: #15301f; }
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); line-height: 1.5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { background: var(--card); border-bottom: 1px solid var(--border); }
header div, main, footer { max-width: 48rem; margin: 0 auto; padding: 0 1rem; }
header div { display: flex; align-items: center; justify-content: space-between; min-height: 3.5rem; }
header strong { font-size: 1.1rem; }
main { padding-top: 2rem; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 10px; padding: 1.5rem; }
.card > :last-child { margin-bottom: 0; }
h1 { font-size: 1.5rem; margin: 0 0 .75rem; }
p { margin: 0 0 1rem; }
.muted, footer { color: var(--muted); }
footer { font-size: .85rem; padding-top: 1rem; padding-bottom: 2rem; overflow-wrap: anywhere; }
.button { display: inline-block; border: 0; border-radius: 8px; padding: .6rem 1.2rem; font: inherit;
  font-weight: 600; background: var(--primary); color: var(--on-primary); text-decoration: none; cursor: pointer; }
.button:focus-visible { outline: 3px solid var(--primary); outline-offset: 2px; }
.notice, .error { border-radius: 8px; padding: .6rem .9rem; margin-bottom: 1rem; }
.notice { background: var(--notice-bg); color: var(--notice); }
.error { background: var(--error-bg); color: var(--error); }
table { width: 100%; border-collapse: collapse; margin: 0 0 1.25rem; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .5rem; border-top: 1px solid var(--border); }
th { white-space: nowrap; font-weight: 600; width: 1%; }
td { overflow-wrap: anywhere; }
td small { color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; }
@media (max-width: 30rem) { th, td { display: block; width: auto; border: 0; padding: .1rem 0; }
  th { border-top: 1px solid var(--border); padding-top: .5rem; } }
"""

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _page(request: Request, title: str, body: str, status: int = 200) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    issuer = settings.issuer or f"{settings.cognate_url}/{settings.pool_id}"
    document = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} · Example app</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header><div><strong>Example app</strong><span class="muted">signs in with Cognate</span></div></header>
<main><div class="card">
{body}
</div></main>
<footer>Issuer <code>{_e(issuer)}</code> · client <code>{_e(settings.client_id)}</code></footer>
</body>
</html>
"""
    return HTMLResponse(document, status_code=status, headers=SECURITY_HEADERS)


def _claim_value(name: str, value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if name in TIME_CLAIMS and isinstance(value, int):
        when = datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"{_e(text)} <small>({when})</small>"
    return _e(text)


async def index(request: Request) -> Response:
    user = request.session.get("user")
    if isinstance(user, dict) and isinstance(user.get("exp"), int) and user["exp"] > time.time():
        name = user.get("given_name") or user.get("email") or user.get("cognito:username")
        rows = "\n".join(f"<tr><th scope=\"row\"><code>{_e(k)}</code></th><td>{_claim_value(k, v)}</td></tr>"
                         for k, v in sorted(user.items()))
        return _page(request, "Signed in", f"""<h1>Hello, {_e(name)}</h1>
<p>You are signed in as <strong>{_e(user.get("email") or user.get("cognito:username"))}</strong>
(user name <code>{_e(user.get("cognito:username"))}</code>). The verified ID token says:</p>
<table>
{rows}
</table>
<form method="post" action="/logout"><button class="button" type="submit">Sign out</button></form>""")
    expired = user is not None
    signed_out = request.session.pop("signed_out", False)
    request.session.pop("user", None)
    if signed_out:
        heading, notice = "You are signed out", '<p class="notice" role="status">You have been signed out.</p>'
    elif expired:
        heading, notice = "Your session has ended", '<p class="notice" role="status">Please sign in again.</p>'
    else:
        heading, notice = "Welcome", ""
    return _page(request, "Signed out", f"""<h1>{heading}</h1>
{notice}
<p>This app signs you in with Cognate's hosted UI and shows what the ID token says about you.</p>
<p><a class="button" href="/login">Sign in</a></p>""")


async def login(request: Request) -> Response:
    provider = _provider(request)
    try:
        endpoints = await provider.endpoints()
    except SignInFailed as exc:
        return _failed(request, exc)
    state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
    request.session["pending"] = {"state": state, "nonce": nonce, "verifier": verifier}
    query = urlencode({"response_type": "code", "client_id": provider.settings.client_id,
                       "redirect_uri": provider.settings.redirect_uri, "scope": provider.settings.scopes,
                       "state": state, "nonce": nonce, "code_challenge": pkce_challenge(verifier),
                       "code_challenge_method": "S256"})
    return RedirectResponse(f"{endpoints.authorize}?{query}", status_code=303, headers={"Cache-Control": "no-store"})


async def callback(request: Request) -> Response:
    pending = request.session.pop("pending", None)
    params = request.query_params
    state = params.get("state", "")
    if not isinstance(pending, dict) or not state or not secrets.compare_digest(state, str(pending.get("state"))):
        return _failed(request, SignInFailed(
            "This sign-in was not started here, or it was already used (the state does not match).", state))
    if params.get("error"):
        description = params.get("error_description") or params["error"]
        return _failed(request, SignInFailed(f"Cognate did not sign you in: {description}.", params["error"]))
    code = params.get("code")
    if not code:
        return _failed(request, SignInFailed("Cognate sent no authorization code."))
    provider = _provider(request)
    try:
        tokens = await provider.exchange(code, str(pending["verifier"]))
        claims = await provider.verify_id_token(str(tokens["id_token"]), str(pending["nonce"]))
    except SignInFailed as exc:
        return _failed(request, exc)
    request.session.clear()
    request.session["user"] = claims
    return RedirectResponse("/", status_code=303)


async def logout(request: Request) -> Response:
    """Forget the app's session, then end Cognate's (Cognito's `/logout` with `client_id` and `logout_uri`)."""
    request.session.clear()
    request.session["signed_out"] = True
    provider = _provider(request)
    try:
        endpoints = await provider.endpoints()
    except SignInFailed:
        return RedirectResponse("/", status_code=303)
    query = urlencode({"client_id": provider.settings.client_id, "logout_uri": provider.settings.logout_uri})
    return RedirectResponse(f"{endpoints.logout}?{query}", status_code=303)


async def stylesheet(request: Request) -> Response:
    return Response(CSS, media_type="text/css", headers={"Cache-Control": "max-age=300"})


def _failed(request: Request, exc: SignInFailed) -> Response:
    print(f"examples.webapp: sign-in failed: {exc.message} {exc.detail}".rstrip(), file=sys.stderr, flush=True)
    return _page(request, "Sign-in failed", f"""<h1>Sign-in failed</h1>
<p class="error" role="alert">{_e(exc.message)}</p>
<p><a class="button" href="/login">Sign in again</a></p>""", status=exc.status)


# --- wiring ---------------------------------------------------------------------------------------------------


class CanonicalHost:
    """Sends a browser that opened the app under another name (127.0.0.1 for localhost) to APP_URL: the session
    cookie belongs to one host, and Cognate returns to APP_URL's."""

    def __init__(self, app: ASGIApp, app_url: str) -> None:
        self.app, self.netloc = app, urlsplit(app_url).netloc.lower()
        self.app_url = app_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
            if host and host != self.netloc:
                url = URL(scope=scope)
                target = self.app_url + url.path + (f"?{url.query}" if url.query else "")
                await RedirectResponse(target, status_code=307)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None) -> Starlette:
    if settings is None:
        try:
            settings = Settings.from_env()
        except ConfigError as exc:
            raise SystemExit(f"examples.webapp: {exc} (see examples/webapp/README.md)") from None
    config = settings

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with httpx.AsyncClient(transport=LoopbackTransport(), timeout=10.0) as http:
            app.state.provider = Provider(config, http)
            yield

    app = Starlette(
        routes=[Route("/", index), Route("/login", login), Route("/callback", callback),
                Route("/logout", logout, methods=["POST"]), Route("/app.css", stylesheet)],
        middleware=[Middleware(CanonicalHost, app_url=config.app_url),
                    Middleware(SessionMiddleware, secret_key=config.session_secret, session_cookie=SESSION_COOKIE,
                               max_age=SESSION_SECONDS, same_site="lax",
                               https_only=config.app_url.startswith("https://"))],
        lifespan=lifespan,
    )
    app.state.settings = config
    return app


app = create_app()

"""`cognate login`: sign in through the hosted UI from a terminal and print the verified tokens, like
`aws sso login` (OAuth 2.0 for native apps, RFC 8252).

The browser goes through the pool's hosted UI; the authorization code comes back on a loopback redirect
(cli/loopback.py), is exchanged at the server's token endpoint with PKCE (S256, RFC 7636), and the tokens are
verified against the pool's JWKS, fetched from the server as any relying party would, before they are printed.
Everything about the client is checked before the browser opens, so a misconfigured client is one error line,
not a sign-in that ends on an error page.
"""

from __future__ import annotations

import os
import secrets
import sys
import time
import webbrowser
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import typer

from cognate.cli._common import JSON_OPTION, details, emit_json, fail, run, settings_from
from cognate.cli.loopback import CALLBACK_PATH, LoopbackReceiver
from cognate.cli.running_server import recorded_demo
from cognate.domain.clients import AppClient
from cognate.services.authorization_codes import s256
from cognate.services.clients import get_client
from cognate.services.demo import LOGIN_PORT
from cognate.services.deps import Deps


@dataclass(frozen=True)
class Attempt:
    """One sign-in's secrets: PKCE verifier, state and nonce, each fresh and used once."""

    client: AppClient
    public_url: str
    redirect_uri: str
    scopes: tuple[str, ...]
    verifier: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    state: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    nonce: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def issuer(self) -> str:
        return f"{self.public_url}/{self.client.pool_id}"

    def authorize_url(self) -> str:
        query = urlencode({"response_type": "code", "client_id": self.client.id, "redirect_uri": self.redirect_uri,
                           "scope": " ".join(self.scopes), "state": self.state, "nonce": self.nonce,
                           "code_challenge": s256(self.verifier), "code_challenge_method": "S256"})
        return f"{self.public_url}/oauth2/authorize?{query}"


def login(
    ctx: typer.Context,
    pool: str = typer.Option(None, "--pool", help="User pool id (default: the demo of `cognate serve --demo`)."),
    client: str = typer.Option(None, "--client", help="App client id (default: the demo client)."),
    scope: list[str] = typer.Option(None, "--scope", help="Scope to ask for (repeatable; default: the client's)."),
    port: int = typer.Option(None, "--port", min=1, max=65535,
                             help=f"Loopback port of the redirect http://127.0.0.1:PORT{CALLBACK_PATH}; the client "
                             f"must register that URL (default: the first such URL it registers, else {LOGIN_PORT})."),
    no_browser: bool = typer.Option(False, "--no-browser", help="Only print the URL to open."),
    timeout: int = typer.Option(300, "--timeout", min=1, help="Seconds to wait for the sign-in."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Sign in as a user of a pool and print the tokens, verified, with their claims and expiry."""
    settings = settings_from(ctx)
    pool_id, client_id = _target(settings.data_dir, pool, client)

    async def find(deps: Deps) -> AppClient:
        return await get_client(deps, client_id, pool_id=pool_id)

    app = run(ctx, find)
    redirect_uri = f"http://127.0.0.1:{port or _registered_port(app)}{CALLBACK_PATH}"
    _check_client(app, redirect_uri)
    attempt = Attempt(app, settings.effective_public_url, redirect_uri, tuple(scope or app.allowed_oauth_scopes))
    code = _sign_in(attempt, open_browser=not no_browser, timeout=timeout)
    tokens = _exchange(attempt, code)
    _report(attempt, tokens, _verified(attempt, tokens), as_json=as_json)


def _target(data_dir: Path, pool: str | None, client: str | None) -> tuple[str | None, str]:
    """(pool, client) from the options, or the demo `cognate serve --demo` recorded in the data dir."""
    if client:
        return pool, client
    if pool:
        fail("give --client with --pool")
    demo = recorded_demo(data_dir)
    if demo is None:
        fail(f"no demo in {data_dir.resolve()}: give --pool and --client, or start `cognate serve --demo` "
             "there first")
    return demo


def _registered_port(client: AppClient) -> int:
    for url in client.callback_urls:
        parts = urlsplit(url)
        if parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.path == CALLBACK_PATH and parts.port:
            return parts.port
    return LOGIN_PORT


def _check_client(client: AppClient, redirect_uri: str) -> None:
    if not client.allowed_oauth_flows_user_pool_client or "code" not in client.allowed_oauth_flows:
        fail(f"client {client.id} does not allow the authorization code flow (AllowedOAuthFlows: code)")
    if "COGNITO" not in client.supported_identity_providers:
        fail(f"client {client.id} does not offer the hosted UI's sign-in (SupportedIdentityProviders: COGNITO)")
    if redirect_uri not in client.callback_urls:
        fail(f"client {client.id} does not register {redirect_uri} as a callback URL; add it to its CallbackURLs "
             "or give --port of one it registers")


def _sign_in(attempt: Attempt, *, open_browser: bool, timeout: int) -> str:
    """The authorization code, once the browser comes back with this attempt's state."""
    port = urlsplit(attempt.redirect_uri).port or LOGIN_PORT
    try:
        receiver = LoopbackReceiver(port, attempt.state)
    except OSError as exc:
        fail(f"cannot listen on 127.0.0.1:{port} ({exc.strerror or exc}); is another `cognate login` waiting?")
    try:
        url = attempt.authorize_url()
        _say(f"Sign in with your browser at:\n  {url}")
        if open_browser and not (_graphical_browser_likely() and webbrowser.open(url)):
            _say("(no browser could be opened: open the URL above yourself)")
        _say(f"Waiting up to {timeout} s for the sign-in to come back to {attempt.redirect_uri} ...")
        params = receiver.wait(timeout)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    finally:
        receiver.close()
    if params is None:
        fail(f"no sign-in arrived at {attempt.redirect_uri} within {timeout} s; run `cognate login` again")
    if params.get("state") != attempt.state:
        fail("the redirect's state does not match this sign-in (another page or program called the loopback URL); "
             "nothing was accepted")
    if "error" in params:
        fail(f"sign-in failed: {params['error']}: {params.get('error_description', '')}".rstrip(": "))
    if not params.get("code"):
        fail("the redirect carried no authorization code")
    return params["code"]


def _graphical_browser_likely() -> bool:
    """Without a display, `webbrowser` falls back to a text browser (lynx, w3m) that would take over the terminal
    the command is waiting in; there the URL is only printed. `BROWSER` is the user's explicit choice."""
    return sys.platform in ("darwin", "win32") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"))


def _exchange(attempt: Attempt, code: str) -> dict[str, Any]:
    import httpx

    token_url = f"{attempt.public_url}/oauth2/token"
    form = {"grant_type": "authorization_code", "client_id": attempt.client.id, "code": code,
            "redirect_uri": attempt.redirect_uri, "code_verifier": attempt.verifier}
    auth = (attempt.client.id, attempt.client.secret) if attempt.client.secret else None
    try:
        answer = httpx.post(token_url, data=form, auth=auth, timeout=15)
    except httpx.HTTPError as exc:
        fail(f"cannot reach the token endpoint {token_url}: {exc}")
    body = _json_or_empty(answer)
    if answer.status_code != 200:
        fail(f"the token endpoint refused the code: {body.get('error', answer.status_code)}"
             f"{': ' + body['error_description'] if body.get('error_description') else ''}")
    if not body.get("access_token"):
        fail("the token endpoint answered without an access token")
    return body


def _json_or_empty(answer: Any) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _verified(attempt: Attempt, tokens: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each token's claims, checked against the pool's JWKS, issuer, client and (ID token) this attempt's nonce."""
    from cognate.verify import TokenInvalid, Verifier

    out: dict[str, dict[str, Any]] = {}
    for kind, name in (("access", "access_token"), ("id", "id_token")):
        if name not in tokens:
            continue
        verifier = Verifier(attempt.issuer, client_ids=attempt.client.id, token_use=kind)
        try:
            out[name] = verifier.verify(tokens[name])
        except TokenInvalid as exc:
            fail(f"the {kind} token did not verify: {exc.reason}")
    if "id_token" in out and out["id_token"].get("nonce") != attempt.nonce:
        fail("the ID token's nonce does not match this sign-in")
    return out


def _report(attempt: Attempt, tokens: dict[str, Any], claims: dict[str, dict[str, Any]], *, as_json: bool) -> None:
    access = claims["access_token"]
    expires_at = int(access["exp"])
    summary = {"username": access.get("username"), "pool_id": attempt.client.pool_id, "client_id": attempt.client.id,
               "scope": access.get("scope"), "expires_at": expires_at, "expires_in": expires_at - int(time.time())}
    if as_json:
        emit_json({**summary, "token_type": tokens.get("token_type"), "id_token": tokens.get("id_token"),
                   "access_token": tokens["access_token"], "refresh_token": tokens.get("refresh_token"),
                   "id_token_claims": claims.get("id_token"), "access_token_claims": access})
        return
    when = datetime.fromtimestamp(expires_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    details(f"Signed in as {summary['username']}", {**summary, "expires_at": f"{when} (in {summary['expires_in']} s)"})
    if "id_token" in claims:
        details("ID token claims (verified)", claims["id_token"])
    for name in ("id_token", "access_token", "refresh_token"):
        if tokens.get(name):
            print(f"{name.upper()}={tokens[name]}")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)

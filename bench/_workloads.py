"""One operation per workload, for Cognate and for the peer, plus the probes that tell whether an endpoint exists."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import random
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

from _http import Connection, HttpError, Response, expect
from _setup import CALLBACK, RESOURCE, Fixture

FORM = "application/x-www-form-urlencoded"
AMZ_JSON = "application/x-amz-json-1.1"
TARGET = "AWSCognitoIdentityProviderService."
ACTION_RE = re.compile(r'<form method="post" action="([^"]*)"')
CSRF_RE = re.compile(r'name="_csrf" value="([^"]*)"')

Operation = Callable[[Connection], Awaitable[None]]


@dataclass(frozen=True)
class Workload:
    key: str        # "1", "4a", ...
    name: str
    operation: Operation
    per_op: str = "requests"  # what one operation is, for the table


def basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def _form(**fields: str) -> bytes:
    return urlencode(fields).encode()


def _location_path(response: Response) -> str:
    location = response.header("location") or ""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# --------------------------------------------------------------------------------------------- Cognate operations


def client_credentials(fx: Fixture) -> Operation:
    headers = {"Authorization": basic(fx.m2m_client_id, fx.m2m_secret), "Content-Type": FORM}
    body = _form(grant_type="client_credentials", scope=f"{RESOURCE}/read")

    async def op(conn: Connection) -> None:
        expect(await conn.request("POST", "/oauth2/token", headers=headers, body=body), 200, "client_credentials")

    return op


def get(path: str, what: str) -> Operation:
    async def op(conn: Connection) -> None:
        expect(await conn.request("GET", path), 200, what)

    return op


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


async def hosted_ui_sign_in(conn: Connection, fx: Fixture, username: str) -> dict[str, object]:
    """authorize → GET /login → POST /login → POST /oauth2/token (code + PKCE), as a browser without cookies."""
    verifier, challenge = _pkce()
    query = urlencode({"response_type": "code", "client_id": fx.web_client_id, "redirect_uri": CALLBACK,
                       "scope": "openid email", "state": secrets.token_urlsafe(8), "code_challenge": challenge,
                       "code_challenge_method": "S256"})
    login = expect(await conn.request("GET", f"/oauth2/authorize?{query}"), 302, "authorize")
    page = expect(await conn.request("GET", _location_path(login)), 200, "GET /login")
    cookies = page.set_cookies()
    text = page.body.decode()
    action, csrf = ACTION_RE.search(text), CSRF_RE.search(text)
    if action is None or csrf is None:
        raise HttpError("GET /login: no form or CSRF field")
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    posted = await conn.request("POST", html.unescape(action.group(1)), headers={"Content-Type": FORM,
                                "Cookie": cookie}, body=_form(_csrf=html.unescape(csrf.group(1)),
                                                              username=username, password=fx.password))
    if posted.status not in (302, 303):
        raise HttpError(f"POST /login: HTTP {posted.status}: {posted.body[:200]!r}")
    code = parse_qs(urlsplit(posted.header("location") or "").query).get("code", [""])[0]
    token = await conn.request("POST", "/oauth2/token", headers={"Content-Type": FORM}, body=_form(
        grant_type="authorization_code", client_id=fx.web_client_id, code=code, redirect_uri=CALLBACK,
        code_verifier=verifier))
    tokens: dict[str, object] = json.loads(expect(token, 200, "code exchange").body)
    return tokens


def sign_in(fx: Fixture) -> Operation:
    async def op(conn: Connection) -> None:
        await hosted_ui_sign_in(conn, fx, f"user{random.randrange(fx.users)}")

    return op


def refresh(fx: Fixture, refresh_tokens: list[str]) -> Operation:
    async def op(conn: Connection) -> None:
        body = _form(grant_type="refresh_token", client_id=fx.web_client_id, refresh_token=random.choice(
            refresh_tokens))
        expect(await conn.request("POST", "/oauth2/token", headers={"Content-Type": FORM}, body=body), 200,
               "refresh_token")

    return op


async def initiate_auth_once(conn: Connection, client_id: str, username: str, password: str) -> Response:
    body = json.dumps({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                       "AuthParameters": {"USERNAME": username, "PASSWORD": password}}).encode()
    headers = {"Content-Type": AMZ_JSON, "X-Amz-Target": TARGET + "InitiateAuth"}
    response = await conn.request("POST", "/", headers=headers, body=body)
    if response.status != 200 or b"AuthenticationResult" not in response.body:
        raise HttpError(f"InitiateAuth: HTTP {response.status}: {response.body[:200]!r}")
    return response


def initiate_auth(fx: Fixture) -> Operation:
    async def op(conn: Connection) -> None:
        await initiate_auth_once(conn, fx.web_client_id, f"user{random.randrange(fx.users)}", fx.password)

    return op


def cognate_workloads(fx: Fixture, refresh_tokens: list[str]) -> dict[str, Workload]:
    well_known = f"/{fx.pool_id}/.well-known"
    return {
        "1": Workload("1", "client_credentials token (RS256 JWT)", client_credentials(fx)),
        "2": Workload("2", "hosted-UI sign-in: authorize, login, token (PKCE)", sign_in(fx), "sign-ins (4 requests)"),
        "3": Workload("3", "refresh_token grant", refresh(fx, refresh_tokens)),
        "4a": Workload("4a", "discovery GET", get(f"{well_known}/openid-configuration", "discovery")),
        "4b": Workload("4b", "JWKS GET", get(f"{well_known}/jwks.json", "jwks")),
        "5": Workload("5", "JSON API InitiateAuth USER_PASSWORD_AUTH", initiate_auth(fx), "sign-ins"),
    }


# --------------------------------------------------------------------------------------------- probes


async def probe(conn: Connection, key: str, fx: Fixture) -> str | None:
    """None when the workload's endpoints exist; otherwise why it is skipped."""
    if key == "1":
        r = await conn.request("POST", "/oauth2/token", headers={"Content-Type": FORM}, body=b"")
        return "skipped: /oauth2/token not built yet" if r.status in (404, 405) else None
    if key in ("2", "3"):
        r = await conn.request("GET", "/login")
        if r.status == 404:
            return "skipped: hosted UI /login not built yet"
        r = await conn.request("GET", "/oauth2/authorize")
        return "skipped: /oauth2/authorize not built yet" if r.status == 404 else None
    if key == "5":
        r = await conn.request("POST", "/", headers={"Content-Type": AMZ_JSON, "X-Amz-Target": TARGET + "InitiateAuth"},
                               body=b"{}")
        unknown = r.status == 404 or b"UnknownOperationException" in r.body
        return "skipped: InitiateAuth not built yet (UnknownOperationException)" if unknown else None
    return None


# --------------------------------------------------------------------------------------------- the peer


PEER_SECRET = "bench-peer-" + secrets.token_urlsafe(24)


def peer_workloads() -> dict[str, Workload]:
    headers = {"Authorization": basic("bench", PEER_SECRET), "Content-Type": FORM}
    body = _form(grant_type="client_credentials", scope="read")

    async def token(conn: Connection) -> None:
        expect(await conn.request("POST", "/token", headers=headers, body=body), 200, "peer client_credentials")

    return {
        "1": Workload("1", "client_credentials token (RS256 JWT)", token),
        "4a": Workload("4a", "discovery GET", get("/.well-known/openid-configuration", "peer discovery")),
        "4b": Workload("4b", "JWKS GET", get("/jwks", "peer jwks")),
    }


# --------------------------------------------------------------------------------------------- the baseline


def baseline_operation() -> Operation:
    """Cognate's workload-1 request, sent to bench/baseline_app.py."""
    headers = {"Authorization": basic("baseline-client", "baseline-secret"), "Content-Type": FORM}
    body = _form(grant_type="client_credentials", scope=f"{RESOURCE}/read")

    async def op(conn: Connection) -> None:
        expect(await conn.request("POST", "/oauth2/token", headers=headers, body=body), 200, "baseline token")

    return op

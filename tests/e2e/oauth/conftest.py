"""One real `cognate serve` for the OAuth protocol tests of this package, on its own database (SQLite, or a
fresh PostgreSQL database when COGNATE_TEST_DATABASE_URL is set), set up through the real `cognate` CLI.

Sign-in is the hosted UI's job; these tests obtain a hosted-UI session the way /login ends, by starting one
through the services layer against the same database and handing its id to the client as the session cookie.
/oauth2/authorize then answers through single sign-on, which exercises the real endpoint.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt as pyjwt
import pytest

from cognate.domain.clients import AppClient
from cognate.services import clients, domains, groups, pools, sessions, users
from cognate.settings import Settings, load_settings
from tests.conftest import run_database
from tests.support.inprocess import run_use_case
from tests.support.processes import Cli, Server, free_port

API = "https://api.example.com"
WEB_CB = "https://app.example.com/cb"
APP_CB = "myapp://callback"
LOCAL_CB = "http://localhost:8765/cb"
SPA_CB = "https://spa.example.com/cb"
PASSWORD = "Correct-Horse-9"
DOMAIN = "oauth-e2e"


@dataclass(frozen=True)
class App:
    id: str
    secret: str | None = None


@dataclass
class World:
    server: Server
    cli: Cli
    settings: Settings
    pool: str
    other_pool: str
    web: App
    spa: App
    m2m: App
    norevoke: App
    other: App

    @property
    def issuer(self) -> str:
        return f"{self.server.url}/{self.pool}"

    @property
    def domain_host(self) -> str:
        return f"{DOMAIN}.auth.localhost:{self.server.port}"

    def http(self, *, signed_in_as: str | None = None, pool: str | None = None) -> httpx.Client:
        client = httpx.Client(base_url=self.server.url, follow_redirects=False, timeout=10)
        if signed_in_as is not None:
            client.cookies.set("cognate_session", self.session(signed_in_as, pool or self.pool))
        return client

    def session(self, username: str, pool: str) -> str:
        """A hosted-UI session id, started in-process on the server's database (as /login would)."""
        return str(run_use_case(self.settings, lambda deps: _start(deps, pool, username)))

    def jwks(self, pool: str | None = None) -> dict[str, Any]:
        return dict(httpx.get(f"{self.server.url}/{pool or self.pool}/.well-known/jwks.json", timeout=5).json())


async def _start(deps: Any, pool: str, username: str) -> str:
    user = await users.get_user(deps, pool, username)
    return await sessions.start_session(deps, user, auth_time=int(time.time()))


@pytest.fixture(scope="package")
def oauth_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with run_database(tmp_path_factory, "oauth") as url:
        yield url


def _cli_app(cli: Cli, pool: str, name: str, *args: str) -> App:
    out = cli.json("client", "create", pool, name, *args)["UserPoolClient"]
    return App(out["ClientId"], out.get("ClientSecret"))


def _app(client: AppClient) -> App:
    return App(client.id, client.secret)


async def _rest(deps: Any, pool: str) -> tuple[str, dict[str, App]]:
    """The supporting cast, created in one go through the services (the CLI path is exercised above)."""
    public = {"CallbackURLs": [SPA_CB], "AllowedOAuthFlows": ["code"], "AllowedOAuthFlowsUserPoolClient": True,
              "SupportedIdentityProviders": ["COGNITO"]}
    other = (await pools.create_pool(deps, {"PoolName": "other"})).id
    await domains.create_domain(deps, {"Domain": DOMAIN, "UserPoolId": pool})
    apps = {
        "spa": await clients.create_client(deps, pool, {**public, "ClientName": "spa",
                                                        "AllowedOAuthScopes": ["openid", "email"]}),
        "norevoke": await clients.create_client(deps, pool, {**public, "ClientName": "norevoke",
                                                             "AllowedOAuthScopes": ["openid"],
                                                             "EnableTokenRevocation": False}),
        "m2m": await clients.create_client(deps, pool, {
            "ClientName": "m2m", "GenerateSecret": True, "AllowedOAuthFlows": ["client_credentials"],
            "AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthScopes": [f"{API}/read", f"{API}/write"]}),
        "other": await clients.create_client(deps, other, {**public, "ClientName": "other",
                                                           "AllowedOAuthScopes": ["openid"]}),
    }
    await users.create_user(deps, other, username="bob", attributes={}, password=PASSWORD, permanent=True)
    await groups.create_group(deps, pool, {"GroupName": "admins", "Precedence": 1})
    await groups.add_user_to_group(deps, pool, "alice", "admins")
    return other, {name: _app(client) for name, client in apps.items()}


def _populate(cli: Cli, server: Server, settings: Settings) -> tuple[str, str, dict[str, App]]:
    pool = cli.json("pool", "create", "oauth-e2e")["UserPool"]["Id"]
    server.start()
    cli.run("resource-server", "create", pool, API, "api", "--scope", "read", "--scope", "write")
    web = _cli_app(cli, pool, "web", "--callback-url", WEB_CB, "--callback-url", APP_CB, "--callback-url", LOCAL_CB,
                   "--flow", "code", "--flow", "implicit", "--scope", "openid", "--scope", "email", "--scope",
                   "phone", "--scope", f"{API}/read")
    cli.run("user", "create", pool, "alice", "--email", "alice@example.com", "--email-verified",
            "--attribute", "phone_number=+15555550100", "--password", PASSWORD, "--permanent")
    other, apps = run_use_case(settings, lambda deps: _rest(deps, pool))
    return pool, other, {"web": web, **apps}


@pytest.fixture(scope="package")
def world(tmp_path_factory: pytest.TempPathFactory, oauth_database_url: str) -> Iterator[World]:
    data_dir = tmp_path_factory.mktemp("oauth") / "data"
    cli = Cli(data_dir=data_dir, database_url=oauth_database_url)
    server = Server(cli=cli, port=free_port())
    settings = load_settings(data_dir=data_dir, database_url=oauth_database_url, public_url=server.url)
    try:
        pool, other, apps = _populate(cli, server, settings)
        yield World(server=server, cli=cli, settings=settings, pool=pool, other_pool=other, **apps)
    finally:
        server.kill()


# -- helpers shared by the test modules ------------------------------------------------------------------------


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def location(response: httpx.Response) -> str:
    assert response.status_code == 302, (response.status_code, response.text)
    return response.headers["location"]


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def fragment_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).fragment).items()}


def challenge() -> dict[str, str]:
    """A PKCE S256 challenge for authorize requests (optional by default, as in Cognito; verified when sent)."""
    return {"code_challenge": pkce_pair()[1], "code_challenge_method": "S256"}


def authorize(http: httpx.Client, app: App, redirect_uri: str, **extra: str) -> httpx.Response:
    params = {"response_type": "code", "client_id": app.id, "redirect_uri": redirect_uri, **extra}
    return http.get("/oauth2/authorize", params=params)


def get_code(http: httpx.Client, app: App, redirect_uri: str, **extra: str) -> str:
    target = location(authorize(http, app, redirect_uri, **extra))
    assert target.startswith(redirect_uri), target
    return query_of(target)["code"]


def token(http: httpx.Client, app: App, *, basic: bool = True, **form: str) -> httpx.Response:
    if app.secret is not None and basic:
        return http.post("/oauth2/token", data=form, auth=(app.id, app.secret))
    extra = {"client_secret": app.secret} if app.secret is not None else {}
    return http.post("/oauth2/token", data={"client_id": app.id, **extra, **form})


def code_tokens(http: httpx.Client, app: App, redirect_uri: str, **extra: str) -> dict[str, Any]:
    verifier, challenge = pkce_pair()
    code = get_code(http, app, redirect_uri, code_challenge=challenge, code_challenge_method="S256", **extra)
    response = token(http, app, grant_type="authorization_code", code=code, redirect_uri=redirect_uri,
                     code_verifier=verifier)
    assert response.status_code == 200, response.text
    return dict(response.json())


def decode(world: World, jwt: str, *, audience: str | None = None, pool: str | None = None) -> dict[str, Any]:
    """Verify with PyJWT from the JWKS alone (not Cognate's code): header, signature, issuer, audience."""
    header = pyjwt.get_unverified_header(jwt)
    assert set(header) == {"kid", "alg"} and header["alg"] == "RS256", header
    jwk = next(k for k in world.jwks(pool)["keys"] if k["kid"] == header["kid"])
    issuer = f"{world.server.url}/{pool or world.pool}"
    return dict(pyjwt.decode(jwt, pyjwt.PyJWK(jwk).key, algorithms=["RS256"], issuer=issuer, audience=audience,
                             options={"verify_aud": audience is not None, "require": ["exp", "iat", "iss"]}))


def userinfo(http: httpx.Client, access_token: str) -> httpx.Response:
    return http.get("/oauth2/userInfo", headers={"Authorization": f"Bearer {access_token}"})


def error_of(response: httpx.Response) -> str:
    return str(response.json()["error"])


def path_of(url: str) -> str:
    return urlsplit(url).path


"""In-process attack fixtures: the app (tests/support/inprocess.py), a frozen clock (started at the real time so
botocore's SigV4 signatures are current), an in-memory mailer, and two pools:

- "acme": a username pool (case-insensitive, email auto-verified) with the domain `acme`, a confidential web client
  (`web`, code + implicit, PreventUserExistenceErrors ENABLED) and a public client (`spa`, PKCE, the JSON API flows),
  and the confirmed user `alice`;
- "other": another tenant with its own client and user `bob`, for cross-pool token attacks.

Each module shares one world (`shared_world`, on its own SQLite file or, with COGNATE_TEST_DATABASE_URL, its own
PostgreSQL database); tests that change state create their own users. Tests use `ASYNC` (the module's loop).
The fuzzing modules use `build_world` from a plain event loop (`asyncio.Runner`) because hypothesis drives
synchronous test functions.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import text

from cognate.domain.clients import AppClient
from cognate.domain.clock import FrozenClock
from cognate.domain.pools import UserPool
from cognate.domain.users import User
from cognate.services import clients, domains, keys, pools, sessions, users
from cognate.services.deps import Deps
from cognate.settings import load_settings
from cognate.store.sql.engine import SqlStore
from tests.conftest import run_database
from tests.e2e.cognito_api._helpers import AMZ_JSON, KEY_ID, SECRET, TARGET, signed_headers
from tests.support.inprocess import InProcessApp, start_app
from tests.support.mail import RecordingMailer

BASE = "http://127.0.0.1:9229"
DOMAIN_HOST = "acme.auth.localhost:9229"
CB = "https://app.example.com/cb"
LOCAL_CB = "http://localhost:3000/cb"
APP_CB = "myapp://cb"
LOGOUT = "https://app.example.com/bye"
OTHER_CB = "https://other.example.com/cb"
PASSWORD = "Correct-Horse-9"
ATTACKER = "evil.example.net"
CSRF_RE = re.compile(r'name="_csrf" value="([^"]+)"')
API_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
             "ALLOW_ADMIN_USER_PASSWORD_AUTH"]
# Rows a refused request may legitimately add: the audit trail and rate-limit counters record refusals too.
AUDIT_TABLES = frozenset({"audit_events", "rate_limit_windows"})
# Rate limits off unless a test turns them on: the frozen clock would otherwise never open a new window.
NO_RATE_LIMITS = {"rate_limit_per_ip": "0", "rate_limit_per_client": "0", "rate_limit_failures_per_ip": "0"}
ASYNC = pytest.mark.asyncio(loop_scope="module")


@dataclass
class World:
    deps: Deps
    clock: FrozenClock
    http: httpx.AsyncClient
    mail: RecordingMailer
    pool: UserPool
    other_pool: UserPool
    web: AppClient
    spa: AppClient
    other: AppClient
    alice: User
    bob: User
    app: InProcessApp

    # --- OAuth ---------------------------------------------------------------------------------------------

    def authorize_query(self, client: AppClient | None = None, **extra: str) -> str:
        params = {"response_type": "code", "client_id": (client or self.web).id, "redirect_uri": CB,
                  "state": "st-1", "scope": "openid email", **extra}
        return urlencode(params)

    async def sign_in(self, user: User | None = None) -> None:
        """A hosted-UI session cookie, as /login sets it."""
        raw = await sessions.start_session(self.deps, user or self.alice, auth_time=int(self.clock.now()))
        self.http.cookies.set("cognate_session", raw)

    async def code(self, client: AppClient | None = None, **extra: str) -> str:
        response = await self.http.get(f"/oauth2/authorize?{self.authorize_query(client, **extra)}")
        assert response.status_code == 302, response.text
        return query_of(response.headers["location"])["code"]

    async def token(self, client: AppClient | None = None, **form: str) -> httpx.Response:
        client = client or self.web
        if client.secret is not None:
            return await self.http.post("/oauth2/token", data=form, auth=(client.id, client.secret))
        return await self.http.post("/oauth2/token", data={"client_id": client.id, **form})

    async def tokens(self, client: AppClient | None = None) -> dict[str, str]:
        await self.sign_in()
        response = await self.token(client, grant_type="authorization_code", code=await self.code(client),
                                    redirect_uri=CB)
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def userinfo(self, access_token: str, **headers: str) -> httpx.Response:
        return await self.http.get("/oauth2/userInfo", headers={"Authorization": f"Bearer {access_token}", **headers})

    # --- JSON API ------------------------------------------------------------------------------------------

    def signed(self, operation: str, body: bytes) -> dict[str, str]:
        at = datetime.fromtimestamp(self.clock.now(), UTC).replace(tzinfo=None)
        return signed_headers(BASE, operation, body, at=at)

    async def api(self, operation: str, body: Mapping[str, Any] | bytes, *, signed: bool = False,
                  headers: Mapping[str, str] | None = None) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = self.signed(operation, raw) if signed else {"Content-Type": AMZ_JSON, "X-Amz-Target": TARGET + operation}
        return await self.http.post("/", content=raw, headers={**sent, **(headers or {})})

    async def password_auth(self, username: str, password: str) -> httpx.Response:
        return await self.api("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": self.spa.id,
                                               "AuthParameters": {"USERNAME": username, "PASSWORD": password}})

    # --- hosted UI -----------------------------------------------------------------------------------------

    async def submit(self, url: str, data: Mapping[str, str]) -> httpx.Response:
        """GET the form, then POST it with this browser's CSRF token."""
        form = await self.http.get(url)
        assert form.status_code == 200, form.text
        return await self.http.post(url, data={"_csrf": csrf_of(form.text), **data})

    # --- database ------------------------------------------------------------------------------------------

    async def fingerprint(self) -> dict[str, str]:
        return await fingerprint(self.deps)


def csrf_of(page: str) -> str:
    found = CSRF_RE.search(page)
    assert found, "no CSRF field on the page"
    return unescape(found.group(1))


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: Mapping[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def parts_of(jwt: str) -> tuple[dict[str, Any], dict[str, Any]]:
    header, payload, _ = jwt.split(".")
    return (json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))),
            json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, b64url(hashlib.sha256(verifier.encode()).digest())


async def fingerprint(deps: Deps) -> dict[str, str]:
    """A digest of every row of every table but the audit trail: any write shows up as a changed digest."""
    assert isinstance(deps.store, SqlStore)
    out: dict[str, str] = {}
    async with deps.store.engine.connect() as conn:
        names = await conn.run_sync(lambda sync: sync.dialect.get_table_names(sync))
        for name in sorted(set(names) - AUDIT_TABLES - {"alembic_version"}):
            rows = (await conn.execute(text(f'SELECT * FROM "{name}"'))).all()
            out[name] = hashlib.sha256(repr(sorted(repr(tuple(r)) for r in rows)).encode()).hexdigest()
    return out


async def build_world(data_dir: Path, database_url: str, **overrides: str) -> tuple[World, InProcessApp]:
    """The app and its population; returns the world and the started app (for more clients, e.g. other addresses)."""
    clock = FrozenClock(start=float(int(time.time())))
    mail = RecordingMailer()
    settings = load_settings(data_dir=data_dir, database_url=database_url, public_url=BASE,
                             admin_access_key_id=KEY_ID, admin_secret_access_key=SECRET,
                             **{**NO_RATE_LIMITS, **overrides})
    app = await start_app(settings, clock=clock, mailer=mail)
    deps = app.deps
    pool, web, spa = await populate(deps)
    other_pool = await pools.create_pool(deps, {"PoolName": "other-tenant"})
    other = await clients.create_client(deps, other_pool.id, {
        "ClientName": "other", "CallbackURLs": [OTHER_CB], "AllowedOAuthFlows": ["code"],
        "AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthScopes": ["openid", "email"],
        "SupportedIdentityProviders": ["COGNITO"], "ExplicitAuthFlows": API_FLOWS, "CognatePkceRequired": False})
    alice = await users.get_user(deps, pool.id, "alice")
    bob, _ = await users.create_user(deps, other_pool.id, username="bob", attributes={}, password=PASSWORD,
                                     permanent=True)
    for pool_id in (pool.id, other_pool.id):  # keys exist before any test counts rows
        await keys.signing_key(deps, pool_id, "access")
    world = World(deps=deps, clock=clock, http=app.http, mail=mail, pool=pool, other_pool=other_pool, web=web,
                  spa=spa, other=other, alice=alice, bob=bob, app=app)
    return world, app


async def populate(deps: Deps) -> tuple[UserPool, AppClient, AppClient]:
    pool = await pools.create_pool(deps, {
        "PoolName": "acme", "AutoVerifiedAttributes": ["email"], "UsernameConfiguration": {"CaseSensitive": False}})
    await domains.create_domain(deps, {"Domain": "acme", "UserPoolId": pool.id})
    oauth = {"CallbackURLs": [CB, LOCAL_CB, APP_CB], "LogoutURLs": [LOGOUT], "AllowedOAuthFlowsUserPoolClient": True,
             "SupportedIdentityProviders": ["COGNITO"], "PreventUserExistenceErrors": "ENABLED",
             "ExplicitAuthFlows": API_FLOWS}
    web = await clients.create_client(deps, pool.id, {
        **oauth, "ClientName": "web", "GenerateSecret": True, "AllowedOAuthFlows": ["code", "implicit"],
        "AllowedOAuthScopes": ["openid", "email", "profile"]})
    spa = await clients.create_client(deps, pool.id, {
        **oauth, "ClientName": "spa", "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email", "profile", "aws.cognito.signin.user.admin"]})
    await users.create_user(deps, pool.id, username="alice",
                            attributes={"email": "alice@example.com", "email_verified": "true"},
                            password=PASSWORD, permanent=True)
    return pool, web, spa


async def close_world(world: World) -> None:
    await world.app.aclose()


@pytest.fixture(scope="module")
def module_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per test module: a SQLite file, or a fresh PostgreSQL database beside COGNATE_TEST_DATABASE_URL."""
    with run_database(tmp_path_factory, "sec") as url:
        yield url


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_world(tmp_path_factory: pytest.TempPathFactory, module_database_url: str) -> AsyncIterator[World]:
    """One populated app per module (setting it up costs a second); tests that change state use their own users."""
    built, _ = await build_world(tmp_path_factory.mktemp("security") / "data", module_database_url)
    try:
        yield built
    finally:
        await close_world(built)


@pytest.fixture
def world(shared_world: World) -> World:
    """The module's world as a fresh browser: no cookies from the previous test."""
    shared_world.http.cookies.clear()
    return shared_world

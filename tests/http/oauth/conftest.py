"""In-process OAuth fixtures: the app (tests/support/inprocess.py) with a frozen clock (time is advanced,
never slept), one pool with a confidential web client, a resource server and a confirmed user."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from cognate.domain.clients import AppClient
from cognate.domain.clock import FrozenClock
from cognate.domain.pools import UserPool
from cognate.domain.users import User
from cognate.services import clients, pools, resource_servers, sessions, users
from cognate.services.deps import Deps
from cognate.settings import load_settings
from tests.support.inprocess import in_process_app

BASE = "http://127.0.0.1:9229"
CALLBACK = "https://app.example.com/cb"
PASSWORD = "Correct-Horse-9"


@dataclass
class Env:
    deps: Deps
    clock: FrozenClock
    http: httpx.AsyncClient
    pool: UserPool
    web: AppClient
    user: User

    async def sign_in(self) -> None:
        """A hosted-UI session cookie, as the /login page would set it."""
        raw = await sessions.start_session(self.deps, self.user, auth_time=int(self.clock.now()))
        self.http.cookies.set("cognate_session", raw)

    async def code(self, **extra: str) -> str:
        query = {"response_type": "code", "client_id": self.web.id, "redirect_uri": CALLBACK, **extra}
        response = await self.http.get("/oauth2/authorize", params=query)
        assert response.status_code == 302, response.text
        return parse_qs(urlsplit(response.headers["location"]).query)["code"][0]

    async def token(self, **form: str) -> httpx.Response:
        assert self.web.secret is not None
        return await self.http.post("/oauth2/token", data=form, auth=(self.web.id, self.web.secret))

    async def tokens(self) -> dict[str, str]:
        response = await self.token(grant_type="authorization_code", code=await self.code(), redirect_uri=CALLBACK)
        assert response.status_code == 200, response.text
        return dict(response.json())


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


async def _populate(deps: Deps) -> tuple[UserPool, AppClient, User]:
    pool = await pools.create_pool(deps, {"PoolName": "http-oauth"})
    await resource_servers.create_resource_server(deps, pool.id, {
        "Identifier": "https://api.example.com", "Name": "api",
        "Scopes": [{"ScopeName": "read", "ScopeDescription": "Read"}]})
    web = await clients.create_client(deps, pool.id, {
        "ClientName": "web", "GenerateSecret": True, "CallbackURLs": [CALLBACK],
        "AllowedOAuthFlows": ["code", "implicit"], "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthScopes": ["openid", "email", "profile", "https://api.example.com/read"],
        "SupportedIdentityProviders": ["COGNITO"]})
    user, _ = await users.create_user(deps, pool.id, username="alice",
                                      attributes={"email": "alice@example.com", "email_verified": "true"},
                                      password=PASSWORD, permanent=True)
    return pool, web, user


@pytest.fixture
async def env(tmp_path: Path, database_url: str) -> AsyncIterator[Env]:
    clock = FrozenClock()
    settings = load_settings(data_dir=tmp_path / "data", database_url=database_url, public_url=BASE)
    async with in_process_app(settings, clock=clock) as started:
        pool, web, user = await _populate(started.deps)
        yield Env(deps=started.deps, clock=clock, http=started.http, pool=pool, web=web, user=user)

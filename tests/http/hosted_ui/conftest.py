"""In-process hosted-UI fixtures: the app (tests/support/inprocess.py) with a frozen clock and a recording mailer;
an email-as-username pool with a public web client and a domain, and helpers that fill in forms the way a browser
would (CSRF cookie and hidden field included)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from cognate.domain.clients import AppClient
from cognate.domain.clock import FrozenClock
from cognate.domain.pools import UserPool
from cognate.domain.users import User
from cognate.services import clients, domains, pools, users
from cognate.services.deps import Deps
from cognate.settings import load_settings
from tests.support.inprocess import in_process_app
from tests.support.mail import RecordingMailer

BASE = "http://127.0.0.1:9229"
CALLBACK = "http://localhost:3000/cb"
LOGOUT = "http://localhost:3000/bye"
PASSWORD = "Correct-Horse-9"
CSRF_RE = re.compile(r'name="_csrf" value="([^"]+)"')
FLOW_RE = re.compile(r'name="flow" value="([^"]*)"')
SESSION_RE = re.compile(r'name="session" value="([^"]+)"')


@dataclass
class Ui:
    deps: Deps
    clock: FrozenClock
    http: httpx.AsyncClient
    mail: RecordingMailer
    pool: UserPool
    web: AppClient
    user: User

    def query(self, **extra: str) -> str:
        params = {"response_type": "code", "client_id": self.web.id, "redirect_uri": CALLBACK, "state": "st-1",
                  "scope": "openid email", **extra}
        return urlencode(params)

    async def page(self, path: str, **headers: str) -> httpx.Response:
        return await self.http.get(path, headers=headers)

    async def submit(self, url: str, data: dict[str, str], *, csrf: bool = True) -> httpx.Response:
        """GET the form, then POST it with the page's CSRF token (and any hidden flow/session values)."""
        form = await self.http.get(url)
        assert form.status_code == 200, form.text
        return await self.post(url, data, page=form.text if csrf else None)

    async def post(self, url: str, data: dict[str, str], *, page: str | None) -> httpx.Response:
        body = dict(data)
        if page is not None:
            body.setdefault("_csrf", csrf_of(page))
            for pattern, name in ((FLOW_RE, "flow"), (SESSION_RE, "session")):
                found = pattern.search(page)
                if found and name not in body:
                    body[name] = unescape(found.group(1))
        return await self.http.post(url, data=body)

    async def login(self, username: str, password: str, **extra: str) -> httpx.Response:
        return await self.submit(f"/login?{self.query(**extra)}", {"username": username, "password": password})


def csrf_of(page: str) -> str:
    found = CSRF_RE.search(page)
    assert found, "no CSRF field on the page"
    return unescape(found.group(1))


def location_params(response: httpx.Response) -> dict[str, list[str]]:
    return parse_qs(urlsplit(response.headers["location"]).query)


async def make_pool(deps: Deps, **overrides: Any) -> tuple[UserPool, AppClient]:
    pool = await pools.create_pool(deps, {
        "PoolName": "Acme Accounts", "UsernameAttributes": ["email"], "AutoVerifiedAttributes": ["email"],
        "Schema": [{"Name": "email", "Required": True, "Mutable": True},
                   {"Name": "given_name", "Required": True, "Mutable": True}],
        "UsernameConfiguration": {"CaseSensitive": False}, **overrides.pop("pool", {})})
    client = await clients.create_client(deps, pool.id, {
        "ClientName": "Acme Web", "CallbackURLs": [CALLBACK], "LogoutURLs": [LOGOUT],
        "AllowedOAuthFlows": ["code", "implicit"], "AllowedOAuthFlowsUserPoolClient": True,
        "AllowedOAuthScopes": ["openid", "email", "profile"], "SupportedIdentityProviders": ["COGNITO"],
        "PreventUserExistenceErrors": "ENABLED",
        "CognatePkceRequired": False,  # these tests are about the pages; PKCE has its own tests in tests/http/oauth
        **overrides.pop("client", {})})
    return pool, client


@pytest.fixture
async def ui(tmp_path: Path, database_url: str) -> AsyncIterator[Ui]:
    clock = FrozenClock()
    mail = RecordingMailer()
    settings = load_settings(data_dir=tmp_path / "data", database_url=database_url, public_url=BASE)
    async with in_process_app(settings, clock=clock, mailer=mail) as started:
        deps = started.deps
        pool, web = await make_pool(deps)
        await domains.create_domain(deps, {"Domain": "acme", "UserPoolId": pool.id})
        user, _ = await users.create_user(deps, pool.id, username="jane@example.com",
                                          attributes={"email_verified": "true", "given_name": "Jane"},
                                          password=PASSWORD, permanent=True)
        yield Ui(deps=deps, clock=clock, http=started.http, mail=mail, pool=pool, web=web, user=user)

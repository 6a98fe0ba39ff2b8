"""A database outage, as each surface shows it (issue 6): OAuth `temporarily_unavailable` 503 JSON, a calm 503
hosted-UI page, the JSON API's `InternalErrorException` (500, which botocore retries). The store is made to raise
`Unavailable` on every transaction, as it does when PostgreSQL cannot be reached."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from cognate.services import clients, pools
from cognate.settings import load_settings
from cognate.store.base import Unavailable
from tests.support.inprocess import in_process_app

BASE = "http://127.0.0.1:9229"
CB = "https://app.example.com/cb"
DETAIL = "connection refused by 10.0.0.7"


@asynccontextmanager
async def _down(*_: object, **__: object) -> AsyncIterator[Any]:
    raise Unavailable(DETAIL)
    yield  # pragma: no cover - an async generator that never yields


@pytest.fixture
async def outage(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
                 ) -> AsyncIterator[tuple[httpx.AsyncClient, str, str]]:
    async with in_process_app(load_settings(data_dir=tmp_path, database_url=database_url, public_url=BASE)) as app:
        http, deps = app.http, app.deps
        pool = await pools.create_pool(deps, {"PoolName": "down"})
        client = await clients.create_client(deps, pool.id, {
            "ClientName": "web", "GenerateSecret": True, "CallbackURLs": [CB], "AllowedOAuthFlows": ["code"],
            "AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthScopes": ["openid"],
            "SupportedIdentityProviders": ["COGNITO"]})
        monkeypatch.setattr(deps.store, "transaction", _down)
        yield http, pool.id, client.id


def _calm(response: httpx.Response) -> None:
    assert DETAIL not in response.text and "Traceback" not in response.text


async def test_oauth_token_endpoint_is_temporarily_unavailable(outage: tuple[httpx.AsyncClient, str, str]) -> None:
    http, _, client_id = outage
    response = await http.post("/oauth2/token", data={"grant_type": "authorization_code", "code": "c",
                                                      "client_id": client_id, "redirect_uri": CB})
    assert response.status_code == 503
    assert response.json()["error"] == "temporarily_unavailable"
    assert response.headers["retry-after"] == "1" and response.headers["cache-control"] == "no-store"
    assert response.headers["access-control-allow-origin"] == "*"
    _calm(response)


@pytest.mark.parametrize("path", ["/{pool}/.well-known/jwks.json", "/oauth2/authorize?client_id={client}"])
async def test_other_oauth_endpoints_say_the_same(outage: tuple[httpx.AsyncClient, str, str], path: str) -> None:
    http, pool_id, client_id = outage
    response = await http.get(path.format(pool=pool_id, client=client_id))
    assert response.status_code == 503 and response.json()["error"] == "temporarily_unavailable"
    _calm(response)


async def test_hosted_ui_shows_a_friendly_page(outage: tuple[httpx.AsyncClient, str, str]) -> None:
    http, _, client_id = outage
    response = await http.get(f"/login?response_type=code&client_id={client_id}&redirect_uri={CB}")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    assert "briefly unavailable" in response.text and response.headers["retry-after"] == "1"
    assert response.headers["x-frame-options"]  # the page's security headers still apply
    _calm(response)


async def test_json_api_answers_internal_error(outage: tuple[httpx.AsyncClient, str, str]) -> None:
    http, _, client_id = outage
    response = await http.post("/", content=b'{"ClientId": "%s", "AuthFlow": "USER_PASSWORD_AUTH", '
                                            b'"AuthParameters": {"USERNAME": "u", "PASSWORD": "p"}}'
                               % client_id.encode(),
                               headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
                                        "Content-Type": "application/x-amz-json-1.1"})
    assert response.status_code == 500
    assert response.json()["__type"] == "InternalErrorException"
    assert response.headers["x-amzn-errortype"] == "InternalErrorException"
    _calm(response)


async def test_health_stays_up(outage: tuple[httpx.AsyncClient, str, str]) -> None:
    http, _, _ = outage
    assert (await http.get("/health")).status_code == 200

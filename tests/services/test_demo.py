"""The quick-start demo: its client registers `cognate login`'s loopback callback, and a demo created before that
callback existed gets it when found again (`existing_demo`), keeping every other callback URL."""

from __future__ import annotations

import pytest

from cognate.domain.clients import client_to_cognito
from cognate.services import clients, demo
from cognate.services.deps import Deps

pytestmark = pytest.mark.asyncio


async def test_the_demo_client_registers_the_login_loopback_callback(deps: Deps) -> None:
    made = await demo.create_demo(deps, "Demo-Passw0rd!")
    client = await clients.get_client(deps, made.client_id, pool_id=made.pool_id)
    assert demo.LOGIN_CALLBACK == "http://127.0.0.1:9228/callback"
    assert demo.LOGIN_CALLBACK in client.callback_urls and demo.DEMO_CALLBACK in client.callback_urls


async def test_an_existing_demo_gets_the_loopback_callback_and_keeps_its_others(deps: Deps) -> None:
    made = await demo.create_demo(deps, "Demo-Passw0rd!")
    older = ["http://localhost:8000/callback", "https://app.example.com/cb"]
    before = await clients.get_client(deps, made.client_id, pool_id=made.pool_id)
    await clients.update_client_settings(deps, made.pool_id, made.client_id,
                                         {**client_to_cognito(before, include_secret=False), "CallbackURLs": older})
    found = await demo.existing_demo(deps, made.pool_id, made.client_id)
    assert found is not None
    client = await clients.get_client(deps, made.client_id, pool_id=made.pool_id)
    assert list(client.callback_urls) == [*older, demo.LOGIN_CALLBACK]
    assert client.allowed_oauth_flows == ("code", "implicit") and client.logout_urls == (demo.DEMO_LOGOUT,)

"""The quick-start demo's client registers `cognate login`'s loopback callback and the token viewer's callback on
the server's public URL; a demo made before either existed (or on another public URL) gets them added, and every other
callback URL stays."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cognate.domain.clients import client_to_stored
from cognate.services.clients import get_client, update_client_settings
from cognate.services.demo import DEMO_CALLBACK, LOGIN_CALLBACK, create_demo, existing_demo
from cognate.services.deps import Deps
from cognate.services.resource_servers import create_resource_server, delete_resource_server
from cognate.services.token_viewer import callback_url

pytestmark = pytest.mark.asyncio
LOOPBACK_LOGIN = "http://127.0.0.1:53682/callback"  # e.g. another tool's loopback receiver


async def test_a_new_demo_registers_the_viewer_and_links_to_it(deps: Deps) -> None:
    demo = await create_demo(deps, "Demo-Passw0rd-1a!")
    client = await get_client(deps, demo.client_id)
    assert LOGIN_CALLBACK == "http://127.0.0.1:9228/callback"
    assert client.callback_urls == (DEMO_CALLBACK, LOGIN_CALLBACK, "http://127.0.0.1:9229/token-viewer/callback")
    assert demo.sign_in_url == f"http://127.0.0.1:9229/token-viewer?client_id={demo.client_id}"


async def test_an_older_demo_gets_the_viewer_callback_added_and_keeps_its_other_urls(deps: Deps) -> None:
    demo = await create_demo(deps, "Demo-Passw0rd-1a!")
    client = await get_client(deps, demo.client_id)
    await update_client_settings(deps, demo.pool_id, demo.client_id,
                                 {**client_to_stored(client), "CallbackURLs": [DEMO_CALLBACK, LOOPBACK_LOGIN]})
    found = await existing_demo(deps, demo.pool_id, demo.client_id)
    assert found is not None and found.sign_in_url == demo.sign_in_url
    expected = (DEMO_CALLBACK, LOOPBACK_LOGIN, LOGIN_CALLBACK, callback_url(deps))
    assert (await get_client(deps, demo.client_id)).callback_urls == expected
    await existing_demo(deps, demo.pool_id, demo.client_id)  # found again: nothing more to add
    assert (await get_client(deps, demo.client_id)).callback_urls == expected
    moved = replace(deps, public_url="http://localhost:9300")  # served on another port later
    again = await existing_demo(moved, demo.pool_id, demo.client_id)
    assert again is not None and (again.sign_in_url or "").startswith("http://localhost:9300/token-viewer?")
    assert (await get_client(deps, demo.client_id)).callback_urls == (
        *expected, "http://localhost:9300/token-viewer/callback")


@pytest.mark.parametrize("public_url", ["http://0.0.0.0:9229", "http://id.internal:9229"])
async def test_a_public_url_that_cannot_be_a_callback_makes_a_demo_without_the_viewer(deps: Deps,
                                                                                      public_url: str) -> None:
    """`serve --demo --host 0.0.0.0` (as in a container): http on a non-loopback host is no valid callback URL, so
    the demo is made without the viewer's callback and without a link, instead of failing the start."""
    plain = replace(deps, public_url=public_url)
    demo = await create_demo(plain, "Demo-Passw0rd-1a!")
    assert demo.sign_in_url is None
    assert (await get_client(plain, demo.client_id)).callback_urls == (DEMO_CALLBACK, LOGIN_CALLBACK)
    found = await existing_demo(plain, demo.pool_id, demo.client_id)
    assert found is not None and found.sign_in_url is None


async def test_a_demo_client_that_no_longer_validates_keeps_starting_without_a_link(
        deps: Deps, caplog: pytest.LogCaptureFixture) -> None:
    """Rebuilding the client's settings re-runs Cognito's checks: a scope of a since-deleted resource server fails
    them. The start goes on (no link, a warning), as it did before the viewer existed."""
    demo = await create_demo(deps, "Demo-Passw0rd-1a!")
    await create_resource_server(deps, demo.pool_id, {"Identifier": "api", "Name": "API",
                                                      "Scopes": [{"ScopeName": "read", "ScopeDescription": "r"}]})
    client = await get_client(deps, demo.client_id)
    await update_client_settings(deps, demo.pool_id, demo.client_id, {
        **client_to_stored(client), "CallbackURLs": [DEMO_CALLBACK],
        "AllowedOAuthScopes": [*client.allowed_oauth_scopes, "api/read"]})
    await delete_resource_server(deps, demo.pool_id, "api")
    found = await existing_demo(deps, demo.pool_id, demo.client_id)
    assert found is not None and found.sign_in_url is None
    assert "cannot add the demo's callback URLs" in caplog.text
    assert (await get_client(deps, demo.client_id)).callback_urls == (DEMO_CALLBACK,)


async def test_an_existing_demo_gets_the_loopback_callback_and_keeps_its_others(deps: Deps) -> None:
    demo = await create_demo(deps, "Demo-Passw0rd-1a!")
    older = [DEMO_CALLBACK, "https://app.example.com/cb"]
    client = await get_client(deps, demo.client_id)
    await update_client_settings(deps, demo.pool_id, demo.client_id,
                                 {**client_to_stored(client), "CallbackURLs": older})
    assert await existing_demo(deps, demo.pool_id, demo.client_id) is not None
    client = await get_client(deps, demo.client_id)
    assert list(client.callback_urls) == [*older, LOGIN_CALLBACK, callback_url(deps)]
    assert client.allowed_oauth_flows == ("code", "implicit")

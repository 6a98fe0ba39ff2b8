"""`GET /` says what the server is (Cognate and its version), links each pool's discovery document (on a loopback
public URL only: a public deployment does not enumerate its tenants) and names the README's sections; `POST /` is
still the Cognito JSON API; `/favicon.ico` is a small icon from the package (issue 13 §2)."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest

from cognate import __version__
from cognate.hosted_ui.home import anchor
from cognate.services.deps import Deps
from cognate.settings import load_settings
from tests.http.hosted_ui.conftest import Ui
from tests.support.inprocess import in_process_app

pytestmark = pytest.mark.asyncio


async def test_the_home_page_names_the_server_and_links_each_pools_discovery_document(ui: Ui) -> None:
    response = await ui.http.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    text = unescape(response.text)
    assert f"Cognate {__version__}" in text
    href = f"/{ui.pool.id}/.well-known/openid-configuration"
    assert f'href="{href}"' in response.text and "Acme Accounts" in text
    assert (await ui.http.get(href)).json()["issuer"] == f"http://127.0.0.1:9229/{ui.pool.id}"
    for title in ("Quick start", "Differences from Cognito"):
        assert title in text and f"README.md#{anchor(title)}" in text
    assert 'rel="icon" href="/favicon.ico"' in response.text


async def test_post_slash_is_still_the_cognito_json_api(ui: Ui) -> None:
    response = await ui.http.post("/", content=b"{}", headers={
        "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        "Content-Type": "application/x-amz-json-1.1"})
    assert response.status_code == 400 and "__type" in response.json()


async def test_a_pool_domain_shows_its_own_pool_only(ui: Ui) -> None:
    other, _ = await _second_pool(ui.deps)
    response = await ui.http.get("/", headers={"host": "acme.auth.localhost:9229"})
    assert response.status_code == 200
    assert ui.pool.id in response.text and other not in response.text


async def _second_pool(deps: Deps) -> tuple[str, str]:
    from cognate.services import pools

    pool = await pools.create_pool(deps, {"PoolName": "Second"})
    return pool.id, pool.name


async def test_a_server_on_a_public_address_does_not_list_its_pools(tmp_path: Path, database_url: str) -> None:
    settings = load_settings(data_dir=tmp_path / "data", database_url=database_url,
                             public_url="https://id.example.com")
    async with in_process_app(settings) as app:
        pool_id, _ = await _second_pool(app.deps)
        response = await app.http.get("/")
    assert response.status_code == 200
    assert pool_id not in response.text and "Second" not in response.text
    assert "/{pool id}/.well-known/openid-configuration" in unescape(response.text)


async def test_the_favicon_is_a_small_icon(ui: Ui) -> None:
    response = await ui.http.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00" and len(response.content) < 4096
    assert "max-age" in response.headers["cache-control"]

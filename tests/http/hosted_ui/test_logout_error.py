"""/logout (spec §1.4) and /error (spec §1): exact logout_uri matching, the re-authenticate variant, the signed-out
page, and a calm error page with the request id and no redirect."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from cognate.services import sessions
from tests.http.hosted_ui.conftest import LOGOUT, PASSWORD, Ui

pytestmark = pytest.mark.asyncio


async def _signed_in(ui: Ui) -> str:
    response = await ui.login("jane@example.com", PASSWORD)
    return response.cookies["cognate_session"]


async def test_registered_logout_uri_clears_the_session_and_redirects(ui: Ui) -> None:
    raw = await _signed_in(ui)
    response = await ui.page(f"/logout?{urlencode({'client_id': ui.web.id, 'logout_uri': LOGOUT})}")
    assert response.status_code == 302 and response.headers["location"] == LOGOUT
    assert 'cognate_session="";' in response.headers["set-cookie"] or "Max-Age=0" in response.headers["set-cookie"]
    assert await sessions.current_session(ui.deps, raw, ui.pool.id) is None


@pytest.mark.parametrize("uri", [LOGOUT + "/", LOGOUT.upper(), "https://evil.example/bye", LOGOUT + "?x=1"])
async def test_unregistered_logout_uri_is_an_error_page_and_keeps_the_session(ui: Ui, uri: str) -> None:
    raw = await _signed_in(ui)
    response = await ui.page(f"/logout?{urlencode({'client_id': ui.web.id, 'logout_uri': uri})}")
    assert response.status_code == 400 and "location" not in response.headers
    assert "not registered" in response.text
    assert await sessions.current_session(ui.deps, raw, ui.pool.id) is not None


async def test_reauthenticate_variant_goes_to_login(ui: Ui) -> None:
    raw = await _signed_in(ui)
    response = await ui.page(f"/logout?{ui.query()}")
    assert response.status_code == 302 and response.headers["location"] == f"/login?{ui.query()}"
    assert await sessions.current_session(ui.deps, raw, ui.pool.id) is None
    bad = await ui.page(f"/logout?{ui.query(redirect_uri='https://evil.example/cb')}")
    assert bad.status_code == 400 and "location" not in bad.headers


async def test_without_a_redirect_shows_the_signed_out_page(ui: Ui) -> None:
    raw = await _signed_in(ui)
    response = await ui.page(f"/logout?client_id={ui.web.id}")
    assert response.status_code == 200 and "You have been signed out" in response.text
    assert await sessions.current_session(ui.deps, raw, ui.pool.id) is None


async def test_missing_client_id(ui: Ui) -> None:
    response = await ui.page("/logout")
    assert response.status_code == 400 and "Missing required parameter client_id in request URL" in response.text


async def test_error_page_is_calm_with_request_id(ui: Ui) -> None:
    response = await ui.page("/error?error=redirect_mismatch&error_description=bad+uri&client_id=x")
    assert response.status_code == 400 and "location" not in response.headers
    assert "is not set up correctly" in response.text and "bad uri" not in response.text  # no URL text (issue 12)
    assert response.headers["x-amzn-requestid"] in response.text
    assert "Traceback" not in response.text


async def test_unexpected_failures_render_a_calm_500(ui: Ui, monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*_: object, **__: object) -> None:
        raise RuntimeError("internal detail that must not leak")

    monkeypatch.setattr("cognate.hosted_ui.sign_in.password_sign_in", broken)
    response = await ui.login("jane@example.com", PASSWORD)
    assert response.status_code == 500 and "Something went wrong on our side" in response.text
    assert "internal detail" not in response.text and "Traceback" not in response.text


async def test_an_unreachable_database_is_left_to_the_apps_503(ui: Ui, monkeypatch: pytest.MonkeyPatch) -> None:
    from cognate.store.base import Unavailable

    async def down(*_: object, **__: object) -> None:
        raise Unavailable("connection refused")

    monkeypatch.setattr("cognate.hosted_ui.sign_in.password_sign_in", down)
    response = await ui.login("jane@example.com", PASSWORD)
    assert response.status_code == 503 and "connection refused" not in response.text

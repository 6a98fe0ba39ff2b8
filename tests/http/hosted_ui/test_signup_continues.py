"""After the sign-up code the hosted UI goes on to the app, as Cognito's does (issue 13): the browser that created
the account proves it with a sealed, short-lived, HttpOnly cookie set at /signup and consumed at /confirmUser. Any
other confirmation (another browser, the e-mail link, an expired or foreign cookie, a replay, a disabled account)
still confirms the account but then asks for the password, as before."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pyotp
import pytest

from cognate.services import audit, mfa, users
from tests.http.hosted_ui.conftest import CALLBACK, PASSWORD, SESSION_RE, Ui, location_params

pytestmark = pytest.mark.asyncio
SIGNUP_COOKIE = "cognate_signup"
SESSION_COOKIE = "cognate_session"


async def _sign_up(ui: Ui, email: str = "sam@example.com", **extra: str) -> str:
    """Sign up in this browser; the confirm page URL the 303 points at."""
    response = await ui.submit(f"/signup?{ui.query(**extra)}",
                               {"email": email, "given_name": "Sam", "password": PASSWORD})
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def _confirm(ui: Ui, location: str, email: str = "sam@example.com") -> httpx.Response:
    return await ui.submit(location, {"code": ui.mail.last_code(email), "action": "confirm"})


def _forget_cookie(ui: Ui, name: str) -> None:
    ui.http.cookies.delete(name)


def _set_signup_cookie(ui: Ui, value: str) -> None:
    _forget_cookie(ui, SIGNUP_COOKIE)
    ui.http.cookies.set(SIGNUP_COOKIE, value, domain="127.0.0.1", path="/confirmUser")


def _signup_cookie(ui: Ui) -> str:
    values = [c.value for c in ui.http.cookies.jar if c.name == SIGNUP_COOKIE]
    assert len(values) == 1 and values[0]
    return str(values[0])


async def test_sign_up_then_the_code_returns_to_the_app_with_a_code_for_the_new_user(ui: Ui) -> None:
    location = await _sign_up(ui)
    response = await _confirm(ui, location)
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith(f"{CALLBACK}?")
    params = location_params(response)
    assert params["state"] == ["st-1"]
    assert response.cookies.get(SESSION_COOKIE)  # the single-sign-on session
    assert not [c for c in ui.http.cookies.jar if c.name == SIGNUP_COOKIE]  # consumed

    token = await ui.http.post("/oauth2/token", data={"grant_type": "authorization_code", "code": params["code"][0],
                                                      "client_id": ui.web.id, "redirect_uri": CALLBACK})
    assert token.status_code == 200, token.text
    claims = jwt.decode(token.json()["id_token"], options={"verify_signature": False})
    sam = await users.get_user(ui.deps, ui.pool.id, "sam@example.com")
    assert claims["sub"] == sam.sub and claims["email"] == "sam@example.com" and sam.status == "CONFIRMED"
    events = [(e.event, e.outcome, e.detail.get("flow")) for e in await audit.list_events(ui.deps, sub=sam.sub)]
    assert ("sign_in", "success", "sign_up") in events


async def test_sign_up_cookie_is_http_only_lax_and_scoped_to_the_confirm_page(ui: Ui) -> None:
    response = await ui.submit(f"/signup?{ui.query()}", {"email": "sam@example.com", "given_name": "Sam",
                                                         "password": PASSWORD})
    header = next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{SIGNUP_COOKIE}="))
    lowered = header.lower()
    assert "httponly" in lowered and "samesite=lax" in lowered and "path=/confirmuser" in lowered
    assert "max-age=" in lowered and PASSWORD not in header and "sam@example.com" not in header


async def test_implicit_flow_gets_its_tokens_in_the_fragment(ui: Ui) -> None:
    location = await _sign_up(ui, response_type="token")
    response = await _confirm(ui, location)
    assert response.status_code == 303
    fragment = parse_qs(urlsplit(response.headers["location"]).fragment)
    assert fragment["access_token"] and fragment["state"] == ["st-1"]


async def test_another_browser_confirms_then_the_login_page(ui: Ui) -> None:
    location = await _sign_up(ui)
    _forget_cookie(ui, SIGNUP_COOKIE)
    response = await _confirm(ui, location)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?")
    assert "notice=confirmed" in response.headers["location"]
    assert SESSION_COOKIE not in response.cookies
    assert (await users.get_user(ui.deps, ui.pool.id, "sam@example.com")).status == "CONFIRMED"


async def test_a_replayed_sign_up_cookie_does_not_sign_in_twice(ui: Ui) -> None:
    location = await _sign_up(ui)
    cookie = _signup_cookie(ui)
    code = ui.mail.last_code("sam@example.com")
    first = await ui.submit(location, {"code": code, "action": "confirm"})
    assert first.status_code == 303 and first.headers["location"].startswith(f"{CALLBACK}?")
    _forget_cookie(ui, SESSION_COOKIE)
    _set_signup_cookie(ui, cookie)
    again = await ui.submit(location, {"code": code, "action": "confirm"})
    assert not again.headers.get("location", "").startswith(CALLBACK)
    assert SESSION_COOKIE not in again.cookies


async def test_a_sign_up_cookie_for_another_user_does_not_sign_in(ui: Ui) -> None:
    await _sign_up(ui, "xavier@example.com")
    xavier = _signup_cookie(ui)
    location = await _sign_up(ui, "yara@example.com")
    _set_signup_cookie(ui, xavier)
    response = await _confirm(ui, location, "yara@example.com")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?")
    assert SESSION_COOKIE not in response.cookies
    assert (await users.get_user(ui.deps, ui.pool.id, "yara@example.com")).status == "CONFIRMED"


async def test_a_forged_sign_up_cookie_does_not_sign_in(ui: Ui) -> None:
    location = await _sign_up(ui)
    _set_signup_cookie(ui, _signup_cookie(ui)[:-4] + "AAAA")
    response = await _confirm(ui, location)
    assert response.headers["location"].startswith("/login?")


async def test_an_expired_sign_up_cookie_leads_to_the_login_page(ui: Ui) -> None:
    location = await _sign_up(ui)
    ui.clock.advance(ui.web.auth_session_validity * 60 + 1)
    response = await _confirm(ui, location)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?")
    assert SESSION_COOKIE not in response.cookies


async def test_the_email_link_confirms_but_does_not_sign_in(ui: Ui) -> None:
    await _sign_up(ui)
    query = urlencode({"client_id": ui.web.id, "user_name": "sam@example.com",
                       "confirmation_code": ui.mail.last_code("sam@example.com")})
    response = await ui.page(f"/confirmUser?{query}")
    assert response.status_code == 200 and "Account confirmed" in response.text
    assert SESSION_COOKIE not in response.cookies


async def test_a_disabled_account_is_confirmed_but_not_signed_in(ui: Ui) -> None:
    location = await _sign_up(ui)
    await users.set_enabled(ui.deps, ui.pool.id, "sam@example.com", False)
    response = await _confirm(ui, location)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?")
    assert SESSION_COOKIE not in response.cookies


async def test_a_pool_with_mfa_on_continues_to_the_authenticator_set_up(ui: Ui) -> None:
    await mfa.set_pool_mfa_config(ui.deps, ui.pool.id, {"MfaConfiguration": "ON",
                                                        "SoftwareTokenMfaConfiguration": {"Enabled": True}})
    location = await _sign_up(ui)
    step = await _confirm(ui, location)
    assert step.status_code == 200, step.text
    assert "Set up your authenticator app" in step.text
    assert SESSION_COOKIE not in step.cookies
    found = re.search(r'<code id="secret-key">([A-Z2-7 ]+)</code>', step.text)
    assert found
    secret = found.group(1).replace(" ", "")
    assert SESSION_RE.search(step.text)
    done = await ui.post(f"/mfaSetup?{ui.query()}", {"code": pyotp.TOTP(secret).at(int(ui.clock.now()))},
                         page=step.text)
    assert done.status_code == 303 and done.headers["location"].startswith(f"{CALLBACK}?")
    assert done.cookies.get(SESSION_COOKIE)


async def test_signing_in_unconfirmed_then_the_code_goes_on_to_the_app(ui: Ui) -> None:
    """The right password of an unconfirmed account leads to the confirm page; its code then finishes the sign-in
    in that browser, as after a sign-up."""
    await _sign_up(ui)
    _forget_cookie(ui, SIGNUP_COOKIE)  # e.g. signed up yesterday, in another browser
    ui.mail.sent.clear()
    step = await ui.login("sam@example.com", PASSWORD)
    assert step.status_code == 303 and step.headers["location"].startswith("/confirmUser?")
    response = await _confirm(ui, step.headers["location"])
    assert response.status_code == 303 and response.headers["location"].startswith(f"{CALLBACK}?")
    assert response.cookies.get(SESSION_COOKIE)


async def test_a_sign_up_without_an_app_sets_no_cookie(ui: Ui) -> None:
    response = await ui.submit(f"/signup?client_id={ui.web.id}", {"email": "sam@example.com", "given_name": "Sam",
                                                                  "password": PASSWORD})
    assert response.status_code == 303
    assert not [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{SIGNUP_COOKIE}=")]

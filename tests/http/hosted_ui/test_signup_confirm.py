"""/signup and /confirmUser (spec §1, §5): the pool's fields, password rules before and after, username taken,
the code by mail, wrong / expired code, resend, and the e-mail link form."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from cognate.domain.pools import pool_to_stored
from cognate.services import pools
from tests.http.hosted_ui.conftest import PASSWORD, Ui, make_pool

pytestmark = pytest.mark.asyncio


async def _sign_up(ui: Ui, email: str = "sam@example.com") -> str:
    """Sign up; return the confirm page URL the 303 points at."""
    response = await ui.submit(f"/signup?{ui.query()}", {"email": email, "given_name": "Sam", "password": PASSWORD})
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def test_fields_are_the_pools_attributes_in_order_with_rules_shown_first(ui: Ui) -> None:
    html = (await ui.page(f"/signup?{ui.query()}")).text
    names = re.findall(r'<input class="inputField-customizable" id="[^"]+" name="([^"]+)"', html)
    assert names == ["email", "given_name", "password"]
    assert html.index("Your password needs") < html.index('name="password"')
    assert re.search(r'name="password"[^>]*aria-describedby="f-password-rules"', html)
    for rule in ("at least 8 characters", "an uppercase letter", "a number", "a symbol"):
        assert rule in html


async def test_username_pools_ask_for_a_username_and_custom_attributes(ui: Ui) -> None:
    _, client = await make_pool(ui.deps, pool={
        "PoolName": "Plain", "UsernameAttributes": None, "AutoVerifiedAttributes": ["email"],
        "Schema": [{"Name": "family_name", "Required": True, "Mutable": True},
                   {"Name": "name", "Required": True, "Mutable": True}]})
    query = urlencode({"response_type": "code", "client_id": client.id, "redirect_uri": "http://localhost:3000/cb"})
    html = (await ui.page(f"/signup?{query}")).text
    names = re.findall(r'<input class="inputField-customizable" id="[^"]+" name="([^"]+)"', html)
    assert names == ["username", "family_name", "name", "email", "password"]


async def test_every_password_violation_is_listed_after_submit(ui: Ui) -> None:
    response = await ui.submit(f"/signup?{ui.query()}", {"email": "sam@example.com", "given_name": "Sam",
                                                         "password": "abc"})
    assert response.status_code == 400
    error = re.search(r'<div class="field-error errorMessage-customizable" id="f-password-error">(.*?)</div>',
                      response.text, re.S)
    assert error is not None
    for rule in ("at least 8 characters", "an uppercase letter", "a number", "a symbol"):
        assert rule in error.group(1)
    assert "a lowercase letter" not in error.group(1)
    assert re.search(r'aria-describedby="f-password-rules f-password-error"', response.text)
    assert 'value="sam@example.com"' in response.text and 'value="Sam"' in response.text
    assert not ui.mail.sent


async def test_missing_required_attribute_is_tied_to_its_input(ui: Ui) -> None:
    response = await ui.submit(f"/signup?{ui.query()}", {"email": "sam@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert re.search(r'id="f-given-name"[^>]*aria-describedby="f-given-name-error"[^>]*aria-invalid="true"',
                     response.text)
    assert ('<p class="field-error errorMessage-customizable" id="f-given-name-error">Please fill in this field.</p>'
            in response.text)


async def test_username_taken(ui: Ui) -> None:
    response = await ui.submit(f"/signup?{ui.query()}", {"email": "jane@example.com", "given_name": "J",
                                                         "password": PASSWORD})
    assert response.status_code == 400
    assert ('<p class="field-error errorMessage-customizable" id="f-email-error">An account with these details '
            'already exists.') in response.text


async def test_sign_up_mails_a_code_and_the_confirm_page_shows_where(ui: Ui) -> None:
    location = await _sign_up(ui)
    assert location.startswith("/confirmUser?") and "flow=" in location
    assert ui.mail.sent[-1].to == "sam@example.com"
    page = await ui.page(location)
    assert page.status_code == 200
    assert "We sent a code to s***@e***." in page.text
    assert '<label class="label-customizable" for="f-code">Verification code</label>' in page.text
    assert 'name="action" value="resend"' in page.text and "formnovalidate" in page.text


async def test_right_code_in_another_browser_confirms_and_goes_to_sign_in_with_a_note(ui: Ui) -> None:
    """Without the sign-up browser's cookie (issue 13: that browser goes on to the app, test_signup_continues.py)."""
    location = await _sign_up(ui)
    ui.http.cookies.delete("cognate_signup")
    code = ui.mail.last_code("sam@example.com")
    response = await ui.submit(location, {"code": code, "action": "confirm"})
    assert response.status_code == 303 and response.headers["location"].startswith("/login?")
    login = await ui.page(response.headers["location"])
    assert "Your account is confirmed. Please sign in." in login.text
    assert 'value="sam@example.com"' in login.text
    assert (await ui.login("sam@example.com", PASSWORD)).status_code == 303


async def test_wrong_code_is_tied_to_the_code_input(ui: Ui) -> None:
    location = await _sign_up(ui)
    code = ui.mail.last_code("sam@example.com")
    wrong = "000000" if code != "000000" else "111111"
    response = await ui.submit(location, {"code": wrong, "action": "confirm"})
    assert response.status_code == 400
    assert re.search(r'id="f-code"[^>]*aria-describedby="f-code-hint f-code-error"', response.text)
    assert "That code is not right." in response.text
    assert "s***@e***" in response.text


async def test_expired_code_says_so(ui: Ui) -> None:
    location = await _sign_up(ui)
    code = ui.mail.last_code("sam@example.com")
    ui.clock.advance(25 * 3600)
    response = await ui.submit(location, {"code": code, "action": "confirm"})
    assert response.status_code == 400 and "That code has expired." in response.text


async def test_resend_sends_a_new_code(ui: Ui) -> None:
    location = await _sign_up(ui)
    first = ui.mail.last_code("sam@example.com")
    response = await ui.submit(location, {"action": "resend"})
    assert response.status_code == 303 and "notice=code_resent" in response.headers["location"]
    assert len(ui.mail.sent) == 2
    page = await ui.page(response.headers["location"])
    assert "We sent a new code to s***@e***." in page.text
    second = ui.mail.last_code("sam@example.com")
    if first != second:
        stale = await ui.submit(response.headers["location"], {"code": first, "action": "confirm"})
        assert stale.status_code == 400


async def test_link_form_confirms_directly(ui: Ui) -> None:
    await _sign_up(ui)
    code = ui.mail.last_code("sam@example.com")
    query = urlencode({"client_id": ui.web.id, "user_name": "sam@example.com", "confirmation_code": code})
    response = await ui.page(f"/confirmUser?{query}")
    assert response.status_code == 200 and "Account confirmed" in response.text
    again = await ui.page(f"/confirmUser?{query}")  # the client hides user existence: confirmed looks unknown
    assert again.status_code == 400 and "That code is not right" in again.text


async def test_sign_up_disabled_pool_says_so(ui: Ui) -> None:
    req = pool_to_stored(ui.pool)
    req["AdminCreateUserConfig"] = {**req["AdminCreateUserConfig"], "AllowAdminCreateUserOnly": True}
    await pools.update_pool_settings(ui.deps, ui.pool.id, req)
    login = await ui.page(f"/login?{ui.query()}")
    assert "Need an account?" not in login.text
    response = await ui.submit(f"/signup?{ui.query()}", {"email": "sam@example.com", "given_name": "Sam",
                                                         "password": PASSWORD})
    assert response.status_code == 400 and "cannot create an account" in response.text

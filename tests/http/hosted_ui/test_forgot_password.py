"""/forgotPassword → /confirmForgotPassword (spec §1, §5): the code by mail, then code and new password twice;
success goes back to sign in with a note."""

from __future__ import annotations

import pytest

from cognate.domain.signin import MAX_CODE_ATTEMPTS, MAX_CODE_SENDS
from tests.http.hosted_ui.conftest import PASSWORD, Ui

pytestmark = pytest.mark.asyncio
NEW = "New-Horse-42"


async def _ask(ui: Ui, username: str = "jane@example.com") -> str:
    response = await ui.submit(f"/forgotPassword?{ui.query()}", {"username": username})
    assert response.status_code == 303, response.text
    return response.headers["location"]


async def test_ask_for_username_then_code_and_new_password(ui: Ui) -> None:
    form = await ui.page(f"/forgotPassword?{ui.query()}")
    assert '<label class="label-customizable" for="f-username">Email address</label>' in form.text
    location = await _ask(ui)
    assert location.startswith("/confirmForgotPassword?")
    page = await ui.page(location)
    assert "We sent a code to j***@e***." in page.text
    for name in ("code", "new_password", "confirm_password"):
        assert f'name="{name}"' in page.text
    code = ui.mail.last_code("jane@example.com")
    done = await ui.submit(location, {"code": code, "new_password": NEW, "confirm_password": NEW})
    assert done.status_code == 303 and done.headers["location"].startswith("/login?")
    login = await ui.page(done.headers["location"])
    assert "Your password has been changed." in login.text
    assert (await ui.login("jane@example.com", PASSWORD)).status_code == 400
    assert (await ui.login("jane@example.com", NEW)).status_code == 303


async def test_mismatch_violations_and_wrong_code(ui: Ui) -> None:
    location = await _ask(ui)
    code = ui.mail.last_code("jane@example.com")
    mismatch = await ui.submit(location, {"code": code, "new_password": NEW, "confirm_password": NEW + "x"})
    assert mismatch.status_code == 400 and "The two passwords do not match." in mismatch.text
    assert 'aria-describedby="f-confirm_password-error"' in mismatch.text
    weak = await ui.submit(location, {"code": code, "new_password": "weakpass", "confirm_password": "weakpass"})
    assert weak.status_code == 400 and "an uppercase letter" in weak.text and "a number" in weak.text
    wrong = "000000" if code != "000000" else "111111"
    bad = await ui.submit(location, {"code": wrong, "new_password": NEW, "confirm_password": NEW})
    assert bad.status_code == 400 and "That code is not right." in bad.text


async def test_unknown_user_gets_a_simulated_delivery(ui: Ui) -> None:
    location = await _ask(ui, "ghost@example.com")
    page = await ui.page(location)
    assert "g***@e***" in page.text and not ui.mail.sent


async def test_empty_username_is_asked_for(ui: Ui) -> None:
    response = await ui.submit(f"/forgotPassword?{ui.query()}", {"username": ""})
    assert response.status_code == 400 and 'id="f-username-error"' in response.text


async def test_spent_code_and_too_many_mails_are_readable_pages(ui: Ui) -> None:
    """Issue 12: after five wrong codes the sixth answer is the limit (not "expired"), and past the hour's cap of
    code mails /forgotPassword says so on its page."""
    location = await _ask(ui)
    code = ui.mail.last_code("jane@example.com")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(MAX_CODE_ATTEMPTS):
        bad = await ui.submit(location, {"code": wrong, "new_password": NEW, "confirm_password": NEW})
        assert bad.status_code == 400 and "That code is not right." in bad.text
    spent = await ui.submit(location, {"code": code, "new_password": NEW, "confirm_password": NEW})
    assert spent.status_code == 400 and "Too many attempts." in spent.text
    for _ in range(MAX_CODE_SENDS - 1):
        await _ask(ui)
    capped = await ui.submit(f"/forgotPassword?{ui.query()}", {"username": "jane@example.com"})
    assert capped.status_code == 400 and "Too many attempts." in capped.text

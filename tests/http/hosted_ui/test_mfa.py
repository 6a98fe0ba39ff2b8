"""The hosted UI's second sign-in step (spec §6 T2 TOTP MFA; HOSTED_UI.md sign in: "MFA code step"): after the
right password an account with an authenticator app gets the code page; only the current, unused code signs in."""

from __future__ import annotations

import re
from dataclasses import replace

import pyotp
import pytest

from cognate.hosted_ui._catalogue import EN
from cognate.services import audit, mfa
from tests.http.hosted_ui.conftest import CALLBACK, PASSWORD, Ui, location_params

pytestmark = pytest.mark.asyncio
CODE_MISMATCH = EN["error.code_mismatch"]


async def _enrol(ui: Ui) -> pyotp.TOTP:
    """jane@example.com sets up an authenticator app (as AssociateSoftwareToken + VerifySoftwareToken would)."""
    await mfa.set_pool_mfa_config(ui.deps, ui.pool.id, {"MfaConfiguration": "OPTIONAL",
                                                        "SoftwareTokenMfaConfiguration": {"Enabled": True}})
    setup = mfa.challenge_after_password(ui.deps, replace(ui.pool, mfa_configuration="ON"), ui.web, ui.user)
    assert setup is not None and setup.session is not None
    secret, _ = await mfa.associate(ui.deps, access_token=None, session=setup.session)
    totp = pyotp.TOTP(secret)
    await mfa.verify(ui.deps, access_token=None, session=setup.session, code=totp.at(int(ui.clock.now())))
    ui.clock.advance(30)  # the step used to verify is spent
    return totp


async def test_the_right_password_leads_to_the_code_page_and_the_current_code_signs_in(ui: Ui) -> None:
    totp = await _enrol(ui)
    step = await ui.login("jane@example.com", PASSWORD)
    assert step.status_code == 200 and "set-cookie" not in step.headers
    assert "Enter your sign-in code" in step.text and 'autocomplete="one-time-code"' in step.text
    assert 'name="_csrf"' in step.text and 'name="session"' in step.text

    current = totp.at(int(ui.clock.now()))
    wrong = await ui.post(f"/mfa?{ui.query()}", {"code": "000000" if current != "000000" else "111111"},
                          page=step.text)
    assert wrong.status_code == 400 and "set-cookie" not in wrong.headers
    assert "Enter your sign-in code" in wrong.text and CODE_MISMATCH in wrong.text  # the code page again

    signed_in = await ui.post(f"/mfa?{ui.query()}", {"code": totp.at(int(ui.clock.now()))}, page=wrong.text)
    assert signed_in.status_code == 303 and signed_in.headers["location"].startswith(f"{CALLBACK}?")
    assert location_params(signed_in)["state"] == ["st-1"] and signed_in.cookies["cognate_session"]
    events = [(e.event, e.outcome, e.detail.get("flow"), e.detail.get("door"))
              for e in await audit.list_events(ui.deps, sub=ui.user.sub)]
    assert ("sign_in", "failure", "mfa", "hosted_ui") in events and ("sign_in", "success", "mfa", "hosted_ui") in events

    again = await ui.post(f"/mfa?{ui.query()}", {"code": totp.at(int(ui.clock.now()))}, page=step.text)
    assert again.status_code == 400 and "set-cookie" not in again.headers  # a code signs in once


async def test_the_code_page_refuses_a_missing_code_and_a_forged_or_expired_session(ui: Ui) -> None:
    totp = await _enrol(ui)
    step = await ui.login("jane@example.com", PASSWORD)
    empty = await ui.post(f"/mfa?{ui.query()}", {"code": ""}, page=step.text)
    assert empty.status_code == 400 and "Enter your sign-in code" in empty.text
    forged = await ui.post(f"/mfa?{ui.query()}", {"code": totp.now(), "session": "bm90LWEtc2Vzc2lvbg=="},
                           page=step.text)
    assert forged.status_code == 400 and "This step took too long. Please sign in again." in forged.text
    ui.clock.advance(ui.web.auth_session_validity * 60 + 1)
    late = await ui.post(f"/mfa?{ui.query()}", {"code": totp.at(int(ui.clock.now()))}, page=step.text)
    assert late.status_code == 400 and "set-cookie" not in late.headers
    assert "This step took too long. Please sign in again." in late.text


async def test_an_account_the_pool_requires_mfa_of_sets_up_its_app_then_signs_in_with_it(ui: Ui) -> None:
    await mfa.set_pool_mfa_config(ui.deps, ui.pool.id, {"MfaConfiguration": "ON",
                                                        "SoftwareTokenMfaConfiguration": {"Enabled": True}})
    setup = await ui.login("jane@example.com", PASSWORD)
    assert setup.status_code == 200 and "set-cookie" not in setup.headers
    assert "Set up your authenticator app" in setup.text and "<svg" in setup.text and "<script" not in setup.text
    found = re.search(r'<code id="secret-key">([A-Z2-7 ]+)</code>', setup.text)
    assert found
    totp = pyotp.TOTP(found.group(1).replace(" ", ""))

    current = totp.at(int(ui.clock.now()))
    wrong = await ui.post(f"/mfaSetup?{ui.query()}", {"code": "000000" if current != "000000" else "111111"},
                          page=setup.text)
    assert wrong.status_code == 400 and CODE_MISMATCH in wrong.text and found.group(1) in wrong.text
    done = await ui.post(f"/mfaSetup?{ui.query()}", {"code": current}, page=wrong.text)
    assert done.status_code == 303 and done.headers["location"].startswith(f"{CALLBACK}?")
    assert done.cookies["cognate_session"]

    ui.clock.advance(30)
    step = await ui.login("jane@example.com", PASSWORD)  # from now on the code page, with the app just set up
    assert "Enter your sign-in code" in step.text
    signed_in = await ui.post(f"/mfa?{ui.query()}", {"code": totp.at(int(ui.clock.now()))}, page=step.text)
    assert signed_in.status_code == 303


async def test_german_code_page(ui: Ui) -> None:
    await _enrol(ui)
    step = await ui.login("jane@example.com", PASSWORD, lang="de")
    assert step.status_code == 200 and "Anmeldecode eingeben" in step.text

"""/login (spec §1): the form, its error states, the hand-offs to confirm and new-password, and the 303 back to
the app with a code (or the implicit fragment) and a fresh session cookie."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pytest

from cognate.domain.errors import NotAuthorizedException
from cognate.services import sessions, users
from cognate.services.clients import seal_client
from tests.http.hosted_ui.conftest import CALLBACK, PASSWORD, Ui, location_params

pytestmark = pytest.mark.asyncio


async def test_empty_form_has_labelled_inputs_csrf_and_links_that_keep_the_request(ui: Ui) -> None:
    response = await ui.page(f"/login?{ui.query()}")
    assert response.status_code == 200
    html = response.text
    assert '<label class="label-customizable" for="f-username">Email address</label>' in html
    assert '<label class="label-customizable" for="f-password">Password</label>' in html
    assert 'name="username"' in html and 'name="password"' in html and 'name="_csrf"' in html
    assert "Acme Web" in html and "Acme Accounts" in html
    query = ui.query().replace("&", "&amp;")
    assert f'href="/forgotPassword?{query}"' in html
    assert f'href="/signup?{query}"' in html
    assert "Need an account?" in html and "Forgot your password?" in html


async def test_success_answers_303_with_code_state_and_session_cookie(ui: Ui) -> None:
    response = await ui.login("jane@example.com", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"{CALLBACK}?")
    params = location_params(response)
    assert params["state"] == ["st-1"] and len(params["code"][0]) > 20
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("cognate_session=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    raw = response.cookies["cognate_session"]
    assert await sessions.current_session(ui.deps, raw, ui.pool.id) is not None


async def test_signing_in_again_rotates_the_session_id(ui: Ui) -> None:
    first = (await ui.login("jane@example.com", PASSWORD)).cookies["cognate_session"]
    second = (await ui.login("jane@example.com", PASSWORD)).cookies["cognate_session"]
    assert first != second
    assert await sessions.current_session(ui.deps, first, ui.pool.id) is None
    assert await sessions.current_session(ui.deps, second, ui.pool.id) is not None


async def test_implicit_flow_returns_tokens_in_the_fragment(ui: Ui) -> None:
    response = await ui.login("jane@example.com", PASSWORD, response_type="token")
    assert response.status_code == 303
    fragment = parse_qs(urlsplit(response.headers["location"]).fragment)
    assert fragment["token_type"] == ["bearer"] and fragment["state"] == ["st-1"]
    assert "id_token" in fragment and "access_token" in fragment


@pytest.mark.parametrize(("username", "password"), [("jane@example.com", "Wrong-pass-1"),
                                                    ("nobody@example.com", PASSWORD)])
async def test_wrong_credentials_and_unknown_users_read_the_same(ui: Ui, username: str, password: str) -> None:
    response = await ui.login(username, password)
    assert response.status_code == 400
    assert 'role="alert" id="form-error">Incorrect username or password.' in response.text
    assert re.search(r'id="f-password"[^>]*aria-describedby="form-error"', response.text)
    assert f'value="{username}"' in response.text
    assert password not in response.text


async def test_a_locked_out_user_looks_like_wrong_credentials(ui: Ui, monkeypatch: pytest.MonkeyPatch) -> None:
    async def locked(*_: object, **__: object) -> None:
        raise NotAuthorizedException("Password attempts exceeded")

    monkeypatch.setattr("cognate.hosted_ui.sign_in.password_sign_in", locked)
    response = await ui.login("jane@example.com", PASSWORD)
    assert response.status_code == 400 and "Incorrect username or password." in response.text


async def test_a_real_lock_out_reads_like_wrong_credentials(ui: Ui) -> None:
    for _ in range(5):
        assert (await ui.login("jane@example.com", "Wrong-pass-1")).status_code == 400
    locked = await ui.login("jane@example.com", PASSWORD)  # the right password, but locked for now
    assert locked.status_code == 400 and "Incorrect username or password." in locked.text
    ui.clock.advance(2)
    assert (await ui.login("jane@example.com", PASSWORD)).status_code == 303


async def test_empty_submission_asks_to_fill_in(ui: Ui) -> None:
    response = await ui.login("", "")
    assert response.status_code == 400 and "Please fill in this field." in response.text


async def test_disabled_user_is_told(ui: Ui) -> None:
    await users.set_enabled(ui.deps, ui.pool.id, "jane@example.com", False)
    response = await ui.login("jane@example.com", PASSWORD)
    assert response.status_code == 400 and "This account is disabled." in response.text


async def test_unconfirmed_user_gets_a_fresh_code_and_the_confirm_page(ui: Ui) -> None:
    await ui.submit(f"/signup?{ui.query()}", {"email": "sam@example.com", "given_name": "Sam",
                                              "password": PASSWORD})
    ui.mail.sent.clear()
    response = await ui.login("sam@example.com", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/confirmUser?")
    assert ui.mail.sent and ui.mail.sent[-1].to == "sam@example.com"
    page = await ui.page(response.headers["location"])
    assert "not confirmed yet" in page.text and "s***@e***" in page.text


async def test_force_change_password_user_chooses_a_new_password(ui: Ui) -> None:
    await users.create_user(ui.deps, ui.pool.id, username="temp@example.com",
                            attributes={"given_name": "Tem"}, password="Temp-pass-1")
    step = await ui.login("temp@example.com", "Temp-pass-1")
    assert step.status_code == 200 and 'name="new_password"' in step.text and 'name="session"' in step.text
    assert "Temp-pass-1" not in step.text
    url = f"/newPassword?{ui.query()}"
    mismatch = await ui.post(url, {"new_password": "Brand-new-1", "confirm_password": "Other-1x!"}, page=step.text)
    assert mismatch.status_code == 400 and "The two passwords do not match." in mismatch.text
    weak = await ui.post(url, {"new_password": "short", "confirm_password": "short"}, page=step.text)
    assert weak.status_code == 400 and "at least 8 characters" in weak.text and "a number" in weak.text
    done = await ui.post(url, {"new_password": "Brand-new-1", "confirm_password": "Brand-new-1"}, page=step.text)
    assert done.status_code == 303 and "code" in location_params(done)
    assert (await ui.login("temp@example.com", "Brand-new-1")).status_code == 303


async def test_new_password_step_refuses_a_forged_or_expired_session(ui: Ui) -> None:
    await users.create_user(ui.deps, ui.pool.id, username="temp@example.com",
                            attributes={"given_name": "Tem"}, password="Temp-pass-1")
    step = await ui.login("temp@example.com", "Temp-pass-1")
    url = f"/newPassword?{ui.query()}"
    forged = await ui.post(url, {"session": "forged", "new_password": "Brand-new-1",
                                 "confirm_password": "Brand-new-1"}, page=step.text)
    assert forged.status_code == 400 and "took too long" in forged.text
    ui.clock.advance(4 * 60)
    late = await ui.post(url, {"new_password": "Brand-new-1", "confirm_password": "Brand-new-1"}, page=step.text)
    assert late.status_code == 400 and "took too long" in late.text


async def test_client_without_cognito_provider_gets_no_password_form(ui: Ui) -> None:
    async with ui.deps.store.transaction() as tx:
        record = await tx.clients.get(ui.web.id)
        assert record is not None
        await tx.clients.update(seal_client(ui.deps.sealer, replace(record.client,
                                                                     supported_identity_providers=("Google",))))
    page = await ui.page(f"/login?{ui.query()}")
    assert page.status_code == 200 and 'name="password"' not in page.text
    assert "another identity provider" in page.text
    token_page = await ui.page(f"/forgotPassword?{ui.query()}")
    post = await ui.post(f"/login?{ui.query()}", {"username": "jane@example.com", "password": PASSWORD},
                         page=token_page.text)
    assert post.status_code == 400 and "location" not in post.headers


async def test_unknown_client_shows_the_error_page_without_redirecting(ui: Ui) -> None:
    response = await ui.page(f"/login?{ui.query(client_id='nope')}")
    assert response.status_code == 400 and "location" not in response.headers
    assert "not set up correctly" in response.text or "not known" in response.text
    unregistered = await ui.page(f"/login?{ui.query(redirect_uri='https://evil.example/cb')}")
    assert unregistered.status_code == 400 and "location" not in unregistered.headers


async def test_other_authorize_errors_go_back_to_the_app(ui: Ui) -> None:
    response = await ui.page(f"/login?{ui.query(response_type='bogus')}")
    assert response.status_code == 302
    assert location_params(response)["error"] == ["unsupported_response_type"]


async def test_a_pool_domain_serves_only_its_own_clients(ui: Ui) -> None:
    from tests.http.hosted_ui.conftest import make_pool

    _, other = await make_pool(ui.deps, pool={"PoolName": "Other"})
    foreign = await ui.http.get(f"/login?{ui.query(client_id=other.id)}", headers={"host": "acme.auth.localhost"})
    assert foreign.status_code == 400
    own = await ui.http.get(f"/login?{ui.query()}", headers={"host": "acme.auth.localhost"})
    assert own.status_code == 200


async def test_language_from_lang_then_accept_language(ui: Ui) -> None:
    german = await ui.page(f"/login?{ui.query(lang='de')}")
    assert '<html lang="de">' in german.text and "Passwort vergessen?" in german.text
    header = await ui.page(f"/login?{ui.query()}", **{"accept-language": "fr-FR, de;q=0.8, en;q=0.5"})
    assert "Anmelden" in header.text
    fallback = await ui.page(f"/login?{ui.query()}", **{"accept-language": "fr-FR"})
    assert '<html lang="en">' in fallback.text
    wrong = await ui.post(f"/login?{ui.query(lang='de')}", {"username": "jane@example.com", "password": "x"},
                          page=german.text)
    assert "Benutzername oder Passwort ist falsch." in wrong.text

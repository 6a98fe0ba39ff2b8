"""A stolen session outliving a password reset (issue 12, item 8; OWASP ASVS 3.3.3): after ConfirmForgotPassword
(JSON API or the hosted UI's /confirmForgotPassword) and after AdminSetUserPassword, the user's refresh tokens, the
access tokens minted from them and the hosted-UI sessions are dead. ChangePassword keeps them (documented in the
README): the caller proved the old password, and GlobalSignOut is the "terminate all other sessions" option."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

from cognate.domain.users import User
from cognate.services import users
from tests.security.conftest import ASYNC, CB, PASSWORD, World, query_of

pytestmark = ASYNC

NEW_PASSWORD = "Brand-New-Passw0rd"


async def _user(world: World, username: str) -> User:
    user, _ = await users.create_user(world.deps, world.pool.id, username=username, password=PASSWORD,
                                      attributes={"email": f"{username}@example.com", "email_verified": "true"},
                                      permanent=True)
    return user


async def _api_tokens(world: World, username: str) -> dict[str, str]:
    response = await world.password_auth(username, PASSWORD)
    assert response.status_code == 200, response.text
    return dict(response.json()["AuthenticationResult"])


async def _refresh(world: World, refresh_token: str) -> httpx.Response:
    return await world.api("InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": world.spa.id,
                                            "AuthParameters": {"REFRESH_TOKEN": refresh_token}})


async def _silent_sign_in(world: World) -> str:
    """Where /oauth2/authorize sends this browser: the app with a code (a live session) or /login."""
    response = await world.http.get(f"/oauth2/authorize?{world.authorize_query()}")
    assert response.status_code == 302, response.text
    return response.headers["location"]


async def _assert_stolen_tokens_dead(world: World, tokens: dict[str, str]) -> None:
    refreshed = await _refresh(world, tokens["RefreshToken"])
    assert refreshed.status_code == 400 and refreshed.json()["__type"] == "NotAuthorizedException", refreshed.text
    me = await world.api("GetUser", {"AccessToken": tokens["AccessToken"]})
    assert me.status_code == 400 and me.json()["__type"] == "NotAuthorizedException", me.text
    assert (await world.userinfo(tokens["AccessToken"])).status_code == 401


async def _reset_through_api(world: World, username: str) -> None:
    sent = await world.api("ForgotPassword", {"ClientId": world.spa.id, "Username": username})
    assert sent.status_code == 200, sent.text
    code = world.mail.last_code(f"{username}@example.com")
    done = await world.api("ConfirmForgotPassword", {"ClientId": world.spa.id, "Username": username,
                                                     "ConfirmationCode": code, "Password": NEW_PASSWORD})
    assert done.status_code == 200, done.text


async def test_stolen_api_tokens_refused_after_confirm_forgot_password(world: World) -> None:
    await _user(world, "reset-api")
    tokens = await _api_tokens(world, "reset-api")
    assert (await _refresh(world, tokens["RefreshToken"])).status_code == 200  # the control: alive before
    await _reset_through_api(world, "reset-api")
    await _assert_stolen_tokens_dead(world, tokens)
    assert (await world.password_auth("reset-api", NEW_PASSWORD)).status_code == 200


async def test_stolen_hosted_ui_session_refused_after_confirm_forgot_password(world: World) -> None:
    user = await _user(world, "reset-ui")
    await world.sign_in(user)
    assert (await _silent_sign_in(world)).startswith(CB + "?code="), "the control: the session signs in silently"
    stolen = dict(world.http.cookies)
    world.http.cookies.clear()
    await _reset_through_api(world, "reset-ui")
    world.http.cookies.update(stolen)
    assert urlsplit(await _silent_sign_in(world)).path == "/login"


async def test_stolen_tokens_and_session_refused_after_hosted_ui_reset(world: World) -> None:
    user = await _user(world, "reset-page")
    tokens = await _api_tokens(world, "reset-page")
    await world.sign_in(user)
    stolen = dict(world.http.cookies)
    world.http.cookies.clear()
    sent = await world.submit(f"/forgotPassword?{world.authorize_query()}", {"username": "reset-page"})
    assert sent.status_code == 303, sent.text
    code = world.mail.last_code("reset-page@example.com")
    flow = query_of(sent.headers["location"])["flow"]
    done = await world.submit(sent.headers["location"], {"flow": flow, "code": code, "new_password": NEW_PASSWORD,
                                                         "confirm_password": NEW_PASSWORD})
    assert done.status_code == 303, done.text
    await _assert_stolen_tokens_dead(world, tokens)
    world.http.cookies.clear()
    world.http.cookies.update(stolen)
    assert urlsplit(await _silent_sign_in(world)).path == "/login"


async def test_stolen_tokens_and_session_refused_after_admin_set_user_password(world: World) -> None:
    user = await _user(world, "admin-set")
    tokens = await _api_tokens(world, "admin-set")
    await world.sign_in(user)
    done = await world.api("AdminSetUserPassword", {"UserPoolId": world.pool.id, "Username": "admin-set",
                                                    "Password": NEW_PASSWORD, "Permanent": True}, signed=True)
    assert done.status_code == 200, done.text
    await _assert_stolen_tokens_dead(world, tokens)
    assert urlsplit(await _silent_sign_in(world)).path == "/login"


async def test_change_password_keeps_other_sessions(world: World) -> None:
    """The documented choice: ChangePassword ends nothing (as Cognito); GlobalSignOut is the option ASVS asks for."""
    await _user(world, "change-own")
    other_device = await _api_tokens(world, "change-own")
    this_device = await _api_tokens(world, "change-own")
    changed = await world.api("ChangePassword", {"AccessToken": this_device["AccessToken"],
                                                 "PreviousPassword": PASSWORD, "ProposedPassword": NEW_PASSWORD})
    assert changed.status_code == 200, changed.text
    assert (await _refresh(world, other_device["RefreshToken"])).status_code == 200


async def test_reset_of_one_user_leaves_other_users_signed_in(world: World) -> None:
    await _user(world, "reset-target")
    await _user(world, "reset-bystander")
    bystander = await _api_tokens(world, "reset-bystander")
    await world.sign_in(world.alice)
    await _reset_through_api(world, "reset-target")
    assert (await _refresh(world, bystander["RefreshToken"])).status_code == 200
    assert (await _silent_sign_in(world)).startswith(CB + "?code=")

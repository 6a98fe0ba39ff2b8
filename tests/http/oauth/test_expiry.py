"""Lifetimes at the OAuth endpoints with a frozen clock: codes (5 min, spec §1.1), access tokens, refresh
tokens and the hosted-UI session (1 h, spec §1); exact `expires_in` / `exp` (style principle 11)."""

from __future__ import annotations

import jwt as pyjwt

from tests.http.oauth.conftest import CALLBACK, Env


async def test_code_expires_after_five_minutes(env: Env) -> None:
    await env.sign_in()
    code = await env.code()
    env.clock.advance(301)
    response = await env.token(grant_type="authorization_code", code=code, redirect_uri=CALLBACK)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": "code expired"}


async def test_code_just_inside_its_lifetime_works(env: Env) -> None:
    await env.sign_in()
    code = await env.code()
    env.clock.advance(299)
    response = await env.token(grant_type="authorization_code", code=code, redirect_uri=CALLBACK)
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 3600
    claims = pyjwt.decode(body["access_token"], options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 3600 and claims["iat"] == int(env.clock.now())


async def test_expired_access_token_is_refused_at_userinfo(env: Env) -> None:
    await env.sign_in()
    tokens = await env.tokens()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await env.http.get("/oauth2/userInfo", headers=bearer)).status_code == 200
    env.clock.advance(3601)
    response = await env.http.get("/oauth2/userInfo", headers=bearer)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    refreshed = await env.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200 and "refresh_token" not in refreshed.json()


async def test_refresh_token_expires_after_thirty_days(env: Env) -> None:
    await env.sign_in()
    tokens = await env.tokens()
    env.clock.advance(30 * 86400 + 1)
    response = await env.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_session_older_than_an_hour_sends_the_browser_to_login(env: Env) -> None:
    await env.sign_in()
    env.clock.advance(3601)
    response = await env.http.get("/oauth2/authorize", params={
        "response_type": "code", "client_id": env.web.id, "redirect_uri": CALLBACK})
    assert response.status_code == 302
    assert response.headers["location"].startswith("/login?")


async def test_refreshed_tokens_keep_auth_time_and_origin(env: Env) -> None:
    await env.sign_in()
    auth_time = int(env.clock.now())
    tokens = await env.tokens()
    env.clock.advance(600)
    body = (await env.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])).json()
    before = pyjwt.decode(tokens["id_token"], options={"verify_signature": False})
    after = pyjwt.decode(body["id_token"], options={"verify_signature": False})
    assert after["auth_time"] == before["auth_time"] == auth_time
    assert after["origin_jti"] == before["origin_jti"] and after["jti"] != before["jti"]
    assert after["iat"] == auth_time + 600

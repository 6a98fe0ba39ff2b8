"""Tokens follow the user (spec §1.3, §5): a disabled or deleted user's refresh token and access tokens stop
working at the token and userInfo endpoints; a disabled user's hosted-UI session no longer signs in."""

from __future__ import annotations

from cognate.services import users
from tests.http.oauth.conftest import CALLBACK, Env


async def test_disabled_user(env: Env) -> None:
    await env.sign_in()
    tokens = await env.tokens()
    await users.set_enabled(env.deps, env.pool.id, "alice", False)
    info = await env.http.get("/oauth2/userInfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 401 and info.json()["error_description"] == "User is disabled."
    refreshed = await env.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.json() == {"error": "invalid_grant", "error_description": "User is disabled."}
    again = await env.http.get("/oauth2/authorize", params={
        "response_type": "code", "client_id": env.web.id, "redirect_uri": CALLBACK, "prompt": "none"})
    assert "error=login_required" in again.headers["location"]


async def test_deleted_user(env: Env) -> None:
    await env.sign_in()
    tokens = await env.tokens()
    await users.delete_user(env.deps, env.pool.id, "alice")
    info = await env.http.get("/oauth2/userInfo", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 401
    refreshed = await env.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant"

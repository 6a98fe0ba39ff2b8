"""The authorization code grant end to end against a real server (RFC 6749 §4.1, RFC 7636, spec §1.1-1.3, §2):
single sign-on, PKCE, client authentication both ways, Cognito's claim sets checked with PyJWT from JWKS alone,
userInfo, refresh and revocation."""

from __future__ import annotations

from typing import Any

from tests.e2e.oauth.conftest import (
    API,
    APP_CB,
    LOCAL_CB,
    SPA_CB,
    WEB_CB,
    World,
    authorize,
    challenge,
    code_tokens,
    decode,
    error_of,
    get_code,
    location,
    path_of,
    token,
    userinfo,
)

ACCESS_CLAIMS = {"sub", "iss", "version", "client_id", "origin_jti", "event_id", "token_use", "scope", "auth_time",
                 "exp", "iat", "jti", "username", "cognito:groups"}
ID_CLAIMS = {"sub", "aud", "email", "email_verified", "cognito:username", "cognito:groups", "token_use", "auth_time",
             "iss", "exp", "iat", "jti", "origin_jti", "event_id", "nonce"}


def _check_pair(world: World, tokens: dict[str, Any], client_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    access = decode(world, tokens["access_token"])
    ident = decode(world, tokens["id_token"], audience=client_id)
    assert set(access) == ACCESS_CLAIMS, set(access) ^ ACCESS_CLAIMS
    assert access["token_use"] == "access" and access["client_id"] == client_id and access["version"] == 2
    assert access["username"] == "alice" and access["cognito:groups"] == ["admins"]
    assert ident["token_use"] == "id" and ident["cognito:username"] == "alice" and ident["aud"] == client_id
    assert ident["email"] == "alice@example.com" and ident["email_verified"] is True
    assert ident["sub"] == access["sub"] and ident["origin_jti"] == access["origin_jti"]
    assert ident["event_id"] == access["event_id"] and ident["jti"] != access["jti"]
    assert ident["auth_time"] == access["auth_time"] and access["exp"] - access["iat"] == 3600
    kids = {k["kid"]: k for k in world.jwks()["keys"]}
    assert len(kids) == 2
    return access, ident


def test_public_client_with_pkce_sso_userinfo_refresh_and_revoke(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        tokens = code_tokens(http, world.spa, SPA_CB, nonce="n-123", state="s-1")
        assert set(tokens) == {"id_token", "access_token", "refresh_token", "expires_in", "token_type"}
        assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 3600
        access, ident = _check_pair(world, tokens, world.spa.id)
        assert access["scope"] == "openid email" and ident["nonce"] == "n-123"
        assert "phone_number" not in ident  # no phone scope

        info = userinfo(http, tokens["access_token"])
        assert info.status_code == 200 and info.headers["access-control-allow-origin"] == "*"
        assert info.json() == {"sub": access["sub"], "email": "alice@example.com", "email_verified": "true",
                               "username": "alice"}
        assert http.post("/oauth2/userInfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
                         ).status_code == 200

        refreshed = token(http, world.spa, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        assert refreshed.status_code == 200, refreshed.text
        body = refreshed.json()
        assert set(body) == {"id_token", "access_token", "expires_in", "token_type"}
        new_access = decode(world, body["access_token"])
        assert new_access["origin_jti"] == access["origin_jti"] and new_access["auth_time"] == access["auth_time"]

        revoked = http.post("/oauth2/revoke", data={"token": tokens["refresh_token"], "client_id": world.spa.id})
        assert revoked.status_code == 200 and revoked.content == b""
        again = token(http, world.spa, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        assert again.status_code == 400 and error_of(again) == "invalid_grant"
        for dead in (tokens["access_token"], body["access_token"]):
            refused = userinfo(http, dead)
            assert refused.status_code == 401
            assert refused.headers["www-authenticate"].startswith('Bearer error="invalid_token"')


def test_confidential_client_basic_and_post(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        code = get_code(http, world.web, WEB_CB, scope="openid email phone")
        basic = token(http, world.web, grant_type="authorization_code", code=code, redirect_uri=WEB_CB)
        assert basic.status_code == 200, basic.text
        assert basic.headers["cache-control"] == "no-store" and basic.headers["pragma"] == "no-cache"
        assert basic.headers["content-type"].startswith("application/json")
        ident = decode(world, basic.json()["id_token"], audience=world.web.id)
        assert ident["phone_number"] == "+15555550100" and "nonce" not in ident

        code = get_code(http, world.web, WEB_CB, scope=f"openid {API}/read")
        post = token(http, world.web, basic=False, grant_type="authorization_code", code=code, redirect_uri=WEB_CB)
        assert post.status_code == 200, post.text
        access = decode(world, post.json()["access_token"])
        assert access["scope"] == f"openid {API}/read"
        assert set(userinfo(http, post.json()["access_token"]).json()) == {"sub", "username"}


def test_second_authorize_answers_without_login(world: World) -> None:
    with world.http() as anonymous:
        first = location(authorize(anonymous, world.spa, SPA_CB, state="xyz", **challenge()))
        assert path_of(first) == "/login" and "state=xyz" in first and f"client_id={world.spa.id}" in first
    with world.http(signed_in_as="alice") as http:
        for _ in range(2):
            target = location(authorize(http, world.spa, SPA_CB, state="xyz", **challenge()))
            assert target.startswith(f"{SPA_CB}?code=") and target.endswith("&state=xyz")
        forced = location(authorize(http, world.spa, SPA_CB, prompt="login", **challenge()))
        assert path_of(forced) == "/login" and "prompt=login" in forced
        assert "access-control-allow-origin" not in authorize(http, world.spa, SPA_CB, **challenge()).headers


def test_custom_scheme_and_localhost_callbacks(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        for callback in (APP_CB, LOCAL_CB):
            tokens = code_tokens(http, world.web, callback, scope="openid")
            assert decode(world, tokens["access_token"])["scope"] == "openid"


def test_pool_domain_serves_its_pool(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        http.headers["Host"] = world.domain_host
        tokens = code_tokens(http, world.spa, SPA_CB)
        assert userinfo(http, tokens["access_token"]).status_code == 200
        foreign = location(authorize(http, world.other, SPA_CB))
        assert path_of(foreign) == "/error" and "redirect_mismatch" in foreign
        refused = token(http, world.other, grant_type="refresh_token", refresh_token="x")
        assert refused.status_code == 400 and error_of(refused) == "invalid_client"

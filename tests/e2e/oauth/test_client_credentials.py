"""The client credentials grant (RFC 6749 §4.4; spec §1.2, §2): confidential clients with the flow only,
resource-server scopes only, an access token whose subject is the client, nothing else."""

from __future__ import annotations

import pytest

from tests.e2e.oauth.conftest import API, World, decode, error_of, token, userinfo

CC_CLAIMS = {"sub", "token_use", "scope", "auth_time", "iss", "exp", "iat", "version", "jti", "client_id"}


def test_all_custom_scopes_by_default(world: World) -> None:
    with world.http() as http:
        response = token(http, world.m2m, grant_type="client_credentials")
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"access_token", "expires_in", "token_type"} and body["token_type"] == "Bearer"
        claims = decode(world, body["access_token"])
        assert set(claims) == CC_CLAIMS
        assert claims["sub"] == claims["client_id"] == world.m2m.id and claims["token_use"] == "access"
        assert claims["scope"] == f"{API}/read {API}/write"
        assert userinfo(http, body["access_token"]).status_code == 401  # no openid, no user


def test_requested_scope_subset_with_post_auth(world: World) -> None:
    with world.http() as http:
        response = token(http, world.m2m, basic=False, grant_type="client_credentials", scope=f"{API}/write")
    assert response.status_code == 200, response.text
    assert decode(world, response.json()["access_token"])["scope"] == f"{API}/write"


@pytest.mark.parametrize("scope", ["openid", f"{API}/delete", f"{API}/read openid", "https://other.example.com/read"])
def test_scopes_outside_the_clients_custom_scopes(world: World, scope: str) -> None:
    with world.http() as http:
        response = token(http, world.m2m, grant_type="client_credentials", scope=scope)
    assert response.status_code == 400 and error_of(response) == "invalid_scope"


def test_public_client_and_client_without_the_flow(world: World) -> None:
    with world.http() as http:
        public = token(http, world.spa, grant_type="client_credentials")
        assert public.status_code == 400 and error_of(public) == "unauthorized_client"
        no_flow = token(http, world.web, grant_type="client_credentials")
        assert no_flow.status_code == 400 and error_of(no_flow) == "unauthorized_client"
        wrong = http.post("/oauth2/token", data={"grant_type": "client_credentials"}, auth=(world.m2m.id, "nope"))
        assert wrong.status_code == 401 and error_of(wrong) == "invalid_client"

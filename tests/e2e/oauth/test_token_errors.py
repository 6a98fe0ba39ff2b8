"""Refusals at /oauth2/token (RFC 6749 §5.2, §4.1.3, §2.3.1; RFC 7636 §4.6; spec §1.2): bad codes, redirect URI
and PKCE mismatches, code reuse (which revokes what the code issued), client authentication and malformed
requests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.oauth.conftest import (
    SPA_CB,
    WEB_CB,
    World,
    error_of,
    get_code,
    pkce_pair,
    token,
    userinfo,
)


def _code_with_pkce(world: World, http: httpx.Client) -> tuple[str, str]:
    verifier, challenge = pkce_pair()
    return get_code(http, world.spa, SPA_CB, code_challenge=challenge, code_challenge_method="S256"), verifier


def test_redirect_uri_must_match_the_authorize_one(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        code, verifier = _code_with_pkce(world, http)
        for wrong in ("https://spa.example.com/cb/", "https://spa.example.com/other"):
            response = token(http, world.spa, grant_type="authorization_code", code=code, redirect_uri=wrong,
                             code_verifier=verifier)
            assert response.status_code == 400 and error_of(response) == "invalid_grant"
        missing = token(http, world.spa, grant_type="authorization_code", code=code, code_verifier=verifier)
        assert missing.status_code == 400 and error_of(missing) == "invalid_request"
        good = token(http, world.spa, grant_type="authorization_code", code=code, redirect_uri=SPA_CB,
                     code_verifier=verifier)
        assert good.status_code == 200  # failed attempts do not consume the code


@pytest.mark.parametrize("verifier", [None, "wrong-" + "v" * 43, "short"])
def test_pkce_verifier_must_match(world: World, verifier: str | None) -> None:
    with world.http(signed_in_as="alice") as http:
        code, _ = _code_with_pkce(world, http)
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": SPA_CB, "client_id": world.spa.id}
        if verifier is not None:
            form["code_verifier"] = verifier
        response = http.post("/oauth2/token", data=form)
    assert response.status_code == 400 and error_of(response) == "invalid_grant"


def test_verifier_for_a_code_without_challenge_is_a_downgrade(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        code = get_code(http, world.web, WEB_CB)  # a confidential client, which may leave PKCE out
        response = token(http, world.web, grant_type="authorization_code", code=code, redirect_uri=WEB_CB,
                         code_verifier="v" * 43)
    assert response.status_code == 400 and error_of(response) == "invalid_grant"


def test_code_reuse_fails_and_revokes_the_first_tokens(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        code = get_code(http, world.web, WEB_CB)
        first = token(http, world.web, grant_type="authorization_code", code=code, redirect_uri=WEB_CB)
        assert first.status_code == 200
        assert userinfo(http, first.json()["access_token"]).status_code == 200
        second = token(http, world.web, grant_type="authorization_code", code=code, redirect_uri=WEB_CB)
        assert second.status_code == 400 and error_of(second) == "invalid_grant"
        assert userinfo(http, first.json()["access_token"]).status_code == 401
        refresh = token(http, world.web, grant_type="refresh_token", refresh_token=first.json()["refresh_token"])
        assert refresh.status_code == 400 and error_of(refresh) == "invalid_grant"


def test_codes_and_refresh_tokens_are_bound_to_their_client(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        code = get_code(http, world.web, WEB_CB)
        stolen = token(http, world.spa, grant_type="authorization_code", code=code, redirect_uri=WEB_CB)
        assert stolen.status_code == 400 and error_of(stolen) == "invalid_grant"
        tokens = token(http, world.web, grant_type="authorization_code", code=code, redirect_uri=WEB_CB).json()
        other = token(http, world.spa, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        assert other.status_code == 400 and error_of(other) == "invalid_grant"
        unknown = token(http, world.spa, grant_type="refresh_token", refresh_token="not-a-refresh-token")
        assert unknown.status_code == 400 and error_of(unknown) == "invalid_grant"


def test_client_authentication(world: World) -> None:
    form = {"grant_type": "refresh_token", "refresh_token": "x"}
    with world.http() as http:
        basic = http.post("/oauth2/token", data=form, auth=(world.web.id, "wrong-secret"))
        assert basic.status_code == 401 and error_of(basic) == "invalid_client"
        assert basic.headers["www-authenticate"] == 'Basic realm="cognate"'
        post = http.post("/oauth2/token", data={**form, "client_id": world.web.id, "client_secret": "wrong"})
        assert post.status_code == 400 and error_of(post) == "invalid_client"
        assert "www-authenticate" not in post.headers
        bare = http.post("/oauth2/token", data={**form, "client_id": world.web.id})
        assert bare.status_code == 400 and error_of(bare) == "invalid_client"
        unknown = http.post("/oauth2/token", data={**form, "client_id": "nosuchclient"})
        assert unknown.status_code == 400 and error_of(unknown) == "invalid_client"
        anonymous = http.post("/oauth2/token", data=form)
        assert anonymous.status_code == 400 and error_of(anonymous) == "invalid_client"
        public_with_secret = http.post("/oauth2/token", data={**form, "client_id": world.spa.id,
                                                              "client_secret": "guess"})
        assert error_of(public_with_secret) == "invalid_client"
        malformed = http.post("/oauth2/token", data=form, headers={"Authorization": "Basic !!!"})
        assert malformed.status_code == 401 and error_of(malformed) == "invalid_client"
        assert world.web.secret is not None
        both = http.post("/oauth2/token", data={**form, "client_secret": world.web.secret},
                         auth=(world.web.id, world.web.secret))
        assert both.status_code == 400 and error_of(both) == "invalid_request"


def test_client_secret_in_the_query_string_is_refused(world: World) -> None:
    assert world.web.secret is not None
    with world.http() as http:
        response = http.post("/oauth2/token", params={"client_secret": world.web.secret},
                             data={"grant_type": "client_credentials", "client_id": world.web.id})
    assert response.status_code == 400 and error_of(response) == "invalid_request"


@pytest.mark.parametrize(("form", "error"), [
    ({"grant_type": "password", "username": "alice", "password": "x"}, "unsupported_grant_type"),
    ({}, "invalid_request"),
    ({"grant_type": "authorization_code", "redirect_uri": SPA_CB}, "invalid_request"),
    ({"grant_type": "refresh_token"}, "invalid_request"),
])
def test_malformed_requests(world: World, form: dict[str, str], error: str) -> None:
    with world.http() as http:
        response = http.post("/oauth2/token", data={"client_id": world.spa.id, **form})
    assert response.status_code == 400 and error_of(response) == error
    assert response.headers["cache-control"] == "no-store"


def test_body_must_be_a_single_valued_form(world: World) -> None:
    with world.http() as http:
        as_json = http.post("/oauth2/token", json={"grant_type": "refresh_token", "client_id": world.spa.id})
        assert as_json.status_code == 400 and error_of(as_json) == "invalid_request"
        repeated = http.post("/oauth2/token", content=f"grant_type=refresh_token&client_id={world.spa.id}"
                             "&refresh_token=a&refresh_token=b",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert repeated.status_code == 400 and error_of(repeated) == "invalid_request"
        assert http.get("/oauth2/token").status_code == 405


def test_cors_preflight(world: World) -> None:
    with world.http() as http:
        for path in ("/oauth2/token", "/oauth2/userInfo", "/oauth2/revoke", f"/{world.pool}/.well-known/jwks.json"):
            response = http.options(path, headers={"Origin": "https://spa.example.com",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "authorization"})
            assert response.status_code == 204, path
            assert response.headers["access-control-allow-origin"] == "*"
            assert "Authorization" in response.headers["access-control-allow-headers"]
        assert http.options("/oauth2/authorize").status_code == 405


def test_body_is_bounded_read_whole_when_chunked_and_errors_are_readable_cross_origin(world: World) -> None:
    form, auth = {"Content-Type": "application/x-www-form-urlencoded"}, (world.m2m.id, world.m2m.secret or "")
    with world.http() as http:
        big = http.post("/oauth2/token", content=b"grant_type=client_credentials&pad=" + b"a" * 70_000, headers=form,
                        auth=auth)
        assert big.status_code == 400 and error_of(big) == "invalid_request"
        assert big.headers["access-control-allow-origin"] == "*" and big.headers["cache-control"] == "no-store"

        def chunks() -> Iterator[bytes]:  # sent with Transfer-Encoding: chunked, so it arrives in several messages
            yield b"grant_type=client_"
            yield b"credentials"

        streamed = http.post("/oauth2/token", content=chunks(), headers=form, auth=auth)
        assert streamed.status_code == 200, streamed.text
        assert streamed.headers["content-type"] == "application/json;charset=UTF-8"
        assert streamed.headers["access-control-allow-origin"] == "*" and streamed.headers["pragma"] == "no-cache"
        assert set(streamed.json()) == {"access_token", "expires_in", "token_type"}

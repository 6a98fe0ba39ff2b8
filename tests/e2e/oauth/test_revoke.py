"""The revocation endpoint (RFC 7009 §2; spec §1.3): 200 with an empty body even for unknown tokens; only
refresh tokens; only the client that received the token; off when the client disables revocation."""

from __future__ import annotations

from tests.e2e.oauth.conftest import SPA_CB, WEB_CB, World, code_tokens, error_of, token, userinfo


def test_unknown_and_repeated_revocations_get_200(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        tokens = code_tokens(http, world.web, WEB_CB)
        assert world.web.secret is not None
        for value in ("unknown-token", tokens["refresh_token"], tokens["refresh_token"]):
            response = http.post("/oauth2/revoke", data={"token": value}, auth=(world.web.id, world.web.secret))
            assert response.status_code == 200 and response.content == b""
            assert response.headers["access-control-allow-origin"] == "*"
        assert userinfo(http, tokens["access_token"]).status_code == 401


def test_only_the_owning_client_revokes(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        tokens = code_tokens(http, world.web, WEB_CB)
        response = http.post("/oauth2/revoke", data={"token": tokens["refresh_token"], "client_id": world.spa.id})
        assert response.status_code == 200
        still = token(http, world.web, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
        assert still.status_code == 200


def test_refusals(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        tokens = code_tokens(http, world.spa, SPA_CB)
        missing = http.post("/oauth2/revoke", data={"client_id": world.spa.id})
        assert missing.status_code == 400 and error_of(missing) == "invalid_request"
        for jwt in (tokens["access_token"], tokens["id_token"]):
            response = http.post("/oauth2/revoke", data={"token": jwt, "client_id": world.spa.id})
            assert response.status_code == 400 and error_of(response) == "unsupported_token_type"
        off = http.post("/oauth2/revoke", data={"token": "x", "client_id": world.norevoke.id})
        assert off.status_code == 400 and error_of(off) == "invalid_request"
        bad = http.post("/oauth2/revoke", data={"token": tokens["refresh_token"]}, auth=(world.web.id, "wrong"))
        assert bad.status_code == 401 and error_of(bad) == "invalid_client"
        assert bad.headers["www-authenticate"] == 'Basic realm="cognate"'
        nobody = http.post("/oauth2/revoke", data={"token": tokens["refresh_token"]})
        assert nobody.status_code == 400 and error_of(nobody) == "invalid_client"
        assert userinfo(http, tokens["access_token"]).status_code == 200  # nothing above revoked it

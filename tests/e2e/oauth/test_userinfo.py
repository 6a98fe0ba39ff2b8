"""userInfo refuses every token it should (OIDC Core §5.3; RFC 6750 §3.1; RFC 8725 §2.1, §3.1; spec §1.3):
forged algorithms (`none`, HS256 keyed with the public key), foreign keys, tampering, other pools, ID tokens,
and malformed requests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import httpx
import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cognate.crypto.jwt import mint
from cognate.services.keys import signing_key
from tests.e2e.oauth.conftest import SPA_CB, World, code_tokens, userinfo
from tests.support.inprocess import run_use_case


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(value: dict[str, Any]) -> str:
    return _b64(json.dumps(value, separators=(",", ":")).encode())


@pytest.fixture(scope="module")
def genuine(world: World) -> dict[str, Any]:
    with world.http(signed_in_as="alice") as http:
        return code_tokens(http, world.spa, SPA_CB)


def _claims(token: str) -> dict[str, Any]:
    return dict(pyjwt.decode(token, options={"verify_signature": False}))


def _forgeries(world: World, token: str) -> dict[str, str]:
    header, claims = pyjwt.get_unverified_header(token), _claims(token)
    jwk = next(k for k in world.jwks()["keys"] if k["kid"] == header["kid"])
    pem = pyjwt.PyJWK(jwk).key.public_bytes(serialization.Encoding.PEM,
                                            serialization.PublicFormat.SubjectPublicKeyInfo)
    hs_input = f"{_segment({'alg': 'HS256', 'kid': header['kid']})}.{_segment(claims)}"
    hs_signature = _b64(hmac.new(pem, hs_input.encode(), hashlib.sha256).digest())
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    head, _, signature = token.split(".")
    return {
        "alg none": f"{_segment({'alg': 'none', 'kid': header['kid']})}.{_segment(claims)}.",
        "HS256 keyed with the public key": f"{hs_input}.{hs_signature}",
        "real kid, stranger's key": pyjwt.encode(claims, stranger, algorithm="RS256", headers={"kid": header["kid"]}),
        "unknown kid": pyjwt.encode(claims, stranger, algorithm="RS256", headers={"kid": "unknown"}),
        "tampered payload": f"{head}.{_segment({**claims, 'sub': 'someone-else'})}.{signature}",
        "expired claims, stranger's key": pyjwt.encode({**claims, "exp": 1}, stranger, algorithm="RS256",
                                                       headers={"kid": header["kid"]}),
        "garbage": "not.a.token",
    }


def test_forged_tokens_get_401_invalid_token(world: World, genuine: dict[str, Any]) -> None:
    with world.http() as http:
        assert userinfo(http, genuine["access_token"]).status_code == 200
        for name, forged in _forgeries(world, genuine["access_token"]).items():
            response = userinfo(http, forged)
            assert response.status_code == 401, name
            assert response.json()["error"] == "invalid_token", name
            assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"'), name


def test_id_token_is_not_an_access_token(world: World, genuine: dict[str, Any]) -> None:
    with world.http() as http:
        assert userinfo(http, genuine["id_token"]).status_code == 401


def test_tokens_of_another_pool(world: World, genuine: dict[str, Any]) -> None:
    with world.http(signed_in_as="bob", pool=world.other_pool) as http:
        theirs = code_tokens(http, world.other, SPA_CB)
        assert userinfo(http, theirs["access_token"]).status_code == 200  # valid in its own pool
        http.headers["Host"] = world.domain_host  # ... but not at this pool's domain
        assert userinfo(http, theirs["access_token"]).status_code == 401
    claims = {**_claims(genuine["access_token"]), "iss": world.issuer}
    key = run_use_case(world.settings, lambda deps: signing_key(deps, world.other_pool, "access"))
    foreign = mint(claims, key)  # signed by the other pool's real key, claiming this pool
    with world.http() as http:
        assert userinfo(http, foreign).status_code == 401


@pytest.mark.parametrize("header", [None, "Bearer", "Basic abc", "token abc"])
def test_malformed_requests_get_400_invalid_request(world: World, header: str | None) -> None:
    with world.http() as http:
        response = http.get("/oauth2/userInfo", headers={"Authorization": header} if header is not None else {})
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_request"')


def test_token_without_openid(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        tokens = code_tokens(http, world.web, "https://app.example.com/cb", scope="email")
        response = userinfo(http, tokens["access_token"])
    assert response.status_code == 401
    assert response.json() == {"error": "insufficient_scope",
                               "error_description": "Access token does not contain openid scope"}


def test_userinfo_on_an_unknown_pool(world: World) -> None:
    claims = {"iss": f"{world.server.url}/us-east-1_AAAAAAAAA", "token_use": "access"}
    token = f"{_segment({'alg': 'RS256', 'kid': 'k'})}.{_segment(claims)}.c2ln"
    response = httpx.get(f"{world.server.url}/oauth2/userInfo", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401

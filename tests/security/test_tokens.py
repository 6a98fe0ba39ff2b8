"""Attacks on codes and tokens: code reuse, PKCE downgrade, forged JWTs (alg none, HS256 keyed with the public key,
foreign or unknown `kid`), expired tokens, tokens of another pool, refresh-token theft (RFC 9700 §2.1.1, §4.5,
§4.14; RFC 8725 §2.1, §3.1; spec §1.2, §1.3, §2)."""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jwt as pyjwt
import pytest_asyncio
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cognate.crypto.jwt import mint
from cognate.services import keys
from tests.security.conftest import (
    ASYNC,
    CB,
    DOMAIN_HOST,
    OTHER_CB,
    World,
    b64url,
    b64url_json,
    build_world,
    close_world,
    parts_of,
    pkce_pair,
    query_of,
)

pytestmark = ASYNC


def assert_invalid_token(response: httpx.Response) -> None:
    """RFC 6750 §3.1 / spec §1.3: 401, `invalid_token` in the body and in the Bearer challenge."""
    assert response.status_code == 401, response.text
    assert response.json()["error"] == "invalid_token"
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def assert_invalid_grant(response: httpx.Response, description: str | None = None) -> None:
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_grant"
    if description is not None:
        assert response.json()["error_description"] == description


def assert_api_refused(response: httpx.Response, message: str | None = None) -> None:
    assert response.status_code == 400, response.text
    assert response.json()["__type"] == "NotAuthorizedException"
    if message is not None:
        assert response.json()["message"] == message


async def _jwks(world: World, pool_id: str | None = None) -> list[dict[str, Any]]:
    response = await world.http.get(f"/{pool_id or world.pool.id}/.well-known/jwks.json")
    return list(response.json()["keys"])


async def test_code_reuse_revokes_prior_tokens(world: World) -> None:
    await world.sign_in()
    code = await world.code()
    first = await world.token(grant_type="authorization_code", code=code, redirect_uri=CB)
    assert first.status_code == 200
    tokens = first.json()
    assert (await world.userinfo(tokens["access_token"])).status_code == 200

    again = await world.token(grant_type="authorization_code", code=code, redirect_uri=CB)
    assert_invalid_grant(again, "code already used")
    assert_invalid_token(await world.userinfo(tokens["access_token"]))
    refreshed = await world.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert_invalid_grant(refreshed)


async def test_code_of_another_client_refused(world: World) -> None:
    await world.sign_in()
    code = await world.code()  # issued to `web`
    response = await world.token(world.spa, grant_type="authorization_code", code=code, redirect_uri=CB)
    assert_invalid_grant(response, "invalid code")
    assert (await world.token(grant_type="authorization_code", code=code, redirect_uri=CB)).status_code == 200


async def test_code_redirect_uri_swap_refused(world: World) -> None:
    await world.sign_in()
    code = await world.code()
    response = await world.token(grant_type="authorization_code", code=code, redirect_uri="myapp://cb")
    assert_invalid_grant(response, "redirect_uri does not match the authorization request")


async def test_expired_code_refused(world: World) -> None:
    await world.sign_in()
    code = await world.code()
    world.clock.advance(301)
    assert_invalid_grant(await world.token(grant_type="authorization_code", code=code, redirect_uri=CB),
                         "code expired")


async def test_pkce_downgrade_verifier_omitted_refused(world: World) -> None:
    await world.sign_in()
    _, challenge = pkce_pair()
    code = await world.code(world.spa, code_challenge=challenge, code_challenge_method="S256")
    response = await world.token(world.spa, grant_type="authorization_code", code=code, redirect_uri=CB)
    assert_invalid_grant(response, "code_verifier missing or malformed")


async def test_pkce_wrong_verifier_refused(world: World) -> None:
    await world.sign_in()
    _, challenge = pkce_pair()
    other_verifier, _ = pkce_pair()
    code = await world.code(world.spa, code_challenge=challenge, code_challenge_method="S256")
    response = await world.token(world.spa, grant_type="authorization_code", code=code, redirect_uri=CB,
                                 code_verifier=other_verifier)
    assert_invalid_grant(response, "code_verifier does not match code_challenge")


async def test_pkce_verifier_for_code_without_challenge_refused(world: World) -> None:
    await world.sign_in()
    verifier, _ = pkce_pair()
    code = await world.code(world.web)  # a confidential client, which may leave PKCE out
    response = await world.token(world.web, grant_type="authorization_code", code=code, redirect_uri=CB,
                                 code_verifier=verifier)
    assert_invalid_grant(response, "code_verifier sent for a code issued without code_challenge")


@pytest_asyncio.fixture(loop_scope="module")
async def strict_world(tmp_path: Path, database_url: str) -> AsyncIterator[World]:
    """A world whose operator set COGNATE_REQUIRE_PKCE_FOR_PUBLIC_CLIENTS."""
    built, _ = await build_world(tmp_path / "data", database_url, require_pkce_for_public_clients="true")
    try:
        yield built
    finally:
        await close_world(built)


async def test_public_client_code_flow_without_challenge_refused_when_the_operator_requires_pkce(
        strict_world: World) -> None:
    """With the operator's policy, a public client's code flow needs PKCE; the error goes back to the redirect URI.
    Its confidential client may still leave PKCE out."""
    await strict_world.sign_in()
    response = await strict_world.http.get(f"/oauth2/authorize?{strict_world.authorize_query(strict_world.spa)}")
    assert response.status_code == 302
    params = query_of(response.headers["location"])
    assert params["error"] == "invalid_request"
    assert params["error_description"] == "code_challenge required"
    assert "code" not in params
    assert await strict_world.code(strict_world.web)


async def test_public_client_code_flow_without_challenge_allowed_by_default_as_in_cognito(world: World) -> None:
    await world.sign_in()
    response = await world.http.get(f"/oauth2/authorize?{world.authorize_query(world.spa)}")
    assert response.status_code == 302
    assert "code" in query_of(response.headers["location"])


async def test_pkce_plain_method_refused(world: World) -> None:
    await world.sign_in()
    verifier, _ = pkce_pair()
    query = world.authorize_query(world.spa, code_challenge=verifier, code_challenge_method="plain")
    response = await world.http.get(f"/oauth2/authorize?{query}")
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(CB + "?")
    assert query_of(location)["error"] == "invalid_request" and "code" not in query_of(location)


async def test_alg_none_token_refused_at_userinfo(world: World) -> None:
    header, claims = parts_of((await world.tokens())["access_token"])
    forged = f"{b64url_json({**header, 'alg': 'none'})}.{b64url_json(claims)}."
    assert_invalid_token(await world.userinfo(forged))
    unsigned = f"{b64url_json({'alg': 'none'})}.{b64url_json(claims)}."
    assert_invalid_token(await world.userinfo(unsigned))


async def test_alg_none_token_refused_by_get_user(world: World) -> None:
    auth = await world.password_auth("alice", "Correct-Horse-9")
    access = auth.json()["AuthenticationResult"]["AccessToken"]
    header, claims = parts_of(access)
    forged = f"{b64url_json({**header, 'alg': 'none'})}.{b64url_json(claims)}."
    assert_api_refused(await world.api("GetUser", {"AccessToken": forged}), "Invalid Access Token")
    assert (await world.api("GetUser", {"AccessToken": access})).status_code == 200


async def test_hs256_signed_with_public_key_refused_at_userinfo(world: World) -> None:
    header, claims = parts_of((await world.tokens())["access_token"])
    jwk = next(k for k in await _jwks(world) if k["kid"] == header["kid"])
    public = pyjwt.PyJWK(jwk).key
    pem = public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    for secret in (pem, json.dumps(jwk).encode(), jwk["n"].encode()):
        signing_input = f"{b64url_json({'kid': header['kid'], 'alg': 'HS256'})}.{b64url_json(claims)}"
        signature = b64url(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())
        assert_invalid_token(await world.userinfo(f"{signing_input}.{signature}"))


async def test_wrong_kid_refused_at_userinfo(world: World) -> None:
    header, claims = parts_of((await world.tokens())["access_token"])
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    for kid in ("attacker-kid", header["kid"], ""):
        forged = pyjwt.encode(claims, attacker, algorithm="RS256", headers={"kid": kid})
        assert_invalid_token(await world.userinfo(forged))
    no_kid = pyjwt.encode(claims, attacker, algorithm="RS256")
    assert_invalid_token(await world.userinfo(no_kid))


async def test_kid_of_the_id_key_with_access_claims_refused(world: World) -> None:
    """The ID-token key (another kid of the same pool) signs ID tokens only: an ID token is no access token."""
    tokens = await world.tokens()
    assert_invalid_token(await world.userinfo(tokens["id_token"]))


async def test_tampered_payload_refused_at_userinfo(world: World) -> None:
    access = (await world.tokens())["access_token"]
    header, claims, signature = access.split(".")
    _, decoded = parts_of(access)
    widened = b64url_json({**decoded, "sub": world.bob.sub, "scope": decoded["scope"] + " profile"})
    assert_invalid_token(await world.userinfo(f"{header}.{widened}.{signature}"))
    assert_invalid_token(await world.userinfo(f"{header}.{claims}.{signature[:-4]}AAAA"))


async def test_expired_token_refused_at_userinfo(world: World) -> None:
    access = (await world.tokens())["access_token"]
    assert (await world.userinfo(access)).status_code == 200
    world.clock.advance(3601)
    response = await world.userinfo(access)
    assert_invalid_token(response)
    assert response.json()["error_description"] == "Access Token has expired"


async def test_expired_token_refused_by_get_user(world: World) -> None:
    auth = await world.password_auth("alice", "Correct-Horse-9")
    access = auth.json()["AuthenticationResult"]["AccessToken"]
    world.clock.advance(3601)
    assert_api_refused(await world.api("GetUser", {"AccessToken": access}), "Access Token has expired")


async def _bob_tokens(world: World) -> dict[str, str]:
    await world.sign_in(world.bob)
    query = world.authorize_query(world.other, redirect_uri=OTHER_CB)
    response = await world.http.get(f"/oauth2/authorize?{query}")
    code = query_of(response.headers["location"])["code"]
    exchanged = await world.token(world.other, grant_type="authorization_code", code=code, redirect_uri=OTHER_CB)
    assert exchanged.status_code == 200, exchanged.text
    return dict(exchanged.json())


async def test_token_from_another_pool_refused_on_pool_domain(world: World) -> None:
    access = (await _bob_tokens(world))["access_token"]
    assert (await world.userinfo(access)).status_code == 200  # fine at the other pool's own issuer
    assert_invalid_token(await world.userinfo(access, host=DOMAIN_HOST))


async def test_token_from_another_pool_with_rewritten_issuer_refused(world: World) -> None:
    """A tenant that holds its own pool's signing key mints a token claiming this pool's issuer and user."""
    _, alice_claims = parts_of((await world.tokens())["access_token"])
    foreign_key = await keys.signing_key(world.deps, world.other_pool.id, "access")
    forged = mint({**alice_claims, "jti": str(uuid.uuid4())}, foreign_key)
    assert_invalid_token(await world.userinfo(forged))
    assert_api_refused(await world.api("GetUser", {"AccessToken": forged}), "Invalid Access Token")


async def test_refresh_token_of_another_client_refused(world: World) -> None:
    refresh = (await world.tokens())["refresh_token"]
    response = await world.token(world.spa, grant_type="refresh_token", refresh_token=refresh)
    assert_invalid_grant(response)
    assert (await world.token(grant_type="refresh_token", refresh_token=refresh)).status_code == 200


async def test_revoked_refresh_token_refused(world: World) -> None:
    tokens = await world.tokens()
    assert world.web.secret is not None
    revoked = await world.http.post("/oauth2/revoke", data={"token": tokens["refresh_token"]},
                                    auth=(world.web.id, world.web.secret))
    assert revoked.status_code == 200
    assert_invalid_grant(await world.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"]))
    assert_invalid_token(await world.userinfo(tokens["access_token"]))


async def test_revoke_by_another_client_has_no_effect(world: World) -> None:
    tokens = await world.tokens()
    response = await world.http.post("/oauth2/revoke", data={"token": tokens["refresh_token"],
                                                             "client_id": world.spa.id})
    assert response.status_code == 200  # RFC 7009 §2.2: no oracle, but nothing revoked
    assert (await world.userinfo(tokens["access_token"])).status_code == 200


async def test_wrong_client_secret_refused(world: World) -> None:
    await world.sign_in()
    code = await world.code()
    response = await world.http.post("/oauth2/token", data={"grant_type": "authorization_code", "code": code,
                                                            "redirect_uri": CB}, auth=(world.web.id, "wrong-secret"))
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")

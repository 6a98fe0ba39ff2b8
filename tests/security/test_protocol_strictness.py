"""Protocol strictness (issue 12, item 12): a PKCE code_verifier outside RFC 7636 §4.1's alphabet and length is
refused at the token endpoint, and a hosted-UI form posted from a foreign Origin (with a valid CSRF token and
cookie, e.g. a sibling site that can set cookies) changes nothing: the readable 403 page."""

from __future__ import annotations

import hashlib

import httpx

from tests.security.conftest import (
    ASYNC,
    ATTACKER,
    BASE,
    CB,
    DOMAIN_HOST,
    PASSWORD,
    World,
    b64url,
    csrf_of,
    pkce_pair,
)

pytestmark = ASYNC

# Each would match its own S256 challenge; none is a legal verifier (RFC 7636 §4.1: 43-128 of [A-Za-z0-9-._~]).
BAD_VERIFIERS = ["a" * 42 + " ", "a" * 42 + "+", "a" * 42 + "/", "a" * 42 + "=", "!" * 43, "a" * 42 + "\u00e9",
                 "\u00e9" * 43, "a" * 42 + "\n", "a" * 129, "a" * 42]


def _challenge(verifier: str) -> str:
    return b64url(hashlib.sha256(verifier.encode("utf-8")).digest())


async def _redeem(world: World, verifier: str, challenge: str) -> httpx.Response:
    code = await world.code(world.spa, code_challenge=challenge, code_challenge_method="S256")
    return await world.token(world.spa, grant_type="authorization_code", code=code, redirect_uri=CB,
                             code_verifier=verifier)


async def test_pkce_verifier_outside_the_rfc7636_alphabet_refused(world: World) -> None:
    await world.sign_in()
    for verifier in BAD_VERIFIERS:
        response = await _redeem(world, verifier, _challenge(verifier))
        assert response.status_code == 400, (repr(verifier[-3:]), len(verifier), response.text[:200])
        assert response.json() == {"error": "invalid_grant", "error_description": "code_verifier missing or malformed"}


async def test_pkce_verifier_of_every_legal_character_accepted(world: World) -> None:
    """The control: the whole unreserved set, at both length limits, still redeems."""
    await world.sign_in()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    for verifier in (alphabet[:43], (alphabet * 2)[:128], pkce_pair()[0]):
        response = await _redeem(world, verifier, _challenge(verifier))
        assert response.status_code == 200, (verifier, response.text)


# --- Origin of hosted-UI form posts ------------------------------------------------------------------------------


async def _login_post(world: World, *, origin: str | None, host: str | None = None) -> httpx.Response:
    url = f"/login?{world.authorize_query()}"
    extra = {"Host": host} if host else {}
    token = csrf_of((await world.http.get(url, headers=extra)).text)
    headers = {**extra, **({"Origin": origin} if origin is not None else {})}
    return await world.http.post(url, data={"_csrf": token, "username": "alice", "password": PASSWORD},
                                 headers=headers)


async def test_form_post_from_a_foreign_origin_refused(world: World) -> None:
    for origin in (f"https://{ATTACKER}", "null", "http://127.0.0.1:9230", "https://127.0.0.1:9229",
                   f"{BASE}.{ATTACKER}", "http://acme.auth.localhost:9229"):
        world.http.cookies.clear()
        before = await world.fingerprint()
        response = await _login_post(world, origin=origin)
        assert response.status_code == 403, (origin, response.status_code)
        assert "location" not in response.headers and "sent from another site" in response.text
        assert "cognate_session" not in response.cookies
        assert await world.fingerprint() == before, origin


async def test_form_post_from_a_foreign_origin_refused_on_every_page(world: World) -> None:
    query = world.authorize_query()
    for path in ("/signup", "/confirmUser", "/forgotPassword", "/confirmForgotPassword"):
        token = csrf_of((await world.http.get(f"{path}?{query}")).text)
        before = await world.fingerprint()
        response = await world.http.post(f"{path}?{query}", data={"_csrf": token, "username": "alice"},
                                         headers={"Origin": f"https://{ATTACKER}"})
        assert response.status_code == 403, (path, response.status_code)
        assert await world.fingerprint() == before, path
    for path in ("/newPassword", "/mfa", "/mfaSetup"):
        response = await world.http.post(f"{path}?{query}", data={"_csrf": "x"},
                                         headers={"Origin": f"https://{ATTACKER}"})
        assert response.status_code == 403, (path, response.status_code)


async def test_form_post_from_its_own_origin_or_without_origin_accepted(world: World) -> None:
    """The control: no Origin (no-JS and old browsers), the public URL's origin, and the pool domain's own."""
    for origin, host in ((None, None), (BASE, None), (f"http://{DOMAIN_HOST}", DOMAIN_HOST), (BASE, DOMAIN_HOST)):
        world.http.cookies.clear()
        response = await _login_post(world, origin=origin, host=host)
        assert response.status_code == 303, (origin, host, response.status_code, response.text[:300])
        assert response.headers["location"].startswith(CB + "?code=")

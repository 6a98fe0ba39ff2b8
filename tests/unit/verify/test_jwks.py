"""`cognate.verify.jwks`: which entries of a JWKS document are signing keys, and how the key set behaves while
the issuer is down (the fetch policy the verifier's own tests reach only through tokens)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cognate.verify import TokenInvalid
from cognate.verify.jwks import KeySet, import_keys

URL = "https://issuer.example.com/pool/.well-known/jwks.json"


def _rsa_jwk(kid: str, **extra: Any) -> dict[str, Any]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    return {**json.loads(pyjwt.algorithms.RSAAlgorithm.to_jwk(key)), "kid": kid, **extra}


@pytest.fixture(scope="module")
def signing() -> dict[str, Any]:
    return _rsa_jwk("sig")


def test_only_rsa_signing_keys_with_a_kid_are_kept(signing: dict[str, Any]) -> None:
    ec_key = json.loads(pyjwt.algorithms.ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key()))
    document = {"keys": [
        signing,
        {**signing, "kid": "enc", "use": "enc"},
        {**signing, "kid": None},
        {**ec_key, "kid": "ec"},
        {"kty": "RSA", "kid": "broken", "n": "AQAB"},
        "not an object",
    ]}
    assert set(import_keys(document)) == {"sig"}
    assert import_keys({"keys": "none"}) == {} == import_keys(["keys"])


class Issuer:
    """A JWKS endpoint that can be taken down, counting requests."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document, self.up, self.requests = document, True, 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if not self.up:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json=self.document)


class Clock:
    def __init__(self) -> None:
        self.now = 1_767_225_600.0

    def __call__(self) -> float:
        return self.now


def _key_set(issuer: Issuer, clock: Clock) -> KeySet:
    http = httpx.Client(transport=httpx.MockTransport(issuer.handler))
    return KeySet(URL, ttl=300, jwks=None, http=http, async_http=None, clock=clock, timeout=5)


def test_cached_keys_outlive_an_issuer_outage(signing: dict[str, Any]) -> None:
    issuer, clock = Issuer({"keys": [signing]}), Clock()
    keys = _key_set(issuer, clock)
    keys.ensure("sig")
    issuer.up, clock.now = False, clock.now + 301
    keys.ensure("sig")  # stale, the fetch fails, the cached key stays
    assert keys.get("sig") is not None and issuer.requests == 2


def test_a_failing_issuer_is_asked_at_most_once_a_second(signing: dict[str, Any]) -> None:
    issuer, clock = Issuer({"keys": [signing]}), Clock()
    issuer.up = False
    keys = _key_set(issuer, clock)
    with pytest.raises(TokenInvalid, match="cannot fetch JWKS"):
        keys.ensure("sig")
    keys.ensure("sig")  # within the second: no request, and still no key
    assert issuer.requests == 1 and keys.get("sig") is None
    clock.now += 1
    issuer.up = True
    keys.ensure("sig")
    assert issuer.requests == 2 and keys.get("sig") is not None


def test_an_answer_without_usable_keys_is_a_failed_fetch() -> None:
    issuer = Issuer({"keys": []})
    with pytest.raises(TokenInvalid, match="HTTP 200 without usable keys"):
        _key_set(issuer, Clock()).ensure("sig")

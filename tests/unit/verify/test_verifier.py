"""`cognate.verify.Verifier` against a JWKS served by an in-process httpx MockTransport (spec §2 "Verify")."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from cognate.verify import TokenInvalid, Verifier

ISSUER = "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_mQWqhJueg"
NOW = 1_767_225_600.0


class Keys:
    """A rotating key set behind a fake `{issuer}/.well-known/jwks.json`, counting fetches."""

    def __init__(self) -> None:
        self.private: dict[str, rsa.RSAPrivateKey] = {}
        self.fetches = 0
        self.add("k1")

    def add(self, kid: str) -> None:
        self.private[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, key in self.private.items():
            jwk = json.loads(pyjwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
        return {"keys": keys}

    def handler(self, request: httpx.Request) -> httpx.Response:
        assert str(request.url) == f"{ISSUER}/.well-known/jwks.json"
        self.fetches += 1
        return httpx.Response(200, json=self.jwks())

    def token(self, kid: str = "k1", **claims: Any) -> str:
        body = {"iss": ISSUER, "exp": NOW + 3600, "iat": NOW, "token_use": "access", "client_id": "app1",
                "sub": "s", **claims}
        return pyjwt.encode(body, self.private[kid], algorithm="RS256", headers={"kid": kid})


def _segment(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys()


def _verifier(keys: Keys, clock: Clock, **kw: Any) -> Verifier:
    http = httpx.Client(transport=httpx.MockTransport(keys.handler))
    return Verifier(ISSUER, http=http, clock=clock, **kw)


def test_valid_access_and_id_tokens(keys: Keys) -> None:
    clock = Clock()
    assert _verifier(keys, clock, client_ids="app1").verify(keys.token())["sub"] == "s"
    id_token = keys.token(token_use="id", aud="app1", client_id=None)
    assert _verifier(keys, clock, client_ids=["app1"], token_use="id").verify(id_token)["aud"] == "app1"


@pytest.mark.parametrize(("claims", "reason"), [
    ({"iss": "https://evil.example.com/pool"}, "issuer"),
    ({"exp": NOW - 10}, "expired"),
    ({"token_use": "id"}, "token_use"),
    ({"client_id": "other"}, "not an accepted client"),
    ({"exp": None}, "no exp"),
])
def test_claim_checks(keys: Keys, claims: dict[str, Any], reason: str) -> None:
    with pytest.raises(TokenInvalid) as caught:
        _verifier(keys, Clock(), client_ids="app1").verify(keys.token(**claims))
    assert reason in caught.value.reason


def test_small_clock_skew_is_tolerated(keys: Keys) -> None:
    assert _verifier(keys, Clock(), leeway=5).verify(keys.token(exp=NOW - 3))


def test_forged_tokens(keys: Keys) -> None:
    genuine = keys.token()
    header, payload, _ = genuine.split(".")
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = {
        "alg none": f"{_segment({'alg': 'none', 'kid': 'k1'})}.{payload}.",
        "HS256": pyjwt.encode({"iss": ISSUER}, "s" * 32, algorithm="HS256", headers={"kid": "k1"}),
        "wrong key": pyjwt.encode({"iss": ISSUER, "exp": NOW + 60}, stranger, algorithm="RS256",
                                  headers={"kid": "k1"}),
        "no kid": pyjwt.encode({"iss": ISSUER}, stranger, algorithm="RS256"),
        "tampered": f"{header}.{payload}x.sig",
        "not a jwt": "abc",
    }
    verifier = _verifier(keys, Clock())
    for name, token in forged.items():
        with pytest.raises(TokenInvalid):
            verifier.verify(token)
        assert name


def test_cache_ttl_and_refetch_on_unknown_kid_at_most_every_ten_seconds() -> None:
    keys, clock = Keys(), Clock()
    verifier = _verifier(keys, clock, jwks_ttl=300)
    for _ in range(3):
        verifier.verify(keys.token())
    assert keys.fetches == 1
    keys.add("k2")  # rotation: a token with a new kid triggers one refetch...
    with pytest.raises(TokenInvalid, match="unknown kid"):
        verifier.verify(keys.token(kid="k2"))  # ...not within 10 s of the last one,
    assert keys.fetches == 1
    clock.now += 10
    assert verifier.verify(keys.token(kid="k2"))  # ...but after that
    assert keys.fetches == 2
    rotated = Keys()
    rotated.add("k3")
    with pytest.raises(TokenInvalid, match="unknown kid"):
        verifier.verify(rotated.token(kid="k3"))  # ...but not a second one within 10 s
    assert keys.fetches == 2
    clock.now += 301
    verifier.verify(keys.token(kid="k2"))
    assert keys.fetches == 3


def test_unreachable_issuer() -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    verifier = Verifier(ISSUER, http=httpx.Client(transport=httpx.MockTransport(down)), clock=Clock())
    with pytest.raises(TokenInvalid, match="cannot fetch JWKS"):
        verifier.verify(Keys().token())


def test_static_keys_never_fetch(keys: Keys) -> None:
    verifier = Verifier(ISSUER, jwks=keys.jwks(), clock=Clock())
    assert verifier.verify(keys.token())["client_id"] == "app1"


async def test_async_verification(keys: Keys) -> None:
    http = httpx.AsyncClient(transport=httpx.MockTransport(keys.handler))
    verifier = Verifier(ISSUER, async_http=http, clock=Clock(), client_ids=["app1"])
    assert (await verifier.averify(keys.token()))["sub"] == "s"
    await http.aclose()


def test_token_use_must_be_known() -> None:
    with pytest.raises(ValueError):
        Verifier(ISSUER, token_use="refresh")

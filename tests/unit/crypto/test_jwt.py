"""RS256 minting and verification; every other algorithm or key is refused (spec §2)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from joserfc.jwk import RSAKey

from cognate.crypto.jwt import InvalidToken, mint, unverified_part, verify_signature
from cognate.crypto.keys import new_signing_key, private_jwk
from cognate.crypto.sealing import Sealer
from cognate.domain.keys import SigningKey

CLAIMS = {"sub": "0a1b2c3d-70ef-4000-8000-123456789abc", "token_use": "id", "custom:tier": "gold", "n": 1}


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def segment(obj: Any) -> str:
    return b64url(json.dumps(obj, separators=(",", ":")).encode())


@pytest.fixture(scope="module")
def sealer() -> Sealer:
    return Sealer("jwt-test-master-key-0123456789")


@pytest.fixture(scope="module")
def key(sealer: Sealer) -> SigningKey:
    return new_signing_key(pool_id="eu-west-2_abcdefghi", purpose="id", sealer=sealer, now=1.0)


@pytest.fixture(scope="module")
def other(sealer: Sealer) -> SigningKey:
    return new_signing_key(pool_id="eu-west-2_abcdefghi", purpose="id", sealer=sealer, now=1.0)


@pytest.fixture(scope="module")
def signer(key: SigningKey, sealer: Sealer) -> RSAKey:
    return private_jwk(key, sealer)


@pytest.fixture(scope="module")
def token(signer: RSAKey) -> str:
    return mint(CLAIMS, signer)


def test_header_is_exactly_kid_and_alg(token: str, key: SigningKey) -> None:
    header = json.loads(unb64url(token.split(".")[0]))
    assert header == {"kid": key.kid, "alg": "RS256"}
    assert "typ" not in header


def test_payload_is_the_claims(token: str) -> None:
    assert json.loads(unb64url(token.split(".")[1])) == CLAIMS


def test_verify_accepts_own_token(token: str, key: SigningKey) -> None:
    assert verify_signature(token, [key.public_jwk]) == CLAIMS


def test_verify_picks_key_by_kid(token: str, key: SigningKey, other: SigningKey) -> None:
    assert verify_signature(token, [other.public_jwk, key.public_jwk]) == CLAIMS


def test_token_of_another_key_refused(other: SigningKey, sealer: Sealer, key: SigningKey) -> None:
    with pytest.raises(InvalidToken):
        verify_signature(mint(CLAIMS, private_jwk(other, sealer)), [key.public_jwk])


def test_other_key_claiming_our_kid_refused(other: SigningKey, sealer: Sealer, key: SigningKey) -> None:
    forged_key = RSAKey.import_key({**private_jwk(other, sealer).as_dict(private=True), "kid": key.kid})
    forged = mint(CLAIMS, forged_key)
    assert json.loads(unb64url(forged.split(".")[0]))["kid"] == key.kid
    with pytest.raises(InvalidToken):
        verify_signature(forged, [key.public_jwk])


def test_modified_payload_refused(token: str, key: SigningKey) -> None:
    header, _, sig = token.split(".")
    tampered = f"{header}.{segment({**CLAIMS, 'sub': 'attacker'})}.{sig}"
    with pytest.raises(InvalidToken):
        verify_signature(tampered, [key.public_jwk])


@pytest.mark.parametrize("signature", ["", "AAAA"])
def test_alg_none_refused(key: SigningKey, signature: str) -> None:
    unsigned = f"{segment({'alg': 'none', 'kid': key.kid})}.{segment(CLAIMS)}.{signature}"
    with pytest.raises(InvalidToken):
        verify_signature(unsigned, [key.public_jwk])


def test_hs256_with_public_key_as_secret_refused(key: SigningKey) -> None:
    public_pem = RSAKey.import_key(key.public_jwk).public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    for secret in (public_pem, json.dumps(key.public_jwk).encode()):
        signing_input = f"{segment({'alg': 'HS256', 'kid': key.kid})}.{segment(CLAIMS)}"
        mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        with pytest.raises(InvalidToken):
            verify_signature(f"{signing_input}.{b64url(mac)}", [key.public_jwk])


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "...", "x" * 4000, "eyJ.eyJ.eyJ", "a.b.c.d.e"])
def test_garbage_refused(garbage: str, key: SigningKey) -> None:
    with pytest.raises(InvalidToken):
        verify_signature(garbage, [key.public_jwk])


def test_non_object_payload_refused(signer: RSAKey, key: SigningKey) -> None:
    from joserfc import jws

    array_token = jws.serialize_compact({"kid": key.kid, "alg": "RS256"}, b"[1,2]", signer, algorithms=["RS256"])
    with pytest.raises(InvalidToken):
        verify_signature(array_token, [key.public_jwk])


def test_non_json_payload_refused(signer: RSAKey, key: SigningKey) -> None:
    from joserfc import jws

    text_token = jws.serialize_compact({"kid": key.kid, "alg": "RS256"}, b"not json", signer, algorithms=["RS256"])
    with pytest.raises(InvalidToken):
        verify_signature(text_token, [key.public_jwk])


def test_empty_key_set_refused(token: str) -> None:
    with pytest.raises(InvalidToken):
        verify_signature(token, [])


def test_unverified_part_reads_header_and_payload_without_a_key(token: str, key: SigningKey) -> None:
    assert unverified_part(token, 0) == {"kid": key.kid, "alg": "RS256"}
    assert unverified_part(token, 1) == CLAIMS


@pytest.mark.parametrize("bad", ["", "onlyone", "a.b", f"{b64url(b'not json')}.x.y", "%%%.x.y"])
def test_unverified_part_of_a_malformed_token_is_a_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        unverified_part(bad, 1 if bad.count(".") < 2 else 0)


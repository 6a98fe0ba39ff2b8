"""RSA signing keys: kid format, public JWK contents, sealed private part."""

from __future__ import annotations

import base64
import re

import pytest
from cryptography.exceptions import InvalidTag
from joserfc.jwk import RSAKey

from cognate.crypto.keys import kid_for, new_signing_key, private_jwk
from cognate.crypto.sealing import Sealer
from cognate.domain.keys import ACTIVE, SigningKey

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi"}


@pytest.fixture(scope="module")
def sealer() -> Sealer:
    return Sealer("keys-test-master-key-0123456789")


@pytest.fixture(scope="module")
def key(sealer: Sealer) -> SigningKey:
    return new_signing_key(pool_id="eu-west-2_abcdefghi", purpose="id", sealer=sealer, now=42.0)


@pytest.fixture(scope="module")
def other_key(sealer: Sealer) -> SigningKey:
    return new_signing_key(pool_id="eu-west-2_abcdefghi", purpose="access", sealer=sealer, now=42.0)


def test_kid_is_44_char_base64_ending_with_equals(key: SigningKey) -> None:
    assert len(key.kid) == 44
    assert key.kid.endswith("=")
    assert re.fullmatch(r"[A-Za-z0-9+/]{43}=", key.kid)
    assert len(base64.b64decode(key.kid)) == 32


def test_kid_is_stable_for_the_same_key(key: SigningKey) -> None:
    assert kid_for(key.public_jwk) == key.kid
    assert kid_for({"e": key.public_jwk["e"], "n": key.public_jwk["n"]}) == key.kid


def test_kid_differs_between_keys(key: SigningKey, other_key: SigningKey) -> None:
    assert key.kid != other_key.kid


def test_kid_is_rfc7638_thumbprint(key: SigningKey) -> None:
    thumb = RSAKey.import_key(key.public_jwk).thumbprint()
    assert base64.urlsafe_b64decode(thumb + "=") == base64.b64decode(key.kid)


def test_signing_key_metadata(key: SigningKey) -> None:
    assert (key.pool_id, key.purpose, key.created_at, key.status) == ("eu-west-2_abcdefghi", "id", 42.0, ACTIVE)


def test_public_jwk_shape(key: SigningKey) -> None:
    jwk = key.public_jwk
    assert set(jwk) == {"alg", "e", "kid", "kty", "n", "use"}
    assert (jwk["alg"], jwk["kty"], jwk["use"], jwk["e"], jwk["kid"]) == ("RS256", "RSA", "sig", "AQAB", key.kid)
    assert not PRIVATE_MEMBERS & jwk.keys()


def test_public_jwk_is_2048_bit(key: SigningKey) -> None:
    n = base64.urlsafe_b64decode(key.public_jwk["n"] + "==")
    assert len(n) == 256 and n[0] & 0x80


def test_private_part_is_only_sealed(key: SigningKey) -> None:
    assert key.sealed_private.startswith("v1.")
    assert "PRIVATE KEY" not in key.sealed_private


def test_private_jwk_round_trip(key: SigningKey, sealer: Sealer) -> None:
    private = private_jwk(key, sealer)
    assert private.kid == key.kid
    data = private.as_dict(private=True)
    assert data.keys() >= PRIVATE_MEMBERS
    assert (data["n"], data["e"]) == (key.public_jwk["n"], key.public_jwk["e"])
    public = private.as_dict(private=False)
    assert not PRIVATE_MEMBERS & public.keys()


def test_private_jwk_needs_the_right_master_key(key: SigningKey) -> None:
    with pytest.raises(InvalidTag):
        private_jwk(key, Sealer("another-master-key-0123456789"))


def test_private_part_is_bound_to_its_kid(key: SigningKey, other_key: SigningKey, sealer: Sealer) -> None:
    swapped = SigningKey(kid=key.kid, pool_id=key.pool_id, purpose=key.purpose, public_jwk=key.public_jwk,
                         sealed_private=other_key.sealed_private, created_at=key.created_at)
    with pytest.raises(InvalidTag):
        private_jwk(swapped, sealer)

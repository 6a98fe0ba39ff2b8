"""RSA-2048 signing keys of a pool: creation, public JWK, `kid`, and private part sealed at rest (spec §0, §1)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any, TypeAlias

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc.jwk import RSAKey

from cognate.crypto.sealing import Sealer
from cognate.domain.keys import SigningKey

# A pool's opened private key as the JWT code uses it. Named here so the layers above hold one without importing
# joserfc themselves (only crypto uses the JOSE library: .importlinter).
PrivateJwk: TypeAlias = RSAKey


def kid_for(public_jwk: dict[str, Any]) -> str:
    """44-char base64 ending in '=' like Cognito's; stable because it is the RFC 7638 thumbprint of the key."""
    canonical = '{{"e":"{e}","kty":"RSA","n":"{n}"}}'.format(**public_jwk).encode()
    return base64.b64encode(hashlib.sha256(canonical).digest()).decode()


def _public_jwk(private: rsa.RSAPrivateKey) -> dict[str, Any]:
    numbers = private.public_key().public_numbers()

    def b64(value: int) -> str:
        raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return {"e": b64(numbers.e), "n": b64(numbers.n)}


def new_signing_key(*, pool_id: str, purpose: str, sealer: Sealer, now: float) -> SigningKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    numbers = _public_jwk(private)
    kid = kid_for(numbers)
    jwk = {"alg": "RS256", "e": numbers["e"], "kid": kid, "kty": "RSA", "n": numbers["n"], "use": "sig"}
    sealed = sealer.seal(pem, context=f"signing-key:{kid}")
    return SigningKey(kid=kid, pool_id=pool_id, purpose=purpose, public_jwk=jwk, sealed_private=sealed,
                      created_at=now)


def private_jwk(key: SigningKey, sealer: Sealer) -> PrivateJwk:
    """The usable private key, opened from its sealed form (only in memory)."""
    pem = sealer.open(key.sealed_private, context=f"signing-key:{key.kid}")
    return RSAKey.import_key(pem, {"kid": key.kid, "alg": "RS256", "use": "sig"})

"""A pool's signing key as data: public JWK in clear, private part only sealed (spec §1 JWKS, §2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PURPOSES = ("id", "access")  # Cognito signs ID and access tokens with different keys
ACTIVE, RETIRED = "active", "retired"  # a retired key is still published in JWKS but signs nothing new


@dataclass(frozen=True)
class SigningKey:
    kid: str
    pool_id: str
    purpose: str
    public_jwk: dict[str, Any]
    sealed_private: str
    created_at: float
    status: str = ACTIVE

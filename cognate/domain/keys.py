"""A pool's signing key as data: public JWK in clear, private part only sealed (spec §1 JWKS, §2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

PURPOSES = ("id", "access")  # Cognito signs ID and access tokens with different keys
ACTIVE, RETIRED, PENDING = "active", "retired", "pending"
# After a rotation the old key stays published this long past the switch: the longest an ID or access token
# lives (1 day, spec §2) plus a little clock skew.
RETIRED_KEY_SECONDS = 86400 + 300


@dataclass(frozen=True)
class SigningKey:
    kid: str
    pool_id: str
    purpose: str
    public_jwk: dict[str, Any]
    sealed_private: str
    created_at: float
    status: str = ACTIVE  # ACTIVE or RETIRED as stored; see `state` for what it means at a given time
    activates_at: float | None = None  # signs from then on (published before, so caches learn it first)
    expires_at: float | None = None  # leaves JWKS then

    def published(self, now: float) -> bool:
        return self.expires_at is None or now < self.expires_at

    def activated(self, now: float) -> bool:
        return self.status == ACTIVE and (self.activates_at is None or self.activates_at <= now)


def signer(keys: Iterable[SigningKey], purpose: str, now: float) -> SigningKey | None:
    """The newest activated, still published key of a purpose: it signs; older ones only verify."""
    usable = [k for k in keys if k.purpose == purpose and k.activated(now) and k.published(now)]
    # Ties (same instant) go to a key that came from a rotation: it is the newer one.
    return max(usable, key=lambda k: (k.activates_at or k.created_at, k.created_at, k.activates_at is not None),
               default=None)


def key_state(key: SigningKey, keys: Iterable[SigningKey], now: float) -> str:
    """pending (published, signing later), active (signs now) or retired (published for older tokens)."""
    if key.status == ACTIVE and not key.activated(now):
        return PENDING
    current = signer(keys, key.purpose, now)
    return ACTIVE if current is not None and current.kid == key.kid else RETIRED

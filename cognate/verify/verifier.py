"""Checks one token: a compact RS256 JWS whose header names a `kid`, signed by that key of the issuer's set, with
the issuer, expiry, `token_use` and client this verifier accepts (RFC 7515; RFC 7519 §7.2).

The header is judged before any key is looked up or fetched, so `none`, HMAC and kid-less tokens never reach the
network; the key set (`jwks.KeySet`) decides when to fetch.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx
from joserfc import jws
from joserfc.errors import JoseError

from cognate.verify.errors import TokenInvalid
from cognate.verify.jwks import KeySet

ALGORITHM = "RS256"
TOKEN_USES = ("access", "id")


def _b64json(segment: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _kid(token: str) -> str:
    """The header's `kid`, after refusing anything but a compact RS256 JWS (no `none`, no HMAC)."""
    parts = token.split(".") if isinstance(token, str) else []
    if len(parts) != 3:
        raise TokenInvalid("not a JWT")
    try:
        header = _b64json(parts[0])
    except ValueError:
        raise TokenInvalid("malformed header") from None
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM:
        raise TokenInvalid("algorithm must be RS256")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise TokenInvalid("no kid in header")
    return kid


class Verifier:
    """Checks signature (RS256, key by `kid`), `iss`, `exp` (with `leeway`), `token_use` and the client."""

    def __init__(self, issuer: str, *, client_ids: Iterable[str] | str | None = None, token_use: str = "access",
                 jwks_ttl: float = 300.0, leeway: float = 5.0, jwks: Mapping[str, Any] | None = None,
                 http: httpx.Client | None = None, async_http: httpx.AsyncClient | None = None,
                 clock: Callable[[], float] = time.time, timeout: float = 5.0) -> None:
        if token_use not in TOKEN_USES:
            raise ValueError("token_use must be 'access' or 'id'")
        self.issuer = issuer.rstrip("/")
        self.client_ids = None if client_ids is None else frozenset(
            [client_ids] if isinstance(client_ids, str) else client_ids)
        self.token_use, self.jwks_ttl, self.leeway = token_use, jwks_ttl, leeway
        self.jwks_url = f"{self.issuer}/.well-known/jwks.json"
        self.keys = KeySet(self.jwks_url, ttl=jwks_ttl, jwks=jwks, http=http, async_http=async_http, clock=clock,
                           timeout=timeout)
        self._clock = clock

    def verify(self, token: str) -> dict[str, Any]:
        kid = _kid(token)
        self.keys.ensure(kid)
        return self._check(token, kid)

    async def averify(self, token: str) -> dict[str, Any]:
        kid = _kid(token)
        await self.keys.aensure(kid)
        return self._check(token, kid)

    def _check(self, token: str, kid: str) -> dict[str, Any]:
        key = self.keys.get(kid)
        if key is None:
            raise TokenInvalid(f"unknown kid {kid}")
        try:
            payload = jws.deserialize_compact(token, key, algorithms=[ALGORITHM]).payload
            claims = json.loads(payload)
        except (JoseError, ValueError):
            raise TokenInvalid("bad signature") from None
        if not isinstance(claims, dict):
            raise TokenInvalid("claims are not an object")
        self._check_claims(claims)
        return claims

    def _check_claims(self, claims: dict[str, Any]) -> None:
        if claims.get("iss") != self.issuer:
            raise TokenInvalid(f"issuer is {claims.get('iss')!r}, expected {self.issuer!r}")
        exp = claims.get("exp")
        if not isinstance(exp, int | float) or isinstance(exp, bool):
            raise TokenInvalid("no exp claim")
        if self._clock() > exp + self.leeway:
            raise TokenInvalid("token expired")
        if claims.get("token_use") != self.token_use:
            raise TokenInvalid(f"token_use is {claims.get('token_use')!r}, expected {self.token_use!r}")
        audience = claims.get("aud") if self.token_use == "id" else claims.get("client_id")
        if self.client_ids is not None and audience not in self.client_ids:
            raise TokenInvalid(f"issued to client {audience!r}, not an accepted client")

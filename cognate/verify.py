"""Verify Cognate and Amazon Cognito JWTs in your own API server (spec §2 "Verify"; RFC 7515; RFC 7519 §7.2).

Stand-alone on purpose: it needs only httpx and joserfc, never the rest of `cognate`, so an API server imports
it without pulling in the identity service. Usage::

    from cognate.verify import TokenInvalid, Verifier

    verifier = Verifier("http://127.0.0.1:9229/us-east-1_AbCdEfGhI", client_ids=["3n4b..."])
    claims = verifier.verify(access_token)          # or: await verifier.averify(access_token)

The same works for real Cognito (`https://cognito-idp.{region}.amazonaws.com/{poolId}`). Keys come from
`{issuer}/.well-known/jwks.json`, cached for `jwks_ttl` seconds and fetched again when a token names an unknown
`kid` (key rotation), at most once every 10 seconds.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import httpx
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

__all__ = ["TokenInvalid", "Verifier"]

REFETCH_INTERVAL = 10.0
ALGORITHM = "RS256"
TOKEN_USES = ("access", "id")


class TokenInvalid(Exception):
    """The token must not be trusted; `reason` says why (for logs, not for the caller's client)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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


def _import_keys(document: Any) -> dict[str, RSAKey]:
    keys: dict[str, RSAKey] = {}
    entries = document.get("keys") if isinstance(document, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("kty") == "RSA" and entry.get("use", "sig") == "sig" \
                and isinstance(entry.get("kid"), str):
            try:
                keys[entry["kid"]] = RSAKey.import_key(entry)
            except (JoseError, ValueError, TypeError):
                continue
    return keys


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
        self._static = jwks is not None
        self._keys: dict[str, RSAKey] = _import_keys(dict(jwks)) if jwks is not None else {}
        self._fetched_at = self._attempted_at = float("-inf")
        self._http, self._async_http, self._clock, self._timeout = http, async_http, clock, timeout
        self._lock = threading.Lock()

    def verify(self, token: str) -> dict[str, Any]:
        kid = _kid(token)
        if self._needs_fetch(kid):
            with self._lock:
                if self._needs_fetch(kid):
                    self._fetch_sync()
        return self._check(token, kid)

    async def averify(self, token: str) -> dict[str, Any]:
        kid = _kid(token)
        if self._needs_fetch(kid):
            await self._fetch_async()
        return self._check(token, kid)

    def _needs_fetch(self, kid: str) -> bool:
        if self._static:
            return False
        now = self._clock()
        since_attempt = now - self._attempted_at
        if now - self._fetched_at > self.jwks_ttl:
            return since_attempt >= 1.0  # even a failing issuer is asked at most once a second
        return kid not in self._keys and since_attempt >= REFETCH_INTERVAL

    def _fetch_sync(self) -> None:
        self._attempted_at = self._clock()
        try:
            if self._http is not None:
                response = self._http.get(self.jwks_url, timeout=self._timeout)
            else:
                response = httpx.get(self.jwks_url, timeout=self._timeout)
        except httpx.HTTPError as exc:
            return self._fetch_failed(str(exc))
        self._store(response)

    async def _fetch_async(self) -> None:
        self._attempted_at = self._clock()
        try:
            if self._async_http is not None:
                response = await self._async_http.get(self.jwks_url, timeout=self._timeout)
            else:
                async with httpx.AsyncClient() as client:
                    response = await client.get(self.jwks_url, timeout=self._timeout)
        except httpx.HTTPError as exc:
            return self._fetch_failed(str(exc))
        self._store(response)

    def _fetch_failed(self, why: str) -> None:
        if not self._keys:  # with keys cached, keep using them until the issuer answers again
            raise TokenInvalid(f"cannot fetch JWKS from {self.jwks_url}: {why}")

    def _store(self, response: httpx.Response) -> None:
        try:
            keys = _import_keys(response.json()) if response.status_code == 200 else {}
        except ValueError:
            keys = {}
        if not keys:
            return self._fetch_failed(f"HTTP {response.status_code} without usable keys")
        self._keys, self._fetched_at = keys, self._clock()

    def _check(self, token: str, kid: str) -> dict[str, Any]:
        key = self._keys.get(kid)
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

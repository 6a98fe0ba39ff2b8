"""An issuer's signing keys, from its JWKS document (RFC 7517), kept apart from the checks that use them.

Fetching is where a verifier meets the network, so the policy lives here in one place: keys are cached for `ttl`
seconds; a token naming an unknown `kid` (key rotation) fetches again at most every `REFETCH_INTERVAL` seconds, so a
stream of forged kids cannot turn into a stream of requests to the issuer; a failing issuer is asked at most once
a second; and while keys are cached an unreachable issuer does not fail tokens they verify.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from cognate.verify.errors import TokenInvalid

REFETCH_INTERVAL = 10.0


def import_keys(document: Any) -> dict[str, RSAKey]:
    """The RSA signing keys of a JWKS document by `kid`; entries that are not usable RSA signing keys are skipped."""
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


class KeySet:
    """The keys at `url`, fetched when needed (`ensure`/`aensure` before `get`); fixed keys (`jwks`) never fetch."""

    def __init__(self, url: str, *, ttl: float, jwks: Mapping[str, Any] | None, http: httpx.Client | None,
                 async_http: httpx.AsyncClient | None, clock: Callable[[], float], timeout: float) -> None:
        self.url, self.ttl = url, ttl
        self._static = jwks is not None
        self._keys: dict[str, RSAKey] = import_keys(dict(jwks)) if jwks is not None else {}
        self._fetched_at = self._attempted_at = float("-inf")
        self._http, self._async_http, self._clock, self._timeout = http, async_http, clock, timeout
        self._lock = threading.Lock()

    def get(self, kid: str) -> RSAKey | None:
        return self._keys.get(kid)

    def ensure(self, kid: str) -> None:
        """Fetch if the cache is stale or lacks `kid` (one thread fetches; the others wait and reuse its answer)."""
        if self._needs_fetch(kid):
            with self._lock:
                if self._needs_fetch(kid):
                    self._fetch_sync()

    async def aensure(self, kid: str) -> None:
        if self._needs_fetch(kid):
            await self._fetch_async()

    def _needs_fetch(self, kid: str) -> bool:
        if self._static:
            return False
        now = self._clock()
        since_attempt = now - self._attempted_at
        if now - self._fetched_at > self.ttl:
            return since_attempt >= 1.0  # even a failing issuer is asked at most once a second
        return kid not in self._keys and since_attempt >= REFETCH_INTERVAL

    def _fetch_sync(self) -> None:
        self._attempted_at = self._clock()
        try:
            if self._http is not None:
                response = self._http.get(self.url, timeout=self._timeout)
            else:
                response = httpx.get(self.url, timeout=self._timeout)
        except httpx.HTTPError as exc:
            return self._fetch_failed(str(exc))
        self._store(response)

    async def _fetch_async(self) -> None:
        self._attempted_at = self._clock()
        try:
            if self._async_http is not None:
                response = await self._async_http.get(self.url, timeout=self._timeout)
            else:
                async with httpx.AsyncClient() as client:
                    response = await client.get(self.url, timeout=self._timeout)
        except httpx.HTTPError as exc:
            return self._fetch_failed(str(exc))
        self._store(response)

    def _fetch_failed(self, why: str) -> None:
        if not self._keys:  # with keys cached, keep using them until the issuer answers again
            raise TokenInvalid(f"cannot fetch JWKS from {self.url}: {why}")

    def _store(self, response: httpx.Response) -> None:
        try:
            keys = import_keys(response.json()) if response.status_code == 200 else {}
        except ValueError:
            keys = {}
        if not keys:
            return self._fetch_failed(f"HTTP {response.status_code} without usable keys")
        self._keys, self._fetched_at = keys, self._clock()

"""What every use case receives: storage, time, crypto and the few settings the rules need."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from cognate.crypto.passwords import PasswordHasher
from cognate.crypto.sealing import Sealer
from cognate.domain.clock import Clock
from cognate.domain.errors import InvalidParameterException
from cognate.domain.rate_limit import RateLimits
from cognate.mail.base import Mailer
from cognate.store.base import RateCounter, Store

T = TypeVar("T")
MEMO_SECONDS = 1.0  # a change made on another node is seen here within a second (ARCHITECTURE.md)
MEMO_ENTRIES = 10_000


@dataclass
class Memo:
    """Per-process memory of values derived from stored configuration, so hot reads skip the database.

    `opened_keys`: private signing keys by kid, opened once (a kid names one key pair forever, so this is never
    stale). Everything else is kept per (kind, pool id) for at most `MEMO_SECONDS` of monotonic time, and a
    change made through this process forgets its pool's entries at once (`forget_pool`).
    """

    opened_keys: dict[str, Any] = field(default_factory=dict)
    entries: dict[tuple[str, str], tuple[float, Any]] = field(default_factory=dict)
    loading: dict[tuple[str, str], asyncio.Task[Any]] = field(default_factory=dict)

    async def remember(self, kind: str, key: str, load: Callable[[], Awaitable[T]]) -> T:
        """The remembered value, or `load()`'s; concurrent misses of one entry share one load, so an expiring
        entry costs one database read, not one per request in flight (each of them a transaction)."""
        found = self.get(kind, key)
        if found is not None:
            return cast(T, found)
        task = self.loading.get((kind, key))
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            task = self.loading[(kind, key)] = asyncio.get_running_loop().create_task(self._load(kind, key, load))
        return cast(T, await asyncio.shield(task))

    async def _load(self, kind: str, key: str, load: Callable[[], Awaitable[T]]) -> T:
        started = time.monotonic()
        try:
            value = await load()
        finally:
            mine = self.loading.get((kind, key)) is asyncio.current_task()
            if mine:
                del self.loading[(kind, key)]
        if mine:  # not forgotten meanwhile (a change through this process)
            self.put(kind, key, value, read_at=started)
        return value

    def get(self, kind: str, pool_id: str) -> Any | None:
        found = self.entries.get((kind, pool_id))
        if found is None or time.monotonic() - found[0] >= MEMO_SECONDS:
            return None
        return found[1]

    def put(self, kind: str, pool_id: str, value: Any, *, read_at: float | None = None) -> None:
        """`read_at`: when the value's source was read, if earlier than now (a value derived from another
        remembered value must not outlive it)."""
        if len(self.entries) >= MEMO_ENTRIES:
            self.entries.clear()
        self.entries[(kind, pool_id)] = (time.monotonic() if read_at is None else read_at, value)

    def read_at(self, kind: str, pool_id: str) -> float:
        """When the remembered value was read (monotonic); now if there is none."""
        found = self.entries.get((kind, pool_id))
        return time.monotonic() if found is None else found[0]

    def forget(self, kind: str, key: str) -> None:
        self.entries.pop((kind, key), None)
        self.loading.pop((kind, key), None)

    def forget_pool(self, pool_id: str) -> None:
        """Entries keyed by the pool id, or by `{pool id}/...` (one of the pool's clients)."""
        prefix = pool_id + "/"
        for key in [k for k in self.entries if k[1] == pool_id or k[1].startswith(prefix)]:
            self.entries.pop(key, None)
        for key in [k for k in self.loading if k[1] == pool_id or k[1].startswith(prefix)]:
            self.loading.pop(key, None)


@dataclass(frozen=True)
class Deps:
    store: Store
    clock: Clock
    sealer: Sealer
    hasher: PasswordHasher
    mailer: Mailer
    region: str = "us-east-1"
    domain_suffix: str = "auth.localhost"
    public_url: str = "http://127.0.0.1:9229"
    rate_counter: RateCounter | None = None  # None: no rate limiting (e.g. the CLI)
    rate_limits: RateLimits = field(default_factory=RateLimits)
    require_pkce_for_public_clients: bool = False  # COGNATE_REQUIRE_PKCE_FOR_PUBLIC_CLIENTS (an operator's policy)
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)


def encode_token(after: str) -> str:
    """An opaque pagination token (NextToken / PaginationToken)."""
    return base64.urlsafe_b64encode(json.dumps({"a": after}).encode()).decode()


def decode_token(token: str | None) -> str | None:
    if not token:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(token.encode()))["a"]
    except (ValueError, KeyError, TypeError):
        raise InvalidParameterException("Invalid pagination token") from None
    if not isinstance(value, str):
        raise InvalidParameterException("Invalid pagination token")
    return value


def check_limit(value: int | None, *, default: int, low: int, high: int, field: str) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidParameterException(f"{field} must be between {low} and {high}")
    return value

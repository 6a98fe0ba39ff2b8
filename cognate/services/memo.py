"""The per-process memo: configuration the hot paths read on every request, remembered for at most a second.

ARCHITECTURE.md: a configuration change takes effect within one second on every node, and at once when made through
this process. So an entry lives at most `MEMO_SECONDS` of `deps.clock` time from when its load began (another
node's change), and the store tells the memo what each committed transaction wrote (`configuration_changed`, noted
by the store from every write to a configuration table, so no use case has to remember to forget).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from enum import StrEnum
from typing import Any, TypeVar, cast

from cognate.domain.clock import Clock
from cognate.domain.ui_customization import ALL
from cognate.store.base import ConfigChange, Configured

T = TypeVar("T")
MEMO_SECONDS = 1.0  # a change made on another node is seen here within a second (ARCHITECTURE.md)
MEMO_ENTRIES = 10_000


class Cached(StrEnum):
    """What the memo keeps, each under its key (a `{pool id}/...` key belongs to the pool: `forget_pool`)."""

    POOL = "pool"  # pool id → UserPool
    BASE_URL = "base_url"  # pool id → where its OAuth endpoints are (its domains)
    SCOPES = "scopes"  # pool id → its resource servers' scopes
    KEYS = "keys"  # pool id → its signing keys
    DISCOVERY_DOC = "discovery_doc"  # pool id → the rendered discovery document (from BASE_URL)
    JWKS_DOC = "jwks_doc"  # pool id → the rendered JWKS (from KEYS)
    UI = "ui"  # `ui_key(pool id, client id)` → (the customization a hosted-UI page shows, or None,)
    CLIENT = "client"  # client id → AppClient, secrets opened
    DOMAIN = "domain"  # domain prefix or custom name → (PoolDomain or None,)


def ui_key(pool_id: str, client_id: str) -> str:
    """Keyed under the pool, so a change of the pool's default (ALL) forgets every client's page with it."""
    return f"{pool_id}/{client_id}"


Key = tuple[Cached, str]


class Memo:
    """Per-process memory of values derived from stored configuration, so hot reads skip the database.

    `opened_keys`: private signing keys by kid, opened once (a kid names one key pair forever, so this is never
    stale). Everything else is kept per (kind, key), at most `MEMO_SECONDS` by the injected clock, so tests advance
    time instead of sleeping.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._now = clock.now
        self.opened_keys: dict[str, Any] = {}
        self.entries: dict[Key, tuple[float, Any]] = {}
        self.loading: dict[Key, asyncio.Task[Any]] = {}

    async def remember(self, kind: Cached, key: str, load: Callable[[], Awaitable[T]]) -> T:
        """The remembered value, or `load()`'s; concurrent misses of one entry share one load, so an expiring
        entry costs one database read, not one per request in flight (each of them a transaction)."""
        found = self.entries.get((kind, key))  # `get`, inlined: this is every hot request's path
        if found is not None and 0 <= self._now() - found[0] < MEMO_SECONDS:
            return cast(T, found[1])
        task = self.loading.get((kind, key))
        if task is None or task.get_loop() is not asyncio.get_running_loop():
            task = self.loading[(kind, key)] = asyncio.get_running_loop().create_task(self._load(kind, key, load))
        return cast(T, await asyncio.shield(task))

    async def _load(self, kind: Cached, key: str, load: Callable[[], Awaitable[T]]) -> T:
        started = self._now()
        try:
            value = await load()
        finally:
            mine = self.loading.get((kind, key)) is asyncio.current_task()
            if mine:
                del self.loading[(kind, key)]
        if mine:  # not forgotten meanwhile (a change through this process)
            self.put(kind, key, value, read_at=started)
        return value

    def get(self, kind: Cached, key: str) -> Any | None:
        """The value while fresh; a clock set back also ends its life (never older than it looks)."""
        found = self.entries.get((kind, key))
        if found is None or not 0 <= self._now() - found[0] < MEMO_SECONDS:
            return None
        return found[1]

    def put(self, kind: Cached, key: str, value: Any, *, read_at: float | None = None) -> None:
        """`read_at`: when the value's source was read, if earlier than now (a value derived from another
        remembered value must not outlive it)."""
        if len(self.entries) >= MEMO_ENTRIES:
            self.entries.clear()
        self.entries[(kind, key)] = (self._now() if read_at is None else read_at, value)

    def read_at(self, kind: Cached, key: str) -> float:
        """When the remembered value was read (by the clock); now if there is none."""
        found = self.entries.get((kind, key))
        return self._now() if found is None else found[0]

    def forget(self, kind: Cached, key: str) -> None:
        self.entries.pop((kind, key), None)
        self.loading.pop((kind, key), None)

    def forget_pool(self, pool_id: str) -> None:
        """Entries keyed by the pool id, or by `{pool id}/...` (one of the pool's clients)."""
        prefix = pool_id + "/"
        self._forget_where(lambda k: k[1] == pool_id or k[1].startswith(prefix))

    def forget_kind(self, kind: Cached) -> None:
        self._forget_where(lambda k: k[0] is kind)

    def forget_all(self) -> None:
        self._forget_where(lambda k: True)

    def _forget_where(self, matches: Callable[[Key], bool]) -> None:
        for held in (self.entries, self.loading):
            for key in [k for k in held if matches(k)]:
                held.pop(key, None)

    def configuration_changed(self, changes: Sequence[ConfigChange]) -> None:
        """What a committed transaction of this process wrote (`Store.listen`): forget what was derived from it."""
        for change in changes:
            self._forget_change(change)

    def _forget_change(self, change: ConfigChange) -> None:
        """A client is remembered by its id alone; a pool-wide change (the pool, its keys, resource servers,
        domains, default customization) forgets every entry of the pool; a domain also its own entry. What the
        write did not name is forgotten everywhere."""
        if change.what is Configured.CLIENT:
            self._forget_row(Cached.CLIENT, change.key)
        elif change.what is Configured.UI_CUSTOMIZATION and change.key not in (None, ALL) and change.pool_id:
            self.forget(Cached.UI, ui_key(change.pool_id, change.key))
        else:
            if change.what is Configured.DOMAIN:
                self._forget_row(Cached.DOMAIN, change.key)
            if change.pool_id is None:
                self.forget_all()
            else:
                self.forget_pool(change.pool_id)

    def _forget_row(self, kind: Cached, key: str | None) -> None:
        if key is None:
            self.forget_kind(kind)
        else:
            self.forget(kind, key)

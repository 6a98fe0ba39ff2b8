"""`Memo.remember`: concurrent misses share one load; a load's value lives at most MEMO_SECONDS of the injected clock
from when it started; a change through this process (`forget_pool`) during a load keeps the stale answer out of the
memo; and what a committed transaction reports (`configuration_changed`) is forgotten."""

from __future__ import annotations

import asyncio

from cognate.domain.clock import FrozenClock
from cognate.services.memo import MEMO_SECONDS, Cached, Memo, ui_key
from cognate.store.base import ConfigChange, Configured


class Source:
    def __init__(self) -> None:
        self.loads = 0
        self.value = "v1"

    async def load(self) -> str:
        self.loads += 1
        await asyncio.sleep(0.02)
        return self.value


async def test_concurrent_misses_share_one_load() -> None:
    memo, source = Memo(FrozenClock()), Source()
    values = await asyncio.gather(*(memo.remember(Cached.POOL, "p1", source.load) for _ in range(16)))
    assert values == ["v1"] * 16 and source.loads == 1
    assert await memo.remember(Cached.POOL, "p1", source.load) == "v1" and source.loads == 1


async def test_the_value_expires_by_the_injected_clock() -> None:
    clock = FrozenClock()
    memo, source = Memo(clock), Source()
    await memo.remember(Cached.POOL, "p1", source.load)
    source.value = "v2"
    clock.advance(MEMO_SECONDS - 0.01)
    assert await memo.remember(Cached.POOL, "p1", source.load) == "v1" and source.loads == 1
    clock.advance(0.01)
    assert await memo.remember(Cached.POOL, "p1", source.load) == "v2" and source.loads == 2
    clock.advance(-5)  # a clock set back: the entry is not trusted to be younger than it looks
    assert memo.get(Cached.POOL, "p1") is None


async def test_the_value_expires_counted_from_the_start_of_its_load() -> None:
    clock = FrozenClock()
    memo, source = Memo(clock), Source()

    async def slow() -> str:
        clock.advance(0.6)  # the read took 0.6 s
        return await source.load()

    await memo.remember(Cached.POOL, "p1", slow)
    clock.advance(0.5)
    source.value = "v2"
    assert await memo.remember(Cached.POOL, "p1", source.load) == "v2" and source.loads == 2


async def test_a_change_during_a_load_is_not_overwritten_by_it() -> None:
    memo, source = Memo(FrozenClock()), Source()
    loading = asyncio.ensure_future(memo.remember(Cached.POOL, "p1", source.load))
    await asyncio.sleep(0.005)
    memo.forget_pool("p1")  # a change made here while the old value was being read
    assert await loading == "v1"  # the caller that asked before the change gets what it read
    assert memo.get(Cached.POOL, "p1") is None  # but it is not remembered
    source.value = "v2"
    assert await memo.remember(Cached.POOL, "p1", source.load) == "v2"


async def test_a_failed_load_reaches_every_waiter_and_is_not_remembered() -> None:
    memo = Memo(FrozenClock())

    async def broken() -> str:
        await asyncio.sleep(0.01)
        raise ConnectionError("database gone")

    results = await asyncio.gather(*(memo.remember(Cached.POOL, "p1", broken) for _ in range(3)),
                                   return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)
    assert memo.get(Cached.POOL, "p1") is None and not memo.loading


def _filled() -> Memo:
    memo = Memo(FrozenClock())
    for pool in ("p1", "p2"):
        for kind in (Cached.POOL, Cached.BASE_URL, Cached.SCOPES, Cached.KEYS, Cached.JWKS_DOC):
            memo.put(kind, pool, f"{kind}:{pool}")
        memo.put(Cached.UI, ui_key(pool, "c"), "ui")
        memo.put(Cached.UI, ui_key(pool, "ALL"), "ui")
        memo.put(Cached.CLIENT, f"client-of-{pool}", "client")
        memo.put(Cached.DOMAIN, f"domain-of-{pool}", "domain")
    return memo


def _kept(memo: Memo) -> set[tuple[str, str]]:
    return {(str(kind), key) for kind, key in memo.entries}


def test_a_pool_wide_change_forgets_that_pool_only() -> None:
    for what in (Configured.POOL, Configured.SIGNING_KEY, Configured.RESOURCE_SERVER):
        memo = _filled()
        memo.configuration_changed([ConfigChange(what, "p1", "x")])
        assert not any(key == "p1" or key.startswith("p1/") for _, key in _kept(memo)), what
        assert ("pool", "p2") in _kept(memo) and ("ui", "p2/c") in _kept(memo)
        assert ("client", "client-of-p1") in _kept(memo)  # keyed by its own id: a client change forgets it


def test_a_client_change_forgets_that_client() -> None:
    memo = _filled()
    memo.configuration_changed([ConfigChange(Configured.CLIENT, "p1", "client-of-p1")])
    assert _kept(memo) == _kept(_filled()) - {("client", "client-of-p1")}
    memo.configuration_changed([ConfigChange(Configured.CLIENT, None, None)])  # a write that named no client
    assert not any(kind == "client" for kind, _ in _kept(memo)) and ("pool", "p1") in _kept(memo)


def test_a_domain_change_forgets_the_domain_and_its_pool() -> None:
    memo = _filled()
    memo.configuration_changed([ConfigChange(Configured.DOMAIN, "p1", "domain-of-p1")])
    assert ("domain", "domain-of-p1") not in _kept(memo) and ("base_url", "p1") not in _kept(memo)
    assert ("domain", "domain-of-p2") in _kept(memo) and ("base_url", "p2") in _kept(memo)
    memo.configuration_changed([ConfigChange(Configured.DOMAIN, None, "domain-of-p2")])  # deleted by name only
    assert ("base_url", "p2") not in _kept(memo) and ("domain", "domain-of-p2") not in _kept(memo)


def test_a_customization_change_forgets_its_page_or_the_pools_pages() -> None:
    memo = _filled()
    memo.configuration_changed([ConfigChange(Configured.UI_CUSTOMIZATION, "p1", "c")])
    assert _kept(memo) == _kept(_filled()) - {("ui", "p1/c")}
    memo.configuration_changed([ConfigChange(Configured.UI_CUSTOMIZATION, "p2", "ALL")])  # every page falls back
    assert not any(key.startswith("p2/") for _, key in _kept(memo))

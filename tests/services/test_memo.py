"""`Memo.remember`: concurrent misses share one load; a load's value lives at most MEMO_SECONDS from when it
started; a change through this process (`forget_pool`) during a load keeps the stale answer out of the memo."""

from __future__ import annotations

import asyncio

from cognate.services.deps import MEMO_SECONDS, Memo


class Source:
    def __init__(self) -> None:
        self.loads = 0
        self.value = "v1"

    async def load(self) -> str:
        self.loads += 1
        await asyncio.sleep(0.02)
        return self.value


async def test_concurrent_misses_share_one_load() -> None:
    memo, source = Memo(), Source()
    values = await asyncio.gather(*(memo.remember("pool", "p1", source.load) for _ in range(16)))
    assert values == ["v1"] * 16 and source.loads == 1
    assert await memo.remember("pool", "p1", source.load) == "v1" and source.loads == 1


async def test_the_value_expires_counted_from_the_start_of_its_load() -> None:
    memo, source = Memo(), Source()
    await memo.remember("pool", "p1", source.load)
    stamp = memo.read_at("pool", "p1")
    memo.entries[("pool", "p1")] = (stamp - MEMO_SECONDS, "v1")  # as if loaded a second ago
    source.value = "v2"
    assert await memo.remember("pool", "p1", source.load) == "v2" and source.loads == 2


async def test_a_change_during_a_load_is_not_overwritten_by_it() -> None:
    memo, source = Memo(), Source()
    loading = asyncio.ensure_future(memo.remember("pool", "p1", source.load))
    await asyncio.sleep(0.005)
    memo.forget_pool("p1")  # a change made here while the old value was being read
    assert await loading == "v1"  # the caller that asked before the change gets what it read
    assert memo.get("pool", "p1") is None  # but it is not remembered
    source.value = "v2"
    assert await memo.remember("pool", "p1", source.load) == "v2"


async def test_a_failed_load_reaches_every_waiter_and_is_not_remembered() -> None:
    memo = Memo()

    async def broken() -> str:
        await asyncio.sleep(0.01)
        raise ConnectionError("database gone")

    results = await asyncio.gather(*(memo.remember("pool", "p1", broken) for _ in range(3)), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)
    assert memo.get("pool", "p1") is None and not memo.loading

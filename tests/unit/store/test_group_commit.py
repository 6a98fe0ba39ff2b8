"""`GroupCommit`: what queues while a write is in flight is written together; every caller gets its own result
or the batch's error; `linger` waits for company unless flushed; a new event loop starts clean."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from cognate.store.group_commit import GroupCommit


class Writer:
    def __init__(self, fail: bool = False) -> None:
        self.batches: list[list[int]] = []
        self.fail = fail

    async def __call__(self, items: Sequence[int]) -> list[int]:
        self.batches.append(list(items))
        await asyncio.sleep(0.01)
        if self.fail:
            raise ConnectionError("database gone")
        return [item * 10 for item in items]


async def test_concurrent_submits_share_batches_and_get_their_own_results() -> None:
    writer = Writer()
    commit = GroupCommit(writer)
    results = await asyncio.gather(*(commit.submit(n) for n in range(20)))
    assert results == [n * 10 for n in range(20)]
    assert writer.batches == [list(range(20))]  # all queued before the first write began: one transaction
    later = [asyncio.ensure_future(commit.submit(20))]
    await asyncio.sleep(0.001)  # the write of 20 is in flight: these queue behind it, together
    later += [asyncio.ensure_future(commit.submit(n)) for n in (21, 22)]
    assert await asyncio.gather(*later) == [200, 210, 220]
    assert writer.batches[1:] == [[20], [21, 22]]


async def test_every_caller_of_a_failed_batch_gets_the_error() -> None:
    commit = GroupCommit(Writer(fail=True))
    results = await asyncio.gather(*(commit.submit(n) for n in range(3)), return_exceptions=True)
    assert all(isinstance(r, ConnectionError) for r in results)


async def test_added_items_share_batches_with_awaited_ones_and_a_lost_batch_is_reported_once() -> None:
    writer = Writer()
    commit = GroupCommit(writer)
    commit.add(1)
    assert await commit.submit(2) == 20
    assert writer.batches == [[1, 2]]
    lost: list[tuple[str, int]] = []
    failing = GroupCommit(Writer(fail=True), on_lost=lambda exc, n: lost.append((str(exc), n)))
    for n in range(3):
        failing.add(n)
    with pytest.raises(ConnectionError):
        await failing.submit(3)
    assert lost == [("database gone", 3)]  # the awaited item got the error itself; the three unawaited, one report


async def test_linger_collects_and_flush_cuts_it_short() -> None:
    writer = Writer()
    commit = GroupCommit(writer, linger=30.0)
    futures = [commit.enqueue(n) for n in range(5)]
    await asyncio.sleep(0.05)
    assert writer.batches == []  # still lingering
    await asyncio.wait_for(commit.flush(), 5)
    assert writer.batches == [[0, 1, 2, 3, 4]] and [f.result() for f in futures] == [0, 10, 20, 30, 40]


def test_a_new_event_loop_starts_clean() -> None:
    writer = Writer()
    commit = GroupCommit(writer, linger=30.0)

    async def strand() -> None:
        commit.enqueue(1)  # lingers; its loop closes under it

    asyncio.run(strand())

    async def again() -> int:
        future = commit.enqueue(2)
        await commit.flush()
        return await future

    assert asyncio.run(again()) == 20


@pytest.mark.parametrize("size", [1, 3])
async def test_max_batch_splits(size: int) -> None:
    writer = Writer()
    commit = GroupCommit(writer, max_batch=size)
    await asyncio.gather(*(commit.submit(n) for n in range(7)))
    assert all(len(batch) <= size for batch in writer.batches)

"""Group commit: writes that arrive while one is in flight go to the database together, in one transaction.

Every request writes a little (an audit event, a rate-limit count), and on both databases the transaction around a
write costs far more than the row (BEGIN, COMMIT and a connection check-out are round trips; on SQLite each is a
hop to aiosqlite's thread). Batching whatever queued up during the previous write keeps each caller's guarantee
(its own write is committed, or it gets the error, before it goes on) while the per-request cost falls as load
rises: one write alone goes at once, sixteen concurrent ones share a transaction. With `linger` the first write
of a batch also waits that long for company (for writes nobody waits on, such as audit events).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_BATCH = 512


class GroupCommit(Generic[T, R]):
    """`submit(item)` resolves to the item's result from `write(batch)`, which returns one result per item."""

    def __init__(self, write: Callable[[Sequence[T]], Awaitable[Sequence[R]]], *, linger: float = 0.0,
                 max_batch: int = MAX_BATCH, on_lost: Callable[[Exception, int], None] | None = None) -> None:
        self._write = write
        self._linger = linger
        self._max_batch = max_batch
        self._on_lost = on_lost
        self._queue: list[tuple[T, asyncio.Future[R] | None]] = []
        self._drainer: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()

    async def submit(self, item: T) -> R:
        return await self.enqueue(item)

    def enqueue(self, item: T) -> asyncio.Future[R]:
        """The item's future; items enqueued before the caller awaits go into the same batch."""
        future: asyncio.Future[R] = self._push(item, want_result=True)  # type: ignore[assignment]
        return future

    def add(self, item: T) -> None:
        """Queue an item nobody waits for (no future to make and resolve); if its batch fails to write, `on_lost`
        hears the error and how many such items were lost, once per batch."""
        self._push(item, want_result=False)

    def _push(self, item: T, *, want_result: bool) -> asyncio.Future[R] | None:
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests): what the old one left can never run
            self._loop, self._queue, self._drainer, self._wake = loop, [], None, asyncio.Event()
        future: asyncio.Future[R] | None = loop.create_future() if want_result else None
        self._queue.append((item, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = loop.create_task(self._drain())
        return future

    async def flush(self) -> None:
        """Write what is queued now, without waiting out the linger."""
        drainer = self._drainer
        if drainer is None or drainer.done() or self._loop is not asyncio.get_running_loop():
            return
        self._wake.set()
        await asyncio.shield(drainer)

    async def _drain(self) -> None:
        if self._linger:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._linger)
        self._wake.clear()
        while self._queue:
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch:]
            try:
                results = await self._write([item for item, _ in batch])
            except Exception as exc:  # every caller of the batch gets the error, as if it had written alone
                for _, future in batch:
                    if future is not None and not future.done():
                        future.set_exception(exc)
                unawaited = sum(1 for _, future in batch if future is None)
                if unawaited and self._on_lost is not None:
                    self._on_lost(exc, unawaited)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if future is not None and not future.done():
                    future.set_result(result)

"""Rate-limit counts kept in this process and reconciled with the shared counter (database or Redis) in the
background, except near a limit, where every hit goes to the shared counter at once.

A shared count per request costs a database transaction (or a Redis round trip) on every token request — a
large share of the token endpoint's CPU (README "Measured costs"). Far from its limit a key does not need that: this
process counts it locally and sends the sum every `SYNC_SECONDS`, learning the other nodes' counts in the answer.
Close to the limit (within `margin`) and for a key not seen here in the last `STALE_SECONDS`, a hit is counted in
the shared store before it is judged, so a limit is enforced exactly: the others' hits can only be missed while a
key is more than `margin` below its limit, and only for one sync interval. A key that requests only read (a hit of
count 0: a failure budget, checked by every request and charged by failures) is read again by the sync before it
goes stale, so it stays off the requests' path too.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from cognate.domain.rate_limit import RateHit, weighed, window_start
from cognate.store.base import RateCounter

log = logging.getLogger("cognate.rate_limit")

SYNC_SECONDS = 0.1
STALE_SECONDS = 1.0
MIN_MARGIN = 16

Row = tuple[str, str, int, int]  # scope, key, window length, window start


def margin(limit: int) -> int:
    """How far below its limit a key must stay to be counted locally: a tenth of the limit, at least 16."""
    return max(MIN_MARGIN, limit // 10)


@dataclass
class _View:
    current: int  # the shared count of the window when last heard, with this process's hits sent by then
    previous: int  # the shared count of the window before
    heard_at: float  # monotonic
    unsent: int = 0  # counted here, not yet sent
    sending: int = 0  # sent, answer not yet heard: still counted, or a slow store would hide them from requests
    read: bool = False  # read here (a hit of count 0) since last heard: `sync` refreshes it before it goes stale

    def count(self) -> int:
        return self.current + self.sending + self.unsent

    def heard(self, current: int, previous: int, sent: int, at: float) -> None:
        """The store's answer to a round trip that carried `sent` of this view's hits."""
        self.current, self.previous, self.heard_at = max(self.current, current), previous, at
        self.sending -= sent


class SyncedRateCounter:
    def __init__(self, shared: RateCounter, *, sync_seconds: float = SYNC_SECONDS) -> None:
        self.shared = shared
        self._sync_seconds = sync_seconds
        self._views: dict[Row, _View] = {}
        self._syncer: asyncio.Task[None] | None = None
        # the last sync's round trip: its loop, set when it has landed, the rows it carries
        self._landing: tuple[asyncio.AbstractEventLoop, asyncio.Event, frozenset[Row]] | None = None

    async def add(self, hits: Sequence[RateHit], *, now: float) -> list[tuple[int, int]]:
        rows = [(hit.scope, hit.key, hit.window, window_start(now, hit.window)) for hit in hits]
        mono = time.monotonic()
        views = []
        for hit, row in zip(hits, rows, strict=True):
            view = self._local(hit, row, now, mono)
            if view is None:
                return await self._count_shared(hits, rows, now)
            views.append(view)
        self._sync_soon()
        for hit, view in zip(hits, views, strict=True):
            view.unsent += hit.count
            view.read = view.read or not hit.count
        return [(view.count(), view.previous) for view in views]

    def _local(self, hit: RateHit, row: Row, now: float, mono: float) -> _View | None:
        view = self._views.get(row)
        if view is None or mono - view.heard_at >= STALE_SECONDS:
            return None
        expected = weighed(view.count() + hit.count, view.previous, now - row[3], hit.window)
        return view if expected <= hit.limit - margin(hit.limit) else None

    def _sync_soon(self) -> None:
        loop = asyncio.get_running_loop()
        if self._syncer is None or self._syncer.done() or self._syncer.get_loop() is not loop:
            self._syncer = loop.create_task(self._sync_later())  # (a task of a loop since closed never runs)

    async def _count_shared(self, hits: Sequence[RateHit], rows: list[Row], now: float) -> list[tuple[int, int]]:
        """Send these hits (with what this process counted of the same keys) and take the shared answer."""
        sent = [replace(hit, count=hit.count + self._take_unsent(row)) for hit, row in zip(hits, rows, strict=True)]
        carried = self._mark_sending(rows, [hit.count for hit in sent])
        try:
            await self._sync_landed(rows)
            answers = await self.shared.add(sent, now=now)
        except BaseException:
            self._mark_sending(rows, [-n for n in carried])
            self._keep_unsent(rows, [s.count - h.count for s, h in zip(sent, hits, strict=True)])
            raise
        heard = time.monotonic()
        for row, n, (current, previous) in zip(rows, carried, answers, strict=True):
            view = self._views.setdefault(row, _View(current, previous, heard))
            view.heard(current, previous, n, heard)
        return answers

    def _mark_sending(self, rows: Sequence[Row], counts: Sequence[int]) -> list[int]:
        """Add `counts` to the views' in-flight counts (rows with no view yet: nothing); what each view took."""
        taken = []
        for row, count in zip(rows, counts, strict=True):
            view = self._views.get(row)
            if view is not None:
                view.sending += count
            taken.append(count if view is not None else 0)
        return taken

    async def _sync_landed(self, rows: Sequence[Row]) -> None:
        """Wait for a sync in flight that carries counts of these rows: the store's answer must include them, and
        adding them to it instead would count them twice once they have landed."""
        if self._landing is None:
            return
        loop, landed, carried = self._landing
        if loop is asyncio.get_running_loop() and not landed.is_set() and not carried.isdisjoint(rows):
            await landed.wait()

    def _take_unsent(self, row: Row) -> int:
        view = self._views.get(row)
        if view is None:
            return 0
        unsent, view.unsent = view.unsent, 0
        return unsent

    def _keep_unsent(self, rows: Sequence[Row], counts: Sequence[int]) -> None:
        for row, count in zip(rows, counts, strict=True):
            if count and (view := self._views.get(row)) is not None:
                view.unsent += count

    async def _sync_later(self) -> None:
        await asyncio.sleep(self._sync_seconds)
        await self.sync()

    async def sync(self) -> None:
        """Send every local count, and read again the views only read here that are half-way to stale (so the
        requests that read a budget never wait on the store for it); forget views nobody used in a while."""
        mono = time.monotonic()
        idle = [r for r, v in self._views.items() if not (v.unsent or v.sending) and mono - v.heard_at >= STALE_SECONDS]
        for row in idle:
            del self._views[row]
        pending = [(row, view) for row, view in self._views.items()
                   if view.unsent or (view.read and mono - view.heard_at >= STALE_SECONDS / 2)]
        if not pending:
            return
        rows = [row for row, _ in pending]
        counts = [view.unsent for _, view in pending]
        for _, view in pending:
            view.sending, view.unsent, view.read = view.sending + view.unsent, 0, False
        landed = asyncio.Event()
        self._landing = (asyncio.get_running_loop(), landed, frozenset(rows))
        try:  # each row at its own window's start (rows of different window lengths go in one batch all the same)
            answers = await asyncio.gather(*(self.shared.add([RateHit(row[0], row[1], row[2], limit=0, count=n)],
                                                              now=row[3]) for row, n in zip(rows, counts, strict=True)))
        except Exception as exc:  # keep the counts for the next try; the shared store may be back by then
            for (_, view), n in zip(pending, counts, strict=True):
                view.sending -= n
            self._keep_unsent(rows, counts)
            log.warning("rate-limit counts not synced", extra={"fields": {"error": str(exc)[:200]}})
            return
        finally:
            landed.set()
        heard = time.monotonic()
        for (_, view), n, [(current, previous)] in zip(pending, counts, answers, strict=True):
            view.heard(current, previous, n, heard)

    async def close(self) -> None:
        if self._syncer is not None and not self._syncer.done():
            self._syncer.cancel()
        await self.sync()
        await self.shared.close()

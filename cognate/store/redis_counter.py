"""Rate-limit counters in Redis (`COGNATE_REDIS_URL`; OWASP ASVS 2.2.1): one key per (scope, key, window).

INCR and EXPIRE run in one MULTI/EXEC with the read of the previous window, for every scope of a request at once,
so every node sharing the Redis shares the counts; Redis drops a window by itself two windows after it began.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from redis.asyncio import Redis
from redis.exceptions import RedisError

from cognate.domain.rate_limit import RateHit, window_start

log = logging.getLogger("cognate.rate_limit")
PREFIX = "cognate:rate:"


class RedisRateCounter:
    """Fails open: while Redis is unreachable a request is counted as the first of its window (and logged),
    so an outage of the optional cache never takes sign-in down with it."""

    def __init__(self, url: str, *, prefix: str = PREFIX) -> None:
        self._redis = Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.prefix = prefix

    async def add(self, hits: Sequence[RateHit], *, now: float) -> list[tuple[int, int]]:
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                for hit in hits:
                    start = window_start(now, hit.window)
                    name = f"{self.prefix}{hit.scope}:{hit.key}:"
                    pipe.incrby(f"{name}{start}", hit.count)
                    pipe.expire(f"{name}{start}", 2 * hit.window)
                    pipe.get(f"{name}{start - hit.window}")
                replies = await pipe.execute()
        except (RedisError, OSError) as exc:
            log.error("rate limit counter unavailable; not limiting", extra={"fields": {"error": str(exc)[:200]}})
            return [(hit.count, 0) for hit in hits]
        return [(int(replies[i]), int(replies[i + 2] or 0)) for i in range(0, len(replies), 3)]

    async def close(self) -> None:
        await self._redis.aclose()

"""Rate-limit counters in Redis (`COGNATE_REDIS_URL`; OWASP ASVS 2.2.1): one key per (scope, key, window).

INCR and EXPIRE run in one MULTI/EXEC with the read of the previous window, so every node sharing the Redis
shares the counts; Redis drops a window by itself two windows after it began.
"""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from redis.exceptions import RedisError

from cognate.domain.rate_limit import window_start

log = logging.getLogger("cognate.rate_limit")
PREFIX = "cognate:rate:"


class RedisRateCounter:
    """Fails open: while Redis is unreachable a request is counted as the first of its window (and logged),
    so an outage of the optional cache never takes sign-in down with it."""

    def __init__(self, url: str, *, prefix: str = PREFIX) -> None:
        self._redis = Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self._prefix = prefix

    async def hit(self, scope: str, key: str, *, window: int, now: float) -> tuple[int, int]:
        start = window_start(now, window)
        name = f"{self._prefix}{scope}:{key}:"
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(f"{name}{start}")
                pipe.expire(f"{name}{start}", 2 * window)
                pipe.get(f"{name}{start - window}")
                current, _, previous = await pipe.execute()
        except (RedisError, OSError) as exc:
            log.error("rate limit counter unavailable; not limiting", extra={"fields": {"error": str(exc)[:200]}})
            return 1, 0
        return int(current), int(previous or 0)

    async def close(self) -> None:
        await self._redis.aclose()

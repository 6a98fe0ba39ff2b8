"""Rate limits on the credential endpoints, one rule for every door (OWASP ASVS 2.2.1 anti-automation).

Each door calls `check_caller` once per credential request: the caller's IP (from `request_info`, set by the web
layer) and the app client it names are counted against `deps.rate_limits`. Over a limit it raises `RateLimited`,
which the JSON API answers as Cognito's TooManyRequestsException (HTTP 400) and the OAuth token endpoint and the
hosted UI as HTTP 429 with `Retry-After` (RFC 6585 §4).
"""

from __future__ import annotations

from prometheus_client import Counter

from cognate.domain.errors import TooManyRequestsException
from cognate.domain.rate_limit import CLIENT, IP, retry_after, window_start
from cognate.services.audit import request_info
from cognate.services.deps import Deps

LIMITED = Counter("cognate_rate_limited_total", "Requests refused by a rate limit, by scope", ["scope"])
MAX_KEY = 128


class RateLimited(TooManyRequestsException):
    """Too many requests from one IP or for one app client; `retry_after` in whole seconds."""

    def __init__(self, scope: str, retry_after: int) -> None:
        who = "this address" if scope == IP else "this app client"
        super().__init__(f"Too many requests from {who}; try again in {retry_after} seconds.")
        self.scope = scope
        self.retry_after = retry_after


async def check_rate(deps: Deps, scope: str, key: str | None) -> None:
    """Count one request of `key` in `scope`; raise RateLimited when that is one too many."""
    rate = deps.rate_limits.of(scope)
    if rate is None or deps.rate_counter is None or not key:
        return
    now = deps.clock.now()
    scoped = f"{scope}@{rate.window}"  # a changed window length starts fresh counts
    current, previous = await deps.rate_counter.hit(scoped, key[:MAX_KEY], window=rate.window, now=now)
    wait = retry_after(rate, current, previous, now - window_start(now, rate.window))
    if wait is not None:
        LIMITED.labels(scope).inc()
        raise RateLimited(scope, wait)


async def check_caller(deps: Deps, *, client_id: str | None) -> None:
    """The check of one credential request: per client IP first, then per app client."""
    await check_rate(deps, IP, request_info.get().ip)
    await check_rate(deps, CLIENT, client_id)

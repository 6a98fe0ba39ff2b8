"""Rate limits on the credential endpoints, one rule for every door (OWASP ASVS 2.2.1 anti-automation).

Each door calls `check_caller` once per credential request: the caller's IP (from `request_info`, set by the web
layer) and the app client it names are counted against `deps.rate_limits`. Over a limit it raises `RateLimited`,
which the JSON API answers as Cognito's TooManyRequestsException (HTTP 400) and the OAuth token endpoint and the
hosted UI as HTTP 429 with `Retry-After` (RFC 6585 §4).
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import Counter

from cognate.domain.errors import TooManyRequestsException
from cognate.domain.rate_limit import CLIENT, IP, RateHit, retry_after, window_start
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


async def check_rates(deps: Deps, keys: Sequence[tuple[str, str | None]]) -> None:
    """Count one request of each (scope, key) in one round trip; raise RateLimited for the first over its limit."""
    counted = [(scope, key[:MAX_KEY], rate) for scope, key in keys
               if key and (rate := deps.rate_limits.of(scope)) is not None]
    if deps.rate_counter is None or not counted:
        return
    now = deps.clock.now()
    # f"{scope}@{window}": a changed window length starts fresh counts
    results = await deps.rate_counter.add([RateHit(f"{scope}@{rate.window}", key, rate.window, rate.limit)
                                           for scope, key, rate in counted], now=now)
    for (scope, _, rate), (current, previous) in zip(counted, results, strict=True):
        wait = retry_after(rate, current, previous, now - window_start(now, rate.window))
        if wait is not None:
            LIMITED.labels(scope).inc()
            raise RateLimited(scope, wait)


async def check_caller(deps: Deps, *, client_id: str | None) -> None:
    """The check of one credential request: per client IP and per app client (the IP's verdict first)."""
    await check_rates(deps, [(IP, request_info.get().ip), (CLIENT, client_id)])

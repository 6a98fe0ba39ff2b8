"""Rate limits on the credential endpoints (OWASP ASVS 2.2.1 anti-automation; RFC 6585 §4 "429 Too Many Requests").

A sliding-window counter: each (scope, key) has one count per fixed window, and a request is weighed against
`previous * (1 - elapsed / window) + current`. That smooths the burst a plain fixed window allows at its edge
while storing only two numbers per key. Pure arithmetic here; the counts live in the store (database or Redis).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
RATE_PATTERN = r"^(0|[1-9]\d{0,8}/(second|minute|hour|day))$"
_RATE = re.compile(RATE_PATTERN)

IP = "ip"  # scope: every credential request of one client IP address, across every credential endpoint
IP_FAILURES = "ip-failures"  # scope: the failed credential requests and the messages sent of one client IP address
CLIENT = "client"  # scope: one app client id, across every credential endpoint


@dataclass(frozen=True)
class Rate:
    """At most `limit` requests per `window` seconds."""

    limit: int
    window: int

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """`"60/minute"` → Rate(60, 60); `"0"` → None (no limit)."""
        if not _RATE.match(text):
            raise ValueError(f"rate must be N/second|minute|hour|day or 0, not {text!r}")
        if text == "0":
            return None
        count, unit = text.split("/")
        return cls(limit=int(count), window=UNITS[unit])


@dataclass(frozen=True)
class RateLimits:
    """The configured rate of each scope; a missing one is not limited."""

    per_ip: Rate | None = None
    per_client: Rate | None = None
    failures_per_ip: Rate | None = None

    def of(self, scope: str) -> Rate | None:
        if scope == IP_FAILURES:
            return self.failures_per_ip
        return self.per_ip if scope == IP else self.per_client if scope == CLIENT else None


@dataclass(frozen=True)
class RateHit:
    """`count` requests of `key` in `scope` (a rate of `limit` per `window` seconds applies to it); a count of 0
    only reads the key's counts."""

    scope: str
    key: str
    window: int
    limit: int
    count: int = 1


def window_start(now: float, window: int) -> int:
    """The start (epoch seconds) of the fixed window holding `now`."""
    return int(now // window) * window


def weighed(current: int, previous: int, elapsed: float, window: int) -> float:
    return previous * (1.0 - elapsed / window) + current


def retry_after(rate: Rate, current: int, previous: int, elapsed: float) -> int | None:
    """None when the request that brought this window to `current` is allowed; otherwise whole seconds until one
    more request would fit if none arrived meanwhile (the `Retry-After` value, RFC 9110 §10.2.3)."""
    if weighed(current, previous, elapsed, rate.window) <= rate.limit:
        return None
    room = rate.limit - current - 1  # what the previous window's share must shrink to, within this window
    if room >= 0 and previous > 0:
        wait = rate.window * (1.0 - room / previous) - elapsed
    else:  # this window alone is full: wait for the next one, where this count becomes the fading share
        wait = rate.window - elapsed + rate.window * max(0.0, 1.0 - (rate.limit - 1) / current)
    return max(1, math.ceil(round(wait, 6)))  # round: 20.000000000000004 s is 20 s

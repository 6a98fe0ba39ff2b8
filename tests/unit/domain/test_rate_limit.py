"""The sliding-window arithmetic of the rate limits (OWASP ASVS 2.2.1; Retry-After per RFC 6585 §4)."""

from __future__ import annotations

import pytest

from cognate.domain.rate_limit import CLIENT, IP, IP_FAILURES, Rate, RateLimits, retry_after, weighed, window_start


def test_parse() -> None:
    assert Rate.parse("60/minute") == Rate(60, 60)
    assert Rate.parse("5/second") == Rate(5, 1)
    assert Rate.parse("1000/day") == Rate(1000, 86400)
    assert Rate.parse("0") is None
    for bad in ("", "60", "60/min", "-1/minute", "0/minute", "1.5/hour", "60/minute "):
        with pytest.raises(ValueError):
            Rate.parse(bad)


def test_limits_by_scope() -> None:
    limits = RateLimits(per_ip=Rate(5, 60))
    assert limits.of(IP) == Rate(5, 60) and limits.of(CLIENT) is None and limits.of("other") is None
    assert limits.of(IP_FAILURES) is None
    assert RateLimits(failures_per_ip=Rate(3, 60)).of(IP_FAILURES) == Rate(3, 60)


def test_window_start() -> None:
    assert window_start(119.9, 60) == 60 and window_start(120.0, 60) == 120


def test_within_the_limit_is_allowed() -> None:
    rate = Rate(5, 60)
    assert all(retry_after(rate, n, 0, 10.0) is None for n in range(1, 6))


def test_one_over_waits_for_the_next_window() -> None:
    # 6 in this window at 0 s: the next one fits once 6 * (1 - e/60) + 1 <= 5, i.e. 20 s into the next window.
    assert retry_after(Rate(5, 60), 6, 0, 0.0) == 80
    assert retry_after(Rate(5, 60), 6, 0, 59.0) == 21


def test_the_previous_window_fades() -> None:
    rate = Rate(5, 60)
    # 5 in the previous window, 30 s into this one with 3 here: 2.5 + 3 = 5.5 > 5 → refused ...
    assert weighed(3, 5, 30.0, 60) == 5.5
    wait = retry_after(rate, 3, 5, 30.0)
    assert wait == 18  # ... until 5 * (1 - e/60) + 3 + 1 <= 5, e = 48 s
    assert weighed(3 + 1, 5, 30.0 + wait, 60) <= 5
    assert retry_after(rate, 2, 5, 36.0) is None  # 2 + 5 * 0.4 = 4


@pytest.mark.parametrize(("current", "previous", "elapsed"), [(6, 0, 0.0), (3, 5, 1.0), (9, 9, 59.5), (50, 3, 12.0)])
def test_retry_after_is_enough_and_not_much_more(current: int, previous: int, elapsed: float) -> None:
    """Waiting `Retry-After` seconds lets exactly the next request through; a second less would not."""
    rate = Rate(5, 60)
    wait = retry_after(rate, current, previous, elapsed)
    assert wait is not None

    def fits(after: float) -> bool:
        at = elapsed + after
        if at < rate.window:
            return weighed(current + 1, previous, at, rate.window) <= rate.limit
        return weighed(1, current, at - rate.window, rate.window) <= rate.limit

    assert fits(wait)
    assert wait == 1 or not fits(wait - 1)

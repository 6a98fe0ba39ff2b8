"""Counters the use cases feed (issue 6 `/metrics`): audited events by outcome and token sets by grant.

Per process: with several workers, scrape each, or sum them in Prometheus.
"""

from __future__ import annotations

from functools import cache

from prometheus_client import Counter

EVENTS = Counter("cognate_events_total", "Audited events (sign-ins, sign-ups, admin changes, ...) by outcome",
                 ["event", "outcome"])
TOKENS = Counter("cognate_tokens_issued_total", "Token sets minted, by grant", ["grant"])


@cache
def event_counter(event: str, outcome: str) -> Counter:
    """EVENTS' child for one (event, outcome), looked up once: `labels()` costs a few µs on every token request."""
    return EVENTS.labels(event, outcome)


@cache
def token_counter(grant: str) -> Counter:
    return TOKENS.labels(grant)

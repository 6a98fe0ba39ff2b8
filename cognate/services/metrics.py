"""Counters the use cases feed (issue 6 `/metrics`): audited events by outcome and token sets by grant.

Per process: with several workers, scrape each, or sum them in Prometheus.
"""

from __future__ import annotations

from prometheus_client import Counter

EVENTS = Counter("cognate_events_total", "Audited events (sign-ins, sign-ups, admin changes, ...) by outcome",
                 ["event", "outcome"])
TOKENS = Counter("cognate_tokens_issued_total", "Token sets minted, by grant", ["grant"])

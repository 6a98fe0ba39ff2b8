"""Prometheus `/metrics` (issue 6): requests by route and status, latency, events, tokens, hashing, DB pool.

Counters are per process; with `--workers N` each worker answers for itself (see README).
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response

from cognate.services.deps import Deps

REQUESTS = Counter("cognate_http_requests_total", "HTTP requests by route and status", ["route", "status"])
LATENCY = Histogram("cognate_http_request_seconds", "HTTP request latency by route", ["route"],
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
HASH_IN_FLIGHT = Gauge("cognate_password_hash_in_flight", "argon2id hashes running or queued")
DB_POOL_IN_USE = Gauge("cognate_db_connections_in_use", "Database connections checked out of the pool")


_children: dict[tuple[str, int], tuple[Counter, Histogram]] = {}


def observe_request(route: str, status: int, seconds: float) -> None:
    """Count and time one request; the labelled children are looked up once per (route, status), since
    `labels()` takes a lock and builds a key on every call."""
    found = _children.get((route, status))
    if found is None:
        found = _children[(route, status)] = (REQUESTS.labels(route, str(status)), LATENCY.labels(route))
    found[0].inc()
    found[1].observe(seconds)


def bind_gauges(deps: Deps) -> None:
    """Gauges read at scrape time from this process's hasher and connection pool."""
    HASH_IN_FLIGHT.set_function(lambda: deps.hasher.in_flight)
    engine = getattr(deps.store, "engine", None)
    pool = getattr(engine, "pool", None)
    checked_out = getattr(pool, "checkedout", None)
    if callable(checked_out):
        DB_POOL_IN_USE.set_function(lambda: float(checked_out()))


async def metrics_endpoint(_: Request) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

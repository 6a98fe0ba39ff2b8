"""Prometheus `/metrics` (issue 6): requests by route and status, latency, events, tokens, hashing, DB pool.

Counters are per process; with `--workers N` each worker answers for itself (see README).
"""

from __future__ import annotations

import time

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cognate.services.deps import Deps

REQUESTS = Counter("cognate_http_requests_total", "HTTP requests by route and status", ["route", "status"])
LATENCY = Histogram("cognate_http_request_seconds", "HTTP request latency by route", ["route"],
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0))
HASH_IN_FLIGHT = Gauge("cognate_password_hash_in_flight", "argon2id hashes running or queued")
DB_POOL_IN_USE = Gauge("cognate_db_connections_in_use", "Database connections checked out of the pool")


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


class MetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def observe(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observe)
        finally:
            route = _route(scope)
            REQUESTS.labels(route, str(status)).inc()
            LATENCY.labels(route).observe(time.perf_counter() - started)


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

"""The one wiring point: settings → dependencies → Starlette app with routes, middleware and lifespan."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pydantic import field_validator
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from cognate.crypto.admin_keys import load_or_create_admin_keys
from cognate.crypto.passwords import PasswordHasher
from cognate.crypto.sealing import HOW_TO_MAKE_ONE, Sealer, load_or_create_master_key, master_key_problem
from cognate.crypto.sealing import MasterKeyError as MasterKeyError  # raised by `ensure_master_key`, caught by the CLI
from cognate.domain.clock import Clock, SystemClock
from cognate.domain.rate_limit import Rate, RateLimits
from cognate.mail.base import Mailer
from cognate.mail.outbox import OutboxMailer
from cognate.mail.smtp import SmtpMailer, parse_smtp_url
from cognate.services.deps import Deps
from cognate.settings import Settings
from cognate.settings import load_settings as load_unchecked_settings
from cognate.store.base import RateCounter, Unavailable
from cognate.store.sql.engine import SqlStore
from cognate.store.sql.repos.rate_limits import SqlRateCounter
from cognate.store.synced_counter import SyncedRateCounter
from cognate.web.errors import Renderer
from cognate.web.logging import ACCESS_LOG, configure_logging
from cognate.web.metrics import bind_gauges, metrics_endpoint
from cognate.web.observe import ObserveMiddleware

log = logging.getLogger("cognate")


class CheckedSettings(Settings):
    """Settings with the checks only a layer knows how to make, reported with pydantic's own in one line at start-up:
    `settings` stays a plain pydantic model importing no layer (.importlinter), and each rule keeps its one home."""

    @field_validator("secret_key")
    @classmethod
    def _strong_key(cls, value: str) -> str:
        problem = master_key_problem(value) if value else None
        if problem is not None:
            raise ValueError(f"the key {problem}; make one with: {HOW_TO_MAKE_ONE}")
        return value

    @field_validator("smtp_url")
    @classmethod
    def _smtp_url(cls, value: str) -> str:
        if value:
            parse_smtp_url(value)  # raises ValueError naming the problem, never echoing the URL (it holds secrets)
        return value


def load_settings(**overrides: Any) -> Settings:
    """What the server and every CLI command read: environment, then overrides, all checks; `SettingsError`."""
    return load_unchecked_settings(CheckedSettings, **overrides)


def ensure_master_key(settings: Settings) -> None:
    """The master key checked, or generated once into the data dir; `MasterKeyError` names what is wrong. Called in
    the one parent process, so `--workers` processes only ever read the key file (never race to create it)."""
    load_or_create_master_key(settings.secret_key, settings.data_dir)


def ensure_admin_keys(settings: Settings) -> tuple[str, str, bool]:
    """(access key id, secret access key, created now): the configured pair, else the one kept in the data dir."""
    return load_or_create_admin_keys(settings.admin_access_key_id, settings.admin_secret_access_key, settings.data_dir)


def build_deps(settings: Settings, *, store: SqlStore | None = None, clock: Clock | None = None,
               hasher: PasswordHasher | None = None, mailer: Mailer | None = None) -> Deps:
    """Everything the use cases need, from settings; used by the server and by the CLI alike."""
    master = load_or_create_master_key(settings.secret_key, settings.data_dir)
    store = store or SqlStore(settings.effective_database_url, pool_size=settings.db_pool_size)
    return Deps(
        store=store,
        clock=clock or SystemClock(),
        sealer=Sealer(master),
        hasher=hasher or PasswordHasher(workers=settings.hash_workers or None),
        mailer=mailer or (SmtpMailer(settings.smtp_url) if settings.smtp_url
                          else OutboxMailer(settings.data_dir / "outbox")),
        region=settings.region,
        domain_suffix=settings.domain_suffix,
        public_url=settings.effective_public_url,
        rate_counter=rate_counter(settings, store),
        rate_limits=RateLimits(per_ip=Rate.parse(settings.rate_limit_per_ip),
                               per_client=Rate.parse(settings.rate_limit_per_client),
                               failures_per_ip=Rate.parse(settings.rate_limit_failures_per_ip)),
        require_pkce_for_public_clients=settings.require_pkce_for_public_clients,
    )


def rate_counter(settings: Settings, store: SqlStore) -> RateCounter:
    """Rate-limit counts in Redis when `COGNATE_REDIS_URL` is set, else in the database (ARCHITECTURE.md), counted
    locally between syncs while far from a limit (`SyncedRateCounter`)."""
    shared: RateCounter
    if settings.redis_url:
        from cognate.store.redis_counter import RedisRateCounter  # only deployments with Redis import redis

        shared = RedisRateCounter(settings.redis_url)
    else:
        shared = SqlRateCounter(store)
    return SyncedRateCounter(shared)


async def health(_: Request) -> Response:
    return PlainTextResponse("ok")


async def ready(request: Request) -> Response:
    store: SqlStore = request.app.state.deps.store
    if await store.ping() and await store.migrations_current():
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "unavailable"}, status_code=503)


async def _unavailable(request: Request, exc: Exception) -> Response:
    """A database outage, rendered the way the route's surface registered (`UNAVAILABLE`); a plain 503 elsewhere."""
    log.warning("database unavailable", extra={"fields": {"error": str(exc)[:200]}})
    renderers: dict[object, Renderer] = request.app.state.unavailable_renderers
    render = renderers.get(request.scope.get("endpoint"))
    if render is not None:
        return await render(request)
    return JSONResponse({"message": "Service temporarily unavailable"}, status_code=503)


async def _internal(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    request_id = request.scope.get("state", {}).get("request_id", "")
    return JSONResponse({"message": "Internal error", "request_id": request_id}, status_code=500)


def surfaces() -> list[tuple[list[BaseRoute], Renderer]]:
    """The three web surfaces with their outage renderers, imported here so the CLI (which never serves HTTP)
    starts without them."""
    from cognate.cognito_api import dispatch
    from cognate.hosted_ui import routes as hosted_ui
    from cognate.oauth import routes as oauth

    return [(list(oauth.routes), oauth.UNAVAILABLE), (list(hosted_ui.routes), hosted_ui.UNAVAILABLE),
            (list(dispatch.routes), dispatch.UNAVAILABLE)]


def surface_routes() -> list[BaseRoute]:
    return [route for routes, _ in surfaces() for route in routes]


def unavailable_renderers() -> dict[object, Renderer]:
    """Route endpoint → the renderer of its surface, as the app's `Unavailable` handler looks it up."""
    return {route.endpoint: render for routes, render in surfaces() for route in routes if isinstance(route, Route)}


class CognateApp(Starlette):
    """Starlette with the observing middleware and the discovery/JWKS fast path in front of its own stack: the
    remembered documents skip even Starlette's error middleware, and a 500 from it still carries a request id."""

    def build_middleware_stack(self) -> ASGIApp:
        from cognate.oauth.well_known import WellKnownFastPath  # a surface, imported with the others (`surfaces`)

        return ObserveMiddleware(WellKnownFastPath(super().build_middleware_stack()))


def create_app(settings: Settings, *, store: SqlStore | None = None, clock: Clock | None = None,
               mailer: Mailer | None = None, migrate: bool = True) -> Starlette:
    deps = build_deps(settings, store=store, clock=clock, mailer=mailer)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if migrate:
            assert isinstance(deps.store, SqlStore)
            await deps.store.migrate()
        yield
        ACCESS_LOG.flush()
        deps.hasher.close()
        if deps.rate_counter is not None:
            await deps.rate_counter.close()
        await deps.store.close()

    app = CognateApp(
        # The OAuth routes first: Starlette tries routes in order, and the token endpoint is the busiest.
        routes=[*surface_routes(), Route("/health", health), Route("/ready", ready),
                Route("/metrics", metrics_endpoint)],
        lifespan=lifespan,
        exception_handlers={Unavailable: _unavailable, Exception: _internal},
    )
    app.state.deps = deps
    app.state.settings = settings
    app.state.unavailable_renderers = unavailable_renderers()
    key_id, secret, _ = ensure_admin_keys(settings)
    app.state.admin_keys = {key_id: secret}
    bind_gauges(deps)
    return app


def freeze_startup_objects() -> None:
    """What start-up made (~900 modules' objects) lives as long as a server process: keep it out of every
    collection's scan (README "Measured costs": tokens and discovery/JWKS per CPU-second).
    Servers only, once their app exists: a test process making many apps would keep their garbage for ever."""
    gc.freeze()


def configure_process(settings: Settings) -> None:
    """Process-wide set-up of a server process: logs at the configured level, in the configured format."""
    configure_logging(settings.log_level, settings.log_format)


def app_from_environment() -> Starlette:
    """The factory each `cognate serve --workers N` worker calls (settings come from COGNATE_* variables)."""
    settings = load_settings()
    configure_process(settings)
    app = create_app(settings)
    freeze_startup_objects()
    return app

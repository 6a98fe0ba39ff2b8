"""The one in-process Cognate of the tests: `create_app` behind httpx's ASGI transport, started and stopped through
the app's own lifespan (migrations on start; access log, hasher, rate counter and store closed on stop), so every
in-process test wires and tears down the app the way `cognate serve` does. Real servers are tests/support/processes.py.

`open_deps` is the same for a test that needs only the use cases (no HTTP): the deps a server would build, closed
the same way. `run_use_case` runs one use case on a real server's database from synchronous test code, as another
node would.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import httpx
from starlette.applications import Starlette

from cognate.app import build_deps, create_app
from cognate.crypto.passwords import PasswordHasher
from cognate.domain.clock import Clock
from cognate.mail.base import Mailer
from cognate.services.deps import Deps
from cognate.settings import Settings
from cognate.store.sql.engine import SqlStore

T = TypeVar("T")


@dataclass
class InProcessApp:
    """A started app, its deps and a client talking to it (cookies kept, as a browser would)."""

    app: Starlette
    deps: Deps
    http: httpx.AsyncClient
    base_url: str
    _stack: AsyncExitStack = field(repr=False)

    def client(self, *, peer: tuple[str, int] | None = None, base_url: str | None = None) -> httpx.AsyncClient:
        """Another client of the same app, e.g. from another address (`peer`) for per-IP limits."""
        transport = httpx.ASGITransport(app=self.app, client=peer or ("127.0.0.1", 123))
        return httpx.AsyncClient(transport=transport, base_url=base_url or self.base_url)

    async def aclose(self) -> None:
        await self._stack.aclose()


async def start_app(settings: Settings, *, clock: Clock | None = None, mailer: Mailer | None = None,
                    migrate: bool = True, base_url: str | None = None) -> InProcessApp:
    """Start the app (its lifespan runs the migrations unless `migrate=False`); close it with `aclose()`.
    For fixtures that outlive one `async with` (module-scoped worlds, hypothesis' event loop)."""
    app = create_app(settings, clock=clock, mailer=mailer, migrate=migrate)
    stack = AsyncExitStack()
    await stack.enter_async_context(app.router.lifespan_context(app))
    url = base_url or settings.public_url or "http://testserver"
    http = await stack.enter_async_context(httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=url))
    return InProcessApp(app=app, deps=app.state.deps, http=http, base_url=url, _stack=stack)


@asynccontextmanager
async def in_process_app(settings: Settings, *, clock: Clock | None = None, mailer: Mailer | None = None,
                         migrate: bool = True, base_url: str | None = None) -> AsyncIterator[InProcessApp]:
    """`start_app` for one `async with`: the app is stopped however the block ends."""
    started = await start_app(settings, clock=clock, mailer=mailer, migrate=migrate, base_url=base_url)
    try:
        yield started
    finally:
        await started.aclose()


@asynccontextmanager
async def open_deps(settings: Settings, *, clock: Clock | None = None, mailer: Mailer | None = None,
                    hasher: PasswordHasher | None = None, migrate: bool = True) -> AsyncIterator[Deps]:
    """The deps a server would build on these settings (migrated unless told not to), closed afterwards."""
    deps = build_deps(settings, clock=clock, mailer=mailer, hasher=hasher)
    try:
        if migrate:
            assert isinstance(deps.store, SqlStore)
            await deps.store.migrate()
        yield deps
    finally:
        deps.hasher.close()
        if deps.rate_counter is not None:
            await deps.rate_counter.close()
        await deps.store.close()


def run_use_case(settings: Settings, use_case: Callable[[Deps], Awaitable[T]], *, migrate: bool = False) -> T:
    """One use case on the database these settings name, from synchronous code (e2e tests beside a real server)."""
    async def go() -> T:
        async with open_deps(settings, migrate=migrate) as deps:
            return await use_case(deps)
    return asyncio.run(go())


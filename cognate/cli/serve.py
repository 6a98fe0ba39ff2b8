"""`cognate serve`: run the server with uvicorn; `--demo` first makes sure the quick-start demo exists."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import os
import secrets
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
import uvicorn

from cognate.app import (
    MasterKeyError,
    build_deps,
    configure_process,
    create_app,
    ensure_admin_keys,
    ensure_master_key,
    freeze_startup_objects,
    load_settings,
)
from cognate.cli._common import Globals, fail
from cognate.cli.running_server import DEMO_FILE_NAME, record_public_url
from cognate.cli.transport import CoalescingHttpProtocol
from cognate.settings import Settings, SettingsError
from cognate.store.sql.engine import SqlStore

if TYPE_CHECKING:
    from cognate.services import demo as demo_svc

GRACEFUL_SECONDS = 25
log = logging.getLogger("cognate.serve")


def _demo_file(settings: Settings) -> Path:
    return settings.data_dir / DEMO_FILE_NAME


async def _ensure_demo(settings: Settings) -> tuple[demo_svc.Demo, str]:
    """(demo, password); the password lives in `{data_dir}/demo.json` (0600) so restarts show it."""
    from cognate.services import demo as demo_svc

    deps = build_deps(settings)
    try:
        assert isinstance(deps.store, SqlStore)
        await deps.store.migrate()
        path = _demo_file(settings)
        saved = json.loads(path.read_text()) if path.exists() else None
        demo = await demo_svc.existing_demo(deps, saved["pool_id"], saved["client_id"]) if saved else None
        password = saved["password"] if saved and demo else "Demo-" + secrets.token_urlsafe(9) + "1a!"
        if demo is None:
            demo = await demo_svc.create_demo(deps, password)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as fh:
                json.dump({"pool_id": demo.pool_id, "client_id": demo.client_id, "password": password}, fh)
        return demo, password
    finally:
        deps.hasher.close()
        await deps.store.close()


def _print_demo(demo: demo_svc.Demo, password: str) -> None:
    """The sign-in link is the token viewer's: it ends on a page of this server showing the verified tokens."""
    print(f"  demo pool:   {demo.pool_id}\n  demo client: {demo.client_id} (public, code + implicit)")
    if demo.sign_in_url:
        print(f"  sign in at:  {demo.sign_in_url}")
    else:  # e.g. --host 0.0.0.0: http on a non-loopback host cannot be a callback URL (or a warning said why)
        print("  sign in:     no link: the token viewer's callback cannot be registered; start with --public-url set "
              "to the address your browser uses (http://localhost:PORT or an https URL)")
    print(f"  as:          {demo.username} / {password}")


def serve(
    ctx: typer.Context,
    host: str = typer.Option(None, "--host", help="Listen address (env COGNATE_HOST, default 127.0.0.1)."),
    port: int = typer.Option(None, "--port", help="Listen port (env COGNATE_PORT, default 9229)."),
    data_dir: Path = typer.Option(None, "--data-dir", help="Data directory (env COGNATE_DATA_DIR)."),
    public_url: str = typer.Option(None, "--public-url", help="Public base URL (env COGNATE_PUBLIC_URL)."),
    demo: bool = typer.Option(False, "--demo", help="Create a demo pool, client, domain and user if absent."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="Worker processes sharing the port (uvicorn's process manager)."),
) -> None:
    g: Globals = ctx.obj or Globals()
    try:
        settings = load_settings(host=host, port=port, data_dir=data_dir or g.data_dir, public_url=public_url,
                                 database_url=g.database_url)
    except SettingsError as exc:
        fail(str(exc), 2)
    configure_process(settings)
    try:  # here, in the one parent process: workers only ever read the key file (never race to create it)
        ensure_master_key(settings)
    except MasterKeyError as exc:
        fail(str(exc))
    _refuse_unusable_port(settings.host, settings.port)
    record_public_url(settings)
    admin = ensure_admin_keys(settings)
    announce = _announcer(settings, admin, asyncio.run(_ensure_demo(settings)) if demo else None)
    # No WebSocket routes exist: `ws="none"` spares every process uvicorn's WebSocket protocol and library.
    options: dict[str, Any] = {"host": settings.host, "port": settings.port, "log_config": None, "server_header": False,
               "access_log": False, "timeout_graceful_shutdown": GRACEFUL_SECONDS, "ws": "none",
               "http": CoalescingHttpProtocol}
    # uvicorn drains in-flight requests, then re-raises SIGTERM to the handler found at start: exit 0 there.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if workers == 1:
        app = create_app(settings)
        freeze_startup_objects()
        AnnouncingServer(uvicorn.Config(app, **options), announce).run()
        return
    asyncio.run(_migrate(settings))  # once, before the workers start, so they never race on a fresh database
    _export(settings, workers)
    _run_workers(uvicorn.Config("cognate.app:app_from_environment", factory=True, workers=workers, **options),
                 announce)


def _announcer(settings: Settings, admin: tuple[str, str, bool],
               demo: tuple[demo_svc.Demo, str] | None) -> Callable[[], None]:
    """What `serve` says once the port accepts connections: a "listening" log line, and on stdout the URL, the
    admin key pair when it was just generated, and the demo's sign-in link."""
    key_id, secret, created = admin

    def announce() -> None:
        log.info("listening", extra={"fields": {"url": settings.effective_public_url}})
        print(f"Cognate listening on {settings.effective_public_url}")
        if created:
            print(f"  admin credentials (shown once, kept in {settings.data_dir}/admin-credentials.json):")
            print(f"    AWS_ACCESS_KEY_ID={key_id} AWS_SECRET_ACCESS_KEY={secret}")
        if demo:
            _print_demo(*demo)
        print(flush=True)

    return announce


class AnnouncingServer(uvicorn.Server):
    """Says "listening" once it is: after the lifespan start-up (migrations) and the bind, so a client that connects
    as soon as it reads the line is answered (it used to be printed before either)."""

    def __init__(self, config: uvicorn.Config, announce: Callable[[], None]) -> None:
        super().__init__(config)
        self.announce = announce

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self.announce()


def _run_workers(config: uvicorn.Config, announce: Callable[[], None]) -> None:
    """`uvicorn.run(..., workers=N)`, with "listening" said once the shared socket listens: connections wait in its
    backlog until a worker, started next, accepts them."""
    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    sock.listen(config.backlog)
    announce()
    with contextlib.suppress(KeyboardInterrupt):  # as uvicorn.run: Ctrl-C stops the workers, then this returns
        Multiprocess(config, sockets=[sock]).run()


def _refuse_unusable_port(host: str, port: int) -> None:
    """A port another process holds gets one line naming it and `--port`, before anything is printed or migrated:
    uvicorn finds out only after start-up, logs it as JSON and exits 3. A probe bind with uvicorn's own
    SO_REUSEADDR, so a port in TIME_WAIT that uvicorn could take is not refused."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            fail(f"port {port} on {host} is already in use; choose another with --port (or COGNATE_PORT)")
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")


async def _migrate(settings: Settings) -> None:
    store = SqlStore(settings.effective_database_url, pool_size=1)
    try:
        await store.migrate()
    finally:
        await store.close()


def _export(settings: Settings, workers: int) -> None:
    """Workers are fresh processes that read settings from the environment: hand them the effective values
    (and, unless configured, a share of the cores for password hashing, so all workers together hash at most
    one password per core)."""
    for name in type(settings).model_fields:
        os.environ[f"COGNATE_{name.upper()}"] = str(getattr(settings, name))
    os.environ["COGNATE_PUBLIC_URL"] = settings.effective_public_url
    os.environ["COGNATE_DATABASE_URL"] = settings.effective_database_url
    os.environ["COGNATE_HASH_WORKERS"] = str(settings.hash_workers or max(1, (os.cpu_count() or 1) // workers))

"""What every command shares: settings from env + global flags, running a use case, and printing results (`_output`)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer
from sqlalchemy.engine import make_url

from cognate.app import MasterKeyError, build_deps, load_settings
from cognate.cli._output import JSON_OPTION, console, details, emit_json, table
from cognate.cli.running_server import with_server_public_url
from cognate.domain.errors import CognitoError
from cognate.services.deps import Deps
from cognate.settings import Settings, SettingsError
from cognate.store.base import Unavailable
from cognate.store.sql.engine import SqlStore

__all__ = ["JSON_OPTION", "Globals", "console", "details", "emit_json", "fail", "key_values", "run", "settings_from",
           "table"]
T = TypeVar("T")


@dataclass
class Globals:
    data_dir: Path | None = None
    database_url: str | None = None
    create_database: bool = False


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr and a non-zero exit, never a traceback."""
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(code)


def settings_from(ctx: typer.Context, **overrides: Any) -> Settings:
    """Environment and global flags, with the public URL the running server recorded in the data dir unless
    `COGNATE_PUBLIC_URL` is given (cli/running_server.py)."""
    g: Globals = ctx.obj or Globals()
    try:
        settings = load_settings(data_dir=g.data_dir, database_url=g.database_url, **overrides)
    except SettingsError as exc:
        fail(str(exc), 2)
    return with_server_public_url(settings)


def shown_database_url(settings: Settings) -> str:
    return make_url(settings.effective_database_url).render_as_string(hide_password=True)


def run(ctx: typer.Context, use_case: Callable[[Deps], Awaitable[T]], *, migrate: bool = True,
        create: bool = False) -> T:
    """Run one use case against the configured database, brought to the current schema first.

    A database that does not exist yet (no SQLite file, or no Cognate schema) is an error naming it, unless
    creating it was asked for (`create`, as `db upgrade` does, or `--create-database`): a command run in the
    wrong directory must not leave a new empty database behind and answer as if the pools had vanished."""
    settings = settings_from(ctx)
    create = create or (ctx.obj or Globals()).create_database
    if sys.stderr.isatty():
        print(f"cognate: using database {shown_database_url(settings)} (server {settings.effective_public_url})",
              file=sys.stderr)
    if not create:
        _refuse_missing_sqlite_file(settings)

    async def go() -> T:
        store = SqlStore(settings.effective_database_url, pool_size=settings.db_pool_size)
        try:
            if not create and not await store.has_schema():
                fail(f"{shown_database_url(settings)} has no Cognate schema; create it with `cognate db upgrade`, "
                     "or point at the server's database with --database-url (COGNATE_DATABASE_URL)")
            deps = build_deps(settings, store=store)
        except BaseException:
            await store.close()
            raise
        try:
            if migrate:
                await store.migrate()
            return await use_case(deps)
        finally:
            deps.hasher.close()
            await store.close()

    try:
        return asyncio.run(go())
    except CognitoError as exc:
        fail(f"{exc.name}: {exc.message}")
    except MasterKeyError as exc:
        fail(str(exc))
    except Unavailable as exc:
        fail(f"database unavailable: {exc}")
    except OSError as exc:
        fail(f"cannot reach the database: {exc}")


def _refuse_missing_sqlite_file(settings: Settings) -> None:
    """Checked before anything opens the file (SQLite would create it) or the data dir (the master key would be)."""
    url = make_url(settings.effective_database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = Path(url.database).resolve()
    if not path.exists():
        fail(f"no Cognate database at {path}; start `cognate serve` there, point at one with --data-dir or "
             "--database-url (COGNATE_DATA_DIR, COGNATE_DATABASE_URL), or create it with `cognate db upgrade`")


def key_values(items: list[str] | None, what: str) -> dict[str, str]:
    """`name=value` flags into a dict."""
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            fail(f"{what} must look like name=value, got {item!r}")
        out[name] = value
    return out

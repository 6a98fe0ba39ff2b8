"""What every command shares: settings from env + global flags, running a use case, and printing results (`_output`)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer

from cognate.app import build_deps
from cognate.cli._output import JSON_OPTION, console, details, emit_json, table
from cognate.crypto.sealing import MasterKeyError
from cognate.domain.errors import CognitoError
from cognate.services.deps import Deps
from cognate.settings import Settings, SettingsError, load_settings
from cognate.store.base import Unavailable
from cognate.store.sql.engine import SqlStore

__all__ = ["JSON_OPTION", "Globals", "console", "details", "emit_json", "fail", "key_values", "run", "settings_from",
           "table"]
T = TypeVar("T")


@dataclass
class Globals:
    data_dir: Path | None = None
    database_url: str | None = None


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr and a non-zero exit, never a traceback."""
    print(f"error: {message}", file=sys.stderr)
    raise typer.Exit(code)


def settings_from(ctx: typer.Context, **overrides: Any) -> Settings:
    g: Globals = ctx.obj or Globals()
    try:
        return load_settings(data_dir=g.data_dir, database_url=g.database_url, **overrides)
    except SettingsError as exc:
        fail(str(exc), 2)


def run(ctx: typer.Context, use_case: Callable[[Deps], Awaitable[T]], *, migrate: bool = True) -> T:
    """Run one use case against the configured database (migrated first, so a fresh data dir just works)."""
    settings = settings_from(ctx)

    async def go() -> T:
        deps = build_deps(settings)
        try:
            if migrate:
                assert isinstance(deps.store, SqlStore)
                await deps.store.migrate()
            return await use_case(deps)
        finally:
            deps.hasher.close()
            await deps.store.close()

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


def key_values(items: list[str] | None, what: str) -> dict[str, str]:
    """`name=value` flags into a dict."""
    out: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            fail(f"{what} must look like name=value, got {item!r}")
        out[name] = value
    return out

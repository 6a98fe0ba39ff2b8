"""`cognate db upgrade|status`: Alembic migrations of the configured database."""

from __future__ import annotations

import typer

from cognate.cli._common import console, run
from cognate.services.deps import Deps
from cognate.store.sql.engine import SqlStore

app = typer.Typer(no_args_is_help=True)


@app.command("upgrade")
def upgrade(ctx: typer.Context) -> None:
    """Create the database's schema or apply every pending migration (serve does this on start too)."""

    async def go(deps: Deps) -> str:
        assert isinstance(deps.store, SqlStore)
        await deps.store.migrate()
        return deps.store.dialect

    dialect = run(ctx, go, create=True)
    console.print(f"database schema is up to date ({dialect})")


@app.command("status")
def status(ctx: typer.Context) -> None:
    """Say whether the database is reachable and migrated."""

    async def go(deps: Deps) -> tuple[bool, bool]:
        assert isinstance(deps.store, SqlStore)
        return await deps.store.ping(), await deps.store.migrations_current()

    reachable, current = run(ctx, go, migrate=False)
    console.print(f"reachable: {reachable}; migrations current: {current}")

"""`cognate keys list|rotate`: a pool's RS256 signing keys."""

from __future__ import annotations

import datetime as dt

import typer

from cognate.cli._common import JSON_OPTION, emit_json, run, table
from cognate.domain.keys import SigningKey
from cognate.services import keys as svc

app = typer.Typer(no_args_is_help=True)


def _rows(keys: list[SigningKey]) -> list[tuple[str, str, str, str]]:
    return [(k.kid, k.purpose, k.status, dt.datetime.fromtimestamp(k.created_at, dt.UTC).isoformat(timespec="seconds"))
            for k in keys]


def _print(title: str, keys: list[SigningKey], as_json: bool) -> None:
    if as_json:
        emit_json([{"kid": k.kid, "purpose": k.purpose, "status": k.status, "created_at": k.created_at}
                   for k in keys])
    else:
        table(title, ["kid", "signs", "status", "created"], _rows(keys))


@app.command("list")
def list_(ctx: typer.Context, pool_id: str = typer.Argument(...), as_json: bool = JSON_OPTION) -> None:
    """Signing keys of a pool (public parts only)."""
    _print(f"Signing keys of {pool_id}", run(ctx, lambda deps: svc.list_keys(deps, pool_id)), as_json)


@app.command("rotate")
def rotate(ctx: typer.Context, pool_id: str = typer.Argument(...), as_json: bool = JSON_OPTION) -> None:
    """New signing keys; the old ones stay published in JWKS so tokens they signed still verify."""
    _print("New signing keys", run(ctx, lambda deps: svc.rotate_keys(deps, pool_id)), as_json)

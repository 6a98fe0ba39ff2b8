"""`cognate keys list|rotate`: a pool's RS256 signing keys."""

from __future__ import annotations

import datetime as dt

import typer

from cognate.cli._common import JSON_OPTION, emit_json, run, table
from cognate.domain.keys import SigningKey
from cognate.services import keys as svc
from cognate.services.deps import Deps

app = typer.Typer(no_args_is_help=True)
DEFAULT_PUBLISH_FOR = 300


def _time(at: float | None) -> str:
    return dt.datetime.fromtimestamp(at, dt.UTC).isoformat(timespec="seconds") if at is not None else ""


def _print(title: str, report: list[tuple[SigningKey, str]], as_json: bool) -> None:
    if as_json:
        emit_json([{"kid": k.kid, "purpose": k.purpose, "status": state, "created_at": k.created_at,
                    "activates_at": k.activates_at, "expires_at": k.expires_at} for k, state in report])
    else:
        table(title, ["kid", "signs", "status", "created", "signs from", "published until"],
              [(k.kid, k.purpose, state, _time(k.created_at), _time(k.activates_at), _time(k.expires_at))
               for k, state in report])


@app.command("list")
def list_(ctx: typer.Context, pool_id: str = typer.Argument(...), as_json: bool = JSON_OPTION) -> None:
    """Signing keys of a pool (public parts only) and their state: pending, active or retired."""
    _print(f"Signing keys of {pool_id}", run(ctx, lambda deps: svc.key_report(deps, pool_id)), as_json)


@app.command("rotate")
def rotate(
    ctx: typer.Context,
    pool_id: str = typer.Argument(...),
    publish_for: int = typer.Option(DEFAULT_PUBLISH_FOR, "--publish-for", min=0, max=7 * 86400,
                                    help="Seconds the new keys are published in JWKS before they sign."),
    as_json: bool = JSON_OPTION,
) -> None:
    """New signing keys: published now, signing after --publish-for seconds; the old keys sign until then and
    stay published for a day after, so every token they signed still verifies."""

    async def go(deps: Deps) -> list[tuple[SigningKey, str]]:
        await svc.rotate_keys(deps, pool_id, publish_for=publish_for)
        return await svc.key_report(deps, pool_id)

    _print(f"Signing keys of {pool_id} after rotation", run(ctx, go), as_json)

"""`cognate audit list`: the audit trail, newest first."""

from __future__ import annotations

import datetime as dt
import re

import typer

from cognate.cli._common import JSON_OPTION, emit_json, fail, run, table
from cognate.domain.signin import AuditEvent
from cognate.services import audit as svc
from cognate.services.deps import Deps
from cognate.services.users import get_user

app = typer.Typer(no_args_is_help=True)
RELATIVE = re.compile(r"^(\d+)([smhd])$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_since(value: str | None, now: float) -> float | None:
    """`15m`, `2h`, `7d` ago, or an ISO 8601 time (UTC when no zone is given)."""
    if not value:
        return None
    match = RELATIVE.match(value)
    if match:
        return now - int(match.group(1)) * UNIT_SECONDS[match.group(2)]
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        fail(f"--since must be like 15m, 2h, 7d or an ISO time, got {value!r}")
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).timestamp()


def _when(at: float) -> str:
    return dt.datetime.fromtimestamp(at, dt.UTC).isoformat(timespec="seconds")


@app.command("list")
def list_(
    ctx: typer.Context,
    pool: str = typer.Option(None, "--pool", help="Only this pool."),
    user: str = typer.Option(None, "--user", help="Only this user (username, alias or sub; needs --pool)."),
    since: str = typer.Option(None, "--since", help="15m, 2h, 7d or an ISO time."),
    limit: int = typer.Option(100, "--limit", min=1, max=10000),
    as_json: bool = JSON_OPTION,
) -> None:
    """Sign-ins, sign-ups, confirmations, password and token events, admin changes, lockouts."""
    if user and not pool:
        fail("--user needs --pool")

    async def go(deps: Deps) -> list[AuditEvent]:
        sub = (await get_user(deps, pool, user)).sub if user else None
        return await svc.list_events(deps, pool_id=pool, sub=sub, since=parse_since(since, deps.clock.now()),
                                     limit=limit)

    events = run(ctx, go)
    if as_json:
        emit_json([e.__dict__ for e in events])
        return
    table("Audit events", ["time", "event", "outcome", "pool", "client", "user", "ip", "detail"],
          [(_when(e.at), e.event, e.outcome, e.pool_id, e.client_id, e.sub, e.ip,
            " ".join(f"{k}={v}" for k, v in e.detail.items())) for e in events])

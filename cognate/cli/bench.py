"""`cognate bench seed`: benchmarking aids (bulk users with one shared password hash)."""

from __future__ import annotations

import typer

from cognate.cli._common import JSON_OPTION, emit_json, run
from cognate.services import bench as svc
from cognate.services.deps import Deps

app = typer.Typer(no_args_is_help=True)


@app.command("seed")
def seed(
    ctx: typer.Context,
    pool_id: str = typer.Argument(...),
    count: int = typer.Option(..., "--count", help="How many users to add."),
    email_domain: str = typer.Option("example.com", "--email-domain", help="Users get user{n}@{domain}."),
    password: str = typer.Option(svc.DEFAULT_PASSWORD, "--password", help="The one password all of them share."),
    first: int = typer.Option(None, "--first", help="Number of the first user (default: the pool's user count)."),
    batch: int = typer.Option(5000, "--batch", help="Users per INSERT transaction."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add COUNT confirmed users user{n} (one precomputed argon2id hash, no SRP verifier): for benchmarks only."""
    from rich.progress import Progress

    with Progress(transient=True, disable=as_json) as bar:
        task = bar.add_task("seeding", total=count)

        async def use_case(deps: Deps) -> svc.SeedResult:
            return await svc.seed_users(deps, pool_id, count=count, email_domain=email_domain, password=password,
                                        first=first, batch=batch, progress=lambda n: bar.advance(task, n))

        result = run(ctx, use_case)
    if as_json:
        emit_json({"pool_id": result.pool_id, "first": result.first, "count": result.count,
                   "seconds": round(result.seconds, 3), "users_per_second": round(result.per_second)})
    else:
        print(f"added {result.count} users user{result.first}..user{result.first + result.count - 1} to "
              f"{result.pool_id} in {result.seconds:.1f} s ({result.per_second:,.0f}/s); password {result.password}")

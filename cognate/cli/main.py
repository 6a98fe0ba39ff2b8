"""Entry point of the `cognate` command and its sub-command groups."""

from __future__ import annotations

from pathlib import Path

import typer

from cognate.cli import (
    audit,
    bench,
    clients,
    config,
    db,
    domains,
    groups,
    keys,
    pools,
    resource_servers,
    serve,
    tokens,
    users,
)
from cognate.cli._common import Globals

app = typer.Typer(
    help="Cognate: a self-hosted identity service that speaks Amazon Cognito's languages.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _globals(
    ctx: typer.Context,
    data_dir: Path = typer.Option(None, "--data-dir", help="Data directory (env COGNATE_DATA_DIR)."),
    database_url: str = typer.Option(None, "--database-url", help="SQLAlchemy URL (env COGNATE_DATABASE_URL)."),
) -> None:
    ctx.obj = Globals(data_dir=data_dir, database_url=database_url)


app.command("serve", help="Start the server (HTTP API, OAuth endpoints, hosted UI).")(serve.serve)
app.add_typer(config.app, name="config", help="Show the effective configuration.")
app.add_typer(db.app, name="db", help="Database schema migrations.")
app.add_typer(pools.app, name="pool", help="User pools.")
app.add_typer(clients.app, name="client", help="App clients of a pool.")
app.add_typer(domains.app, name="domain", help="Hosted-UI domains of a pool.")
app.add_typer(resource_servers.app, name="resource-server", help="Resource servers (custom OAuth scopes).")
app.add_typer(users.app, name="user", help="Users of a pool.")
app.add_typer(groups.app, name="group", help="Groups of a pool.")
app.add_typer(keys.app, name="keys", help="Signing keys of a pool.")
app.add_typer(audit.app, name="audit", help="The audit trail of sign-ins, tokens and admin changes.")
app.add_typer(tokens.app, name="token", help="Verify Cognate or Cognito JWTs.")
app.add_typer(bench.app, name="bench", help="Benchmarking aids (bulk users); see bench/run.py.")


def main() -> None:
    app()

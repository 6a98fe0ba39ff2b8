"""`cognate resource-server ...`: custom scopes for client_credentials and APIs."""

from __future__ import annotations

from typing import Any

import typer

from cognate.cli._common import JSON_OPTION, console, details, emit_json, fail, run, table
from cognate.domain.scopes import ResourceServer
from cognate.services import resource_servers as svc
from cognate.services.deps import Deps

app = typer.Typer(no_args_is_help=True)
SCOPE = typer.Option(None, "--scope", help="NAME[:description] (repeatable).")


def _request(identifier: str, name: str, scopes: list[str] | None) -> dict[str, Any]:
    parsed = []
    for spec in scopes or []:
        scope, _, description = spec.partition(":")
        parsed.append({"ScopeName": scope, "ScopeDescription": description or scope})
    return {"Identifier": identifier, "Name": name, "Scopes": parsed}


def _show(title: str, server: ResourceServer, as_json: bool) -> None:
    if as_json:
        emit_json({"ResourceServer": server.to_cognito()})
    else:
        details(title, {"Identifier": server.identifier, "Name": server.name,
                        "Scopes": list(server.full_scopes)})


@app.command("create")
def create(ctx: typer.Context, pool_id: str = typer.Argument(...), identifier: str = typer.Argument(...),
           name: str = typer.Argument(...), scope: list[str] = SCOPE, as_json: bool = JSON_OPTION) -> None:
    """Create a resource server with its scopes."""
    server = run(ctx, lambda deps: svc.create_resource_server(deps, pool_id, _request(identifier, name, scope)))
    _show("Resource server created", server, as_json)


@app.command("list")
def list_(ctx: typer.Context, pool_id: str = typer.Argument(...), as_json: bool = JSON_OPTION) -> None:
    """Resource servers of a pool."""
    servers, _ = run(ctx, lambda deps: svc.list_resource_servers(deps, pool_id, max_results=50))
    if as_json:
        emit_json([s.to_cognito() for s in servers])
    else:
        table(f"Resource servers of {pool_id}", ["Identifier", "Name", "Scopes"],
              [(s.identifier, s.name, " ".join(s.full_scopes)) for s in servers])


@app.command("show")
def show(ctx: typer.Context, pool_id: str = typer.Argument(...), identifier: str = typer.Argument(...),
         as_json: bool = JSON_OPTION) -> None:
    """Describe a resource server."""
    _show(f"Resource server {identifier}",
          run(ctx, lambda deps: svc.describe_resource_server(deps, pool_id, identifier)), as_json)


@app.command("update")
def update(ctx: typer.Context, pool_id: str = typer.Argument(...), identifier: str = typer.Argument(...),
           name: str = typer.Option(None, "--name"), scope: list[str] = SCOPE, as_json: bool = JSON_OPTION) -> None:
    """Replace a resource server's name and scopes."""
    if not name and not scope:
        fail("nothing to change: give --name and/or --scope")

    async def go(deps: Deps) -> ResourceServer:
        current = await svc.describe_resource_server(deps, pool_id, identifier)
        scopes = scope or [f"{s.name}:{s.description}" for s in current.scopes]
        return await svc.update_resource_server(deps, pool_id, _request(identifier, name or current.name, scopes))

    _show("Resource server updated", run(ctx, go), as_json)


@app.command("delete")
def delete(ctx: typer.Context, pool_id: str = typer.Argument(...), identifier: str = typer.Argument(...)) -> None:
    """Delete a resource server."""
    run(ctx, lambda deps: svc.delete_resource_server(deps, pool_id, identifier))
    console.print(f"deleted {identifier}")

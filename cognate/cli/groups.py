"""`cognate group ...`: groups and memberships."""

from __future__ import annotations

from typing import Any

import typer

from cognate.cli._common import JSON_OPTION, console, details, emit_json, run, table
from cognate.domain.groups import Group, group_to_cognito
from cognate.domain.users import user_to_cognito
from cognate.services import groups as svc

app = typer.Typer(no_args_is_help=True)
POOL = typer.Argument(..., help="User pool id.")
NAME = typer.Argument(..., help="Group name.")


def _request(description: str | None, precedence: int | None, role_arn: str | None) -> dict[str, Any]:
    return {"Description": description, "Precedence": precedence, "RoleArn": role_arn}


def _print(title: str, group: Group, as_json: bool) -> None:
    data = group_to_cognito(group)
    if as_json:
        emit_json({"Group": data})
    else:
        details(title, {k: v for k, v in data.items() if k not in ("CreationDate", "LastModifiedDate")})


@app.command("create")
def create(ctx: typer.Context, pool_id: str = POOL, name: str = NAME,
           description: str = typer.Option(None, "--description"),
           precedence: int = typer.Option(None, "--precedence"),
           role_arn: str = typer.Option(None, "--role-arn"), as_json: bool = JSON_OPTION) -> None:
    """Create a group."""
    req = {"GroupName": name, **{k: v for k, v in _request(description, precedence, role_arn).items() if v is not None}}
    _print("Group created", run(ctx, lambda deps: svc.create_group(deps, pool_id, req)), as_json)


@app.command("list")
def list_(ctx: typer.Context, pool_id: str = POOL, as_json: bool = JSON_OPTION) -> None:
    """Groups of a pool."""
    groups, _ = run(ctx, lambda deps: svc.list_groups(deps, pool_id))
    if as_json:
        emit_json([group_to_cognito(g) for g in groups])
    else:
        table(f"Groups of {pool_id}", ["Name", "Precedence", "Description"],
              [(g.name, g.precedence, g.description) for g in groups])


@app.command("show")
def show(ctx: typer.Context, pool_id: str = POOL, name: str = NAME, as_json: bool = JSON_OPTION) -> None:
    """Describe a group."""
    _print(f"Group {name}", run(ctx, lambda deps: svc.get_group(deps, pool_id, name)), as_json)


@app.command("update")
def update(ctx: typer.Context, pool_id: str = POOL, name: str = NAME,
           description: str = typer.Option(None, "--description"),
           precedence: int = typer.Option(None, "--precedence"),
           role_arn: str = typer.Option(None, "--role-arn"), as_json: bool = JSON_OPTION) -> None:
    """Change what you name; the rest stays."""
    req = _request(description, precedence, role_arn)
    _print("Group updated", run(ctx, lambda deps: svc.update_group_settings(deps, pool_id, name, req)), as_json)


@app.command("delete")
def delete(ctx: typer.Context, pool_id: str = POOL, name: str = NAME) -> None:
    """Delete a group (its members stay in the pool)."""
    run(ctx, lambda deps: svc.delete_group(deps, pool_id, name))
    console.print(f"deleted {name}")


@app.command("add-user")
def add_user(ctx: typer.Context, pool_id: str = POOL, name: str = NAME,
             username: str = typer.Argument(...)) -> None:
    """Add a user to a group."""
    run(ctx, lambda deps: svc.add_user_to_group(deps, pool_id, username, name))
    console.print(f"added {username} to {name}")


@app.command("remove-user")
def remove_user(ctx: typer.Context, pool_id: str = POOL, name: str = NAME,
                username: str = typer.Argument(...)) -> None:
    """Remove a user from a group."""
    run(ctx, lambda deps: svc.remove_user_from_group(deps, pool_id, username, name))
    console.print(f"removed {username} from {name}")


@app.command("members")
def members(ctx: typer.Context, pool_id: str = POOL, name: str = NAME, as_json: bool = JSON_OPTION) -> None:
    """Users in a group."""
    users, _ = run(ctx, lambda deps: svc.users_in_group(deps, pool_id, name))
    if as_json:
        emit_json([user_to_cognito(u) for u in users])
    else:
        table(f"Members of {name}", ["Username", "Status"], [(u.username, u.status) for u in users])


@app.command("of-user")
def of_user(ctx: typer.Context, pool_id: str = POOL, username: str = typer.Argument(...),
            as_json: bool = JSON_OPTION) -> None:
    """Groups a user belongs to."""
    groups, _ = run(ctx, lambda deps: svc.groups_for_user(deps, pool_id, username))
    if as_json:
        emit_json([group_to_cognito(g) for g in groups])
    else:
        table(f"Groups of {username}", ["Name", "Precedence"], [(g.name, g.precedence) for g in groups])

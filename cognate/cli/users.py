"""`cognate user ...`: administrative user management (AdminCreateUser and friends)."""

from __future__ import annotations

from typing import Any

import typer

from cognate.cli._common import JSON_OPTION, console, details, emit_json, fail, key_values, run, table
from cognate.domain.users import User, user_to_cognito
from cognate.services import users as svc
from cognate.services.deps import Deps

app = typer.Typer(no_args_is_help=True)
POOL = typer.Argument(..., help="User pool id.")
USER = typer.Argument(..., help="Username (or email / phone / sub where the pool allows).")


def _summary(user: User) -> dict[str, Any]:
    return {"Username": user.username, "Status": user.status, "Enabled": user.enabled,
            **{f"attr {k}": v for k, v in user.attributes_with_sub().items()}}


def _print(title: str, user: User, as_json: bool) -> None:
    if as_json:
        emit_json(user_to_cognito(user, full=True))
    else:
        details(title, _summary(user))


@app.command("create")
def create(
    ctx: typer.Context,
    pool_id: str = POOL,
    username: str = typer.Argument(..., help="Username, or the email/phone in email/phone-as-username pools."),
    attribute: list[str] = typer.Option(None, "--attribute", "-a", help="name=value (repeatable)."),
    email: str = typer.Option(None, "--email"),
    password: str = typer.Option(None, "--password", help="Temporary password (generated if omitted)."),
    permanent: bool = typer.Option(False, "--permanent", help="The password is permanent: user is CONFIRMED."),
    email_verified: bool = typer.Option(False, "--email-verified", help="Mark the email as verified."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create a user as an administrator (FORCE_CHANGE_PASSWORD unless --permanent)."""
    attrs = key_values(attribute, "--attribute")
    if email:
        attrs["email"] = email
    if email_verified:
        attrs["email_verified"] = "true"
    user, chosen = run(ctx, lambda deps: svc.create_user(deps, pool_id, username=username, attributes=attrs,
                                                         password=password, permanent=permanent))
    if as_json:
        out: dict[str, Any] = {"User": user_to_cognito(user)}
        if password is None:
            out["TemporaryPassword"] = chosen
        emit_json(out)
        return
    _print("User created", user, False)
    if password is None:
        console.print(f"temporary password: {chosen}")


@app.command("list")
def list_(
    ctx: typer.Context,
    pool_id: str = POOL,
    filter_expr: str = typer.Option(None, "--filter", help='Cognito filter, e.g. email ^= "jo"'),
    limit: int = typer.Option(None, "--limit", help="At most this many users (default: all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Users of a pool, optionally filtered as ListUsers does."""

    async def go(deps: Deps) -> list[User]:
        out: list[User] = []
        token: str | None = None
        while limit is None or len(out) < limit:
            page, token = await svc.list_users(deps, pool_id, limit=60, token=token, filter_expr=filter_expr)
            out += page
            if not token:
                break
        return out[:limit] if limit is not None else out

    users = run(ctx, go)
    if as_json:
        emit_json([user_to_cognito(u) for u in users])
    else:
        table(f"Users of {pool_id}", ["Username", "Email", "Status", "Enabled"],
              [(u.username, u.email, u.status, u.enabled) for u in users])


@app.command("show")
def show(ctx: typer.Context, pool_id: str = POOL, username: str = USER, as_json: bool = JSON_OPTION) -> None:
    """A user's status and attributes (AdminGetUser)."""
    _print(f"User {username}", run(ctx, lambda deps: svc.get_user(deps, pool_id, username)), as_json)


@app.command("set-password")
def set_password(
    ctx: typer.Context,
    pool_id: str = POOL,
    username: str = USER,
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True),
    permanent: bool = typer.Option(True, "--permanent/--temporary"),
) -> None:
    """Set a user's password (permanent → CONFIRMED, temporary → FORCE_CHANGE_PASSWORD)."""
    user = run(ctx, lambda deps: svc.set_password(deps, pool_id, username, password, permanent=permanent))
    console.print(f"password set for {user.username}; status {user.status}")


@app.command("update")
def update(ctx: typer.Context, pool_id: str = POOL, username: str = USER,
           attribute: list[str] = typer.Option(..., "--attribute", "-a", help="name=value (repeatable)."),
           as_json: bool = JSON_OPTION) -> None:
    """Change attributes (AdminUpdateUserAttributes)."""
    changes = key_values(attribute, "--attribute")
    _print("User updated", run(ctx, lambda deps: svc.update_attributes(deps, pool_id, username, changes)), as_json)


@app.command("confirm")
def confirm(ctx: typer.Context, pool_id: str = POOL, username: str = USER) -> None:
    """Confirm a user's sign-up without a code (AdminConfirmSignUp)."""
    user = run(ctx, lambda deps: svc.confirm_user(deps, pool_id, username))
    console.print(f"{user.username} is {user.status}")


@app.command("disable")
def disable(ctx: typer.Context, pool_id: str = POOL, username: str = USER) -> None:
    """Disable a user: sign-in refused with 'User is disabled.'."""
    user = run(ctx, lambda deps: svc.set_enabled(deps, pool_id, username, False))
    console.print(f"disabled {user.username}")


@app.command("enable")
def enable(ctx: typer.Context, pool_id: str = POOL, username: str = USER) -> None:
    """Enable a disabled user."""
    user = run(ctx, lambda deps: svc.set_enabled(deps, pool_id, username, True))
    console.print(f"enabled {user.username}")


@app.command("delete")
def delete(ctx: typer.Context, pool_id: str = POOL, username: str = USER,
           yes: bool = typer.Option(False, "--yes", "-y")) -> None:
    """Delete a user."""
    if not yes and not typer.confirm(f"Delete user {username}?"):
        fail("aborted")
    run(ctx, lambda deps: svc.delete_user(deps, pool_id, username))
    console.print(f"deleted {username}")

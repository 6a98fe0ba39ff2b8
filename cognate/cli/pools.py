"""`cognate pool ...`: the console's "create user pool" step and its settings."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import typer

from cognate.cli._common import JSON_OPTION, console, details, emit_json, fail, run, table
from cognate.domain.password_policy import PasswordPolicy
from cognate.domain.pools import UserPool, pool_to_stored
from cognate.domain.ui_customization import ALL
from cognate.services import pools as svc
from cognate.services import ui_customization as ui_svc
from cognate.services.deps import Deps

app = typer.Typer(no_args_is_help=True)

USERNAME_ATTR = typer.Option(None, "--username-attribute", help="Sign in with email / phone_number (repeatable).")
ALIAS_ATTR = typer.Option(None, "--alias-attribute", help="email, phone_number, preferred_username (repeatable).")
AUTO_VERIFY = typer.Option(None, "--auto-verify", help="email / phone_number verified by code (repeatable).")
REQUIRED = typer.Option(None, "--required-attribute", help="Standard attribute required at sign-up (repeatable).")
CUSTOM = typer.Option(None, "--custom-attribute", help="custom attribute NAME[:String|Number|DateTime|Boolean].")
SRP_HELP = "USER_SRP_AUTH on or off (Cognate extension); off, no SRP verifier is derived from passwords."


def _schema(required: list[str] | None, custom: list[str] | None) -> list[dict[str, Any]]:
    schema: list[dict[str, Any]] = [{"Name": n, "AttributeDataType": "String", "Required": True, "Mutable": True}
                                    for n in required or []]
    for spec in custom or []:
        name, _, data_type = spec.partition(":")
        schema.append({"Name": name, "AttributeDataType": data_type or "String", "Mutable": True})
    return schema


def _policy(min_length: int | None, symbols: bool | None, numbers: bool | None, upper: bool | None,
            lower: bool | None, base: dict[str, Any]) -> dict[str, Any]:
    policy = dict(base)
    for key, value in (("MinimumLength", min_length), ("RequireSymbols", symbols), ("RequireNumbers", numbers),
                       ("RequireUppercase", upper), ("RequireLowercase", lower)):
        if value is not None:
            policy[key] = value
    return policy


def _summary(pool: UserPool) -> dict[str, Any]:
    p = pool.password_policy
    return {
        "Id": pool.id,
        "Name": pool.name,
        "Sign-in with": ", ".join(("username", *pool.alias_attributes)) if not pool.username_attributes
        else ", ".join(pool.username_attributes),
        "Auto-verified": list(pool.auto_verified_attributes),
        "Required attributes": list(pool.required_attributes),
        "Custom attributes": [a.name for a in pool.schema if a.is_custom],
        "Password policy": f"min {p.minimum_length}" + "".join(
            f", {label}" for label, on in (("upper", p.require_uppercase), ("lower", p.require_lowercase),
                                           ("numbers", p.require_numbers), ("symbols", p.require_symbols)) if on),
        "Case-sensitive usernames": pool.case_sensitive,
        "MFA": pool.mfa_configuration,
        "SRP": pool.srp_enabled,
        "Deletion protection": pool.deletion_protection,
    }


@app.command("create")
def create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Pool name."),
    username_attribute: list[str] = USERNAME_ATTR,
    alias_attribute: list[str] = ALIAS_ATTR,
    auto_verify: list[str] = AUTO_VERIFY,
    required_attribute: list[str] = REQUIRED,
    custom_attribute: list[str] = CUSTOM,
    min_length: int = typer.Option(None, "--password-min-length"),
    require_symbols: bool = typer.Option(None, "--require-symbols/--no-require-symbols"),
    require_numbers: bool = typer.Option(None, "--require-numbers/--no-require-numbers"),
    require_uppercase: bool = typer.Option(None, "--require-uppercase/--no-require-uppercase"),
    require_lowercase: bool = typer.Option(None, "--require-lowercase/--no-require-lowercase"),
    case_sensitive: bool = typer.Option(False, "--case-sensitive/--case-insensitive",
                                        help="Usernames case-sensitive (console default: insensitive)."),
    deletion_protection: bool = typer.Option(False, "--deletion-protection/--no-deletion-protection"),
    srp: bool = typer.Option(True, "--srp/--no-srp", help=SRP_HELP),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create a user pool (with its signing keys)."""
    req: dict[str, Any] = {
        "PoolName": name,
        "UsernameAttributes": username_attribute or None,
        "AliasAttributes": alias_attribute or None,
        "AutoVerifiedAttributes": auto_verify or None,
        "Schema": _schema(required_attribute, custom_attribute),
        "Policies": {"PasswordPolicy": _policy(min_length, require_symbols, require_numbers, require_uppercase,
                                               require_lowercase, PasswordPolicy().to_cognito())},
        "UsernameConfiguration": {"CaseSensitive": case_sensitive},
        "DeletionProtection": "ACTIVE" if deletion_protection else "INACTIVE",
    }

    async def go(deps: Deps) -> UserPool:
        pool = await svc.create_pool(deps, {k: v for k, v in req.items() if v is not None})
        return pool if srp else await svc.set_srp(deps, pool.id, False)

    pool = run(ctx, go)
    if as_json:
        emit_json({"UserPool": {"Id": pool.id, "Name": pool.name}})
    else:
        details("User pool created", _summary(pool))


@app.command("list")
def list_(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """All user pools."""

    async def go(deps: Deps) -> list[UserPool]:
        out: list[UserPool] = []
        token: str | None = None
        while True:
            page, token = await svc.list_pools(deps, max_results=60, next_token=token)
            out += page
            if not token:
                return out

    pools = run(ctx, go)
    if as_json:
        emit_json([{"Id": p.id, "Name": p.name, "CreationDate": p.created_at} for p in pools])
    else:
        table("User pools", ["Id", "Name"], [(p.id, p.name) for p in pools])


@app.command("show")
def show(ctx: typer.Context, pool_id: str = typer.Argument(...), as_json: bool = JSON_OPTION) -> None:
    """Describe a pool (DescribeUserPool)."""
    if as_json:
        emit_json({"UserPool": run(ctx, lambda deps: svc.describe_pool(deps, pool_id))})
        return
    pool = run(ctx, lambda deps: svc.get_pool(deps, pool_id))
    details(f"User pool {pool.id}", _summary(pool))


@app.command("update")
def update(
    ctx: typer.Context,
    pool_id: str = typer.Argument(...),
    auto_verify: list[str] = AUTO_VERIFY,
    min_length: int = typer.Option(None, "--password-min-length"),
    require_symbols: bool = typer.Option(None, "--require-symbols/--no-require-symbols"),
    require_numbers: bool = typer.Option(None, "--require-numbers/--no-require-numbers"),
    require_uppercase: bool = typer.Option(None, "--require-uppercase/--no-require-uppercase"),
    require_lowercase: bool = typer.Option(None, "--require-lowercase/--no-require-lowercase"),
    deletion_protection: bool = typer.Option(None, "--deletion-protection/--no-deletion-protection"),
    srp: bool = typer.Option(None, "--srp/--no-srp", help=SRP_HELP),
    as_json: bool = JSON_OPTION,
) -> None:
    """Change a pool's settings; what you do not name stays as it is."""

    async def go(deps: Deps) -> UserPool:
        current = pool_to_stored(await svc.get_pool(deps, pool_id))
        req = dict(current)
        req["Policies"] = {"PasswordPolicy": _policy(min_length, require_symbols, require_numbers,
                                                     require_uppercase, require_lowercase,
                                                     current["Policies"]["PasswordPolicy"])}
        if auto_verify:
            req["AutoVerifiedAttributes"] = auto_verify
        if deletion_protection is not None:
            req["DeletionProtection"] = "ACTIVE" if deletion_protection else "INACTIVE"
        pool = await svc.update_pool_settings(deps, pool_id, req)
        return pool if srp is None else await svc.set_srp(deps, pool_id, srp)

    pool = run(ctx, go)
    if as_json:
        emit_json({"UserPool": {"Id": pool.id, "Name": pool.name}})
    else:
        details("User pool updated", _summary(pool))


def _branding(pool: UserPool) -> dict[str, Any]:
    """The `--json` members (named as the stored branding's); the table shows the same with labels."""
    b = pool.branding
    return {
        "LogoUrl": b.logo_url if b else None,
        "PrimaryColor": b.primary_color if b else None,
        "BackgroundColor": b.background_color if b else None,
        "CssBytes": len(b.css.encode()) if b and b.css else None,
    }


BRANDING_LABELS = {"LogoUrl": "Logo URL", "PrimaryColor": "Primary colour", "BackgroundColor": "Background colour",
                   "CssBytes": "Custom CSS (bytes)"}


def _read_css(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {path}: {exc}")


@app.command("branding")
def branding(
    ctx: typer.Context,
    pool_id: str = typer.Argument(...),
    logo_url: str = typer.Option(None, "--logo-url", help="https:// (or http://localhost) image; '' removes it."),
    primary_color: str = typer.Option(None, "--primary-color", help="Buttons and links, #rrggbb; '' removes it."),
    background_color: str = typer.Option(None, "--background-color", help="Page background, #rrggbb."),
    css_file: Path = typer.Option(None, "--css-file", help="Custom CSS (at most 64 KiB) served by Cognate."),
    clear: bool = typer.Option(False, "--clear", help="Remove all branding first."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Hosted-UI look of a pool; what you do not name stays as it is."""
    css = _read_css(css_file)
    pool = run(ctx, lambda deps: svc.set_branding(deps, pool_id, logo_url=logo_url, primary_color=primary_color,
                                                  background_color=background_color, css=css, clear=clear))
    if as_json:
        emit_json({"UserPool": {"Id": pool.id}, "Branding": _branding(pool)})
    else:
        details("Hosted-UI branding", {"Id": pool.id, **{BRANDING_LABELS[k]: v for k, v in _branding(pool).items()}})


@app.command("ui-customization")
def ui_customization(
    ctx: typer.Context,
    pool_id: str = typer.Argument(...),
    client_id: str = typer.Option(ALL, "--client-id", help="An app client's id, or ALL for the pool's default."),
    css_file: Path = typer.Option(None, "--css-file", help="CSS using the hosted UI's -customizable classes."),
    image_file: Path = typer.Option(None, "--image-file", help="PNG or JPEG logo, at most 100 KB."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Cognito's classic branding (as SetUICustomization): CSS and logo are set together; omit both to clear."""
    css = _read_css(css_file)
    image = _read_image(image_file)
    request = ui_svc.UiCustomizationRequest(pool_id=pool_id, client_id=client_id, css=css, image_file=image)
    custom = run(ctx, lambda deps: ui_svc.set_customization(deps, request))
    shown = {"ClientId": custom.client_id, "CSS": f"{len(custom.css)} characters" if custom.css else None,
             "Logo": f"{custom.image_type}, {len(custom.image)} bytes" if custom.image else None,
             "CSSVersion": custom.version}
    if as_json:
        emit_json({"UICustomization": {"UserPoolId": custom.pool_id, **shown}})
    else:
        details("Hosted-UI customization", {"UserPoolId": custom.pool_id, **shown})


def _read_image(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return base64.b64encode(path.read_bytes()).decode()
    except OSError as exc:
        fail(f"cannot read {path}: {exc}")


@app.command("delete")
def delete(ctx: typer.Context, pool_id: str = typer.Argument(...),
           yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation.")) -> None:
    """Delete a pool with all its clients, users, groups, domains and keys."""
    if not yes and not typer.confirm(f"Delete pool {pool_id} and everything in it?"):
        fail("aborted")
    run(ctx, lambda deps: svc.delete_pool(deps, pool_id))
    console.print(f"deleted {pool_id}")

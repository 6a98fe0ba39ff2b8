"""`cognate client ...`: the console's "app client" and "hosted UI" steps, with the sign-in URLs to use."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import typer

from cognate.cli._common import JSON_OPTION, console, details, emit_json, run, table
from cognate.domain.clients import AppClient, client_to_cognito, client_to_stored
from cognate.services import clients as svc
from cognate.services.deps import Deps
from cognate.services.pools import pool_base_url

app = typer.Typer(no_args_is_help=True)

CALLBACK = typer.Option(None, "--callback-url", help="Allowed callback URL (repeatable).")
LOGOUT = typer.Option(None, "--logout-url", help="Allowed sign-out URL (repeatable).")
FLOW = typer.Option(None, "--flow", help="OAuth flow: code, implicit, client_credentials (repeatable).")
SCOPE = typer.Option(None, "--scope", help="OAuth scope: openid, email, phone, profile, "
                                           "aws.cognito.signin.user.admin or RESOURCE/SCOPE (repeatable).")
IDP = typer.Option(None, "--idp", help="Identity provider for the hosted UI, e.g. COGNITO (repeatable).")
AUTH_FLOW = typer.Option(None, "--auth-flow", help="Explicit auth flow, e.g. ALLOW_USER_SRP_AUTH (repeatable).")
READ_ATTR = typer.Option(None, "--read-attribute", help="Attribute the client may read (repeatable).")
WRITE_ATTR = typer.Option(None, "--write-attribute", help="Attribute the client may write (repeatable).")
PKCE_HELP = "Whether the code flow needs a PKCE code_challenge (Cognate extension CognatePkceRequired)."


def _flags(**kw: Any) -> dict[str, Any]:
    """CLI flags as CreateUserPoolClient fields; None means 'not given'."""
    units = kw.get("validity_units")
    req: dict[str, Any] = {
        "CallbackURLs": kw.get("callback_url") or None,
        "LogoutURLs": kw.get("logout_url") or None,
        "DefaultRedirectURI": kw.get("default_redirect_uri"),
        "AllowedOAuthFlows": kw.get("flow") or None,
        "AllowedOAuthScopes": kw.get("scope") or None,
        "SupportedIdentityProviders": kw.get("idp") or None,
        "ExplicitAuthFlows": kw.get("auth_flow") or None,
        "ReadAttributes": kw.get("read_attribute") or None,
        "WriteAttributes": kw.get("write_attribute") or None,
        "AccessTokenValidity": kw.get("access_token_validity"),
        "IdTokenValidity": kw.get("id_token_validity"),
        "RefreshTokenValidity": kw.get("refresh_token_validity"),
        "TokenValidityUnits": {"AccessToken": units, "IdToken": units, "RefreshToken": "days"} if units else None,
        "EnableTokenRevocation": kw.get("token_revocation"),
        "CognatePkceRequired": kw.get("pkce_required"),
    }
    prevent = kw.get("prevent_user_existence_errors")
    if prevent is not None:
        req["PreventUserExistenceErrors"] = "ENABLED" if prevent else "LEGACY"
    if req["AllowedOAuthFlows"]:
        req["AllowedOAuthFlowsUserPoolClient"] = True
    return {k: v for k, v in req.items() if v is not None}


def sign_in_urls(base: str, client: AppClient) -> dict[str, str]:
    """The hosted-UI URLs the Cognito guide tells you to build, for the first callback URL, by flow (`Code`,
    `Implicit`: the `--json` member names)."""
    if not client.callback_urls or not client.allowed_oauth_flows_user_pool_client:
        return {}
    redirect = client.default_redirect_uri or client.callback_urls[0]
    scope = " ".join(client.allowed_oauth_scopes)
    out = {}
    for flow, response_type in (("code", "code"), ("implicit", "token")):
        if flow in client.allowed_oauth_flows:
            query = urlencode({"client_id": client.id, "response_type": response_type, "scope": scope,
                               "redirect_uri": redirect})
            out[flow.capitalize()] = f"{base}/login?{query}"
    return out


def _summary(client: AppClient, urls: dict[str, str]) -> dict[str, Any]:
    data = client_to_cognito(client)
    shown = {k: v for k, v in data.items() if k not in ("LastModifiedDate", "CreationDate")}
    return {**shown, **{f"Sign-in URL ({flow.lower()})": url for flow, url in urls.items()}}


@app.command("create")
def create(
    ctx: typer.Context,
    pool_id: str = typer.Argument(...),
    name: str = typer.Argument(..., help="Client name."),
    secret: bool = typer.Option(True, "--secret/--no-secret", help="Generate a client secret (confidential app)."),
    callback_url: list[str] = CALLBACK,
    logout_url: list[str] = LOGOUT,
    default_redirect_uri: str = typer.Option(None, "--default-redirect-uri"),
    flow: list[str] = FLOW,
    scope: list[str] = SCOPE,
    idp: list[str] = IDP,
    auth_flow: list[str] = AUTH_FLOW,
    read_attribute: list[str] = READ_ATTR,
    write_attribute: list[str] = WRITE_ATTR,
    access_token_validity: int = typer.Option(None, "--access-token-validity"),
    id_token_validity: int = typer.Option(None, "--id-token-validity"),
    refresh_token_validity: int = typer.Option(None, "--refresh-token-validity", help="Days."),
    validity_units: str = typer.Option(None, "--validity-unit", help="Unit of access/ID validity: seconds, "
                                                                      "minutes, hours, days."),
    prevent_user_existence_errors: bool = typer.Option(True, "--prevent-user-existence-errors/--legacy-errors"),
    token_revocation: bool = typer.Option(True, "--token-revocation/--no-token-revocation"),
    pkce_required: bool = typer.Option(None, "--pkce-required/--pkce-optional",
                                       help=PKCE_HELP + " Default: optional, as in Cognito "
                                       "(COGNATE_REQUIRE_PKCE_FOR_PUBLIC_CLIENTS requires it of public clients)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create an app client (the console's defaults: a secret, COGNITO as identity provider)."""
    req = _flags(**locals())
    req.update({"ClientName": name, "GenerateSecret": secret})
    req.setdefault("SupportedIdentityProviders", ["COGNITO"])

    async def go(deps: Deps) -> tuple[AppClient, str]:
        client = await svc.create_client(deps, pool_id, req)
        return client, await pool_base_url(deps, pool_id)

    client, base = run(ctx, go)
    if as_json:
        emit_json({"UserPoolClient": client_to_cognito(client), "SignInUrls": sign_in_urls(base, client)})
    else:
        details("App client created", _summary(client, sign_in_urls(base, client)))


@app.command("list")
def list_(ctx: typer.Context, pool_id: str = typer.Argument(...), as_json: bool = JSON_OPTION) -> None:
    """App clients of a pool."""

    async def go(deps: Deps) -> list[AppClient]:
        out: list[AppClient] = []
        token: str | None = None
        while True:
            page, token = await svc.list_clients(deps, pool_id, max_results=60, next_token=token)
            out += page
            if not token:
                return out

    clients = run(ctx, go)
    if as_json:
        emit_json([{"ClientId": c.id, "ClientName": c.name, "UserPoolId": c.pool_id} for c in clients])
    else:
        table(f"App clients of {pool_id}", ["ClientId", "ClientName", "Flows"],
              [(c.id, c.name, ", ".join(c.allowed_oauth_flows)) for c in clients])


@app.command("show")
def show(ctx: typer.Context, pool_id: str = typer.Argument(...), client_id: str = typer.Argument(...),
         as_json: bool = JSON_OPTION) -> None:
    """Describe a client, with its hosted-UI sign-in URLs (code and implicit)."""

    async def go(deps: Deps) -> tuple[AppClient, str]:
        return await svc.get_client(deps, client_id, pool_id=pool_id), await pool_base_url(deps, pool_id)

    client, base = run(ctx, go)
    if as_json:
        emit_json({"UserPoolClient": client_to_cognito(client), "SignInUrls": sign_in_urls(base, client)})
    else:
        details(f"App client {client.id}", _summary(client, sign_in_urls(base, client)))


@app.command("update")
def update(
    ctx: typer.Context,
    pool_id: str = typer.Argument(...),
    client_id: str = typer.Argument(...),
    name: str = typer.Option(None, "--name"),
    callback_url: list[str] = CALLBACK,
    logout_url: list[str] = LOGOUT,
    default_redirect_uri: str = typer.Option(None, "--default-redirect-uri"),
    flow: list[str] = FLOW,
    scope: list[str] = SCOPE,
    idp: list[str] = IDP,
    auth_flow: list[str] = AUTH_FLOW,
    read_attribute: list[str] = READ_ATTR,
    write_attribute: list[str] = WRITE_ATTR,
    access_token_validity: int = typer.Option(None, "--access-token-validity"),
    id_token_validity: int = typer.Option(None, "--id-token-validity"),
    refresh_token_validity: int = typer.Option(None, "--refresh-token-validity"),
    validity_units: str = typer.Option(None, "--validity-unit"),
    prevent_user_existence_errors: bool = typer.Option(None, "--prevent-user-existence-errors/--legacy-errors"),
    token_revocation: bool = typer.Option(None, "--token-revocation/--no-token-revocation"),
    pkce_required: bool = typer.Option(None, "--pkce-required/--pkce-optional", help=PKCE_HELP),
    as_json: bool = JSON_OPTION,
) -> None:
    """Change a client; lists you name replace the current ones, everything else stays."""
    changes = _flags(**locals())
    if name:
        changes["ClientName"] = name

    async def go(deps: Deps) -> tuple[AppClient, str]:
        current = await svc.get_client(deps, client_id, pool_id=pool_id)
        client = await svc.update_client_settings(deps, pool_id, client_id, {**client_to_stored(current), **changes})
        return client, await pool_base_url(deps, pool_id)

    client, base = run(ctx, go)
    if as_json:
        emit_json({"UserPoolClient": client_to_cognito(client), "SignInUrls": sign_in_urls(base, client)})
    else:
        details("App client updated", _summary(client, sign_in_urls(base, client)))


@app.command("add-secret")
def add_secret(ctx: typer.Context, pool_id: str = typer.Argument(...), client_id: str = typer.Argument(...),
               secret: str = typer.Option(None, "--secret", help="Your own secret (24-64 of [A-Za-z0-9_+])."),
               as_json: bool = JSON_OPTION) -> None:
    """A second client secret, for rotation (both work until one is deleted); shown only now."""
    new = run(ctx, lambda deps: svc.add_client_secret(deps, pool_id, client_id, secret))
    shown = {"ClientSecretId": new.id, "ClientSecretValue": new.value, "ClientSecretCreateDate": new.created_at}
    if as_json:
        emit_json({"ClientSecretDescriptor": shown})
    else:
        details("Client secret added (copy it now: it is not shown again)", shown)


@app.command("secrets")
def list_secrets(ctx: typer.Context, pool_id: str = typer.Argument(...), client_id: str = typer.Argument(...),
                 as_json: bool = JSON_OPTION) -> None:
    """The client's secrets: ids and creation times, never the values."""
    found = run(ctx, lambda deps: svc.list_client_secrets(deps, pool_id, client_id))
    if as_json:
        emit_json({"ClientSecrets": [{"ClientSecretId": s.id, "ClientSecretCreateDate": s.created_at}
                                     for s in found]})
    else:
        table(f"Secrets of {client_id}", ["ClientSecretId", "Created"], [(s.id, s.created_at) for s in found])


@app.command("delete-secret")
def delete_secret(ctx: typer.Context, pool_id: str = typer.Argument(...), client_id: str = typer.Argument(...),
                  secret_id: str = typer.Argument(...)) -> None:
    """Retire one of the client's secrets (never the last one)."""
    run(ctx, lambda deps: svc.delete_client_secret(deps, pool_id, client_id, secret_id))
    console.print(f"deleted secret {secret_id}")


@app.command("delete")
def delete(ctx: typer.Context, pool_id: str = typer.Argument(...), client_id: str = typer.Argument(...)) -> None:
    """Delete an app client."""
    run(ctx, lambda deps: svc.delete_client(deps, pool_id, client_id))
    console.print(f"deleted {client_id}")

"""`cognate domain ...`: the console's "choose a domain" step."""

from __future__ import annotations

import typer

from cognate.cli._common import JSON_OPTION, console, details, emit_json, fail, run, table
from cognate.domain.domains import PoolDomain, domain_to_cognito
from cognate.services import domains as svc
from cognate.services.deps import Deps

app = typer.Typer(no_args_is_help=True)


def _row(deps: Deps, domain: PoolDomain) -> dict[str, str]:
    return {"Domain": domain.domain, "UserPoolId": domain.pool_id, "URL": svc.url_of(deps, domain),
            "Kind": "custom" if domain.is_custom else "prefix", "Status": "ACTIVE"}


@app.command("create")
def create(
    ctx: typer.Context,
    pool_id: str = typer.Argument(...),
    domain: str = typer.Argument(..., help="Prefix (myapp → myapp.<suffix>) or, with --certificate-arn, an FQDN."),
    certificate_arn: str = typer.Option(None, "--certificate-arn", help="Makes DOMAIN a custom domain."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Give a pool its hosted-UI domain."""
    req: dict[str, object] = {"Domain": domain, "UserPoolId": pool_id}
    if certificate_arn:
        req["CustomDomainConfig"] = {"CertificateArn": certificate_arn}

    async def go(deps: Deps) -> dict[str, str]:
        return _row(deps, await svc.create_domain(deps, req))

    row = run(ctx, go)
    if as_json:
        emit_json(row)
    else:
        details("Domain created", row)


@app.command("show")
def show(ctx: typer.Context, name: str = typer.Argument(None, help="Domain prefix or custom domain."),
         pool: str = typer.Option(None, "--pool", help="Show the domains of this pool instead."),
         as_json: bool = JSON_OPTION) -> None:
    """A domain and its complete address."""
    if not name and not pool:
        fail("give a domain name or --pool POOL_ID")

    async def go(deps: Deps) -> list[dict[str, object]]:
        found = await svc.pool_domains(deps, pool) if pool else [d for d in [await svc.get_domain(deps, name)] if d]
        return [{**domain_to_cognito(d, suffix=deps.domain_suffix), "URL": svc.url_of(deps, d)} for d in found]

    rows = run(ctx, go)
    if not rows:
        fail(f"no domain {name or 'for pool ' + pool}")
    if as_json:
        emit_json(rows if pool else rows[0])
    else:
        table("Domains", ["Domain", "UserPoolId", "URL", "Status"],
              [(r["Domain"], r["UserPoolId"], r["URL"], r["Status"]) for r in rows])


@app.command("check")
def check(ctx: typer.Context, prefix: str = typer.Argument(...)) -> None:
    """Is PREFIX a valid domain prefix, and is it free? Exit status 0 only if both."""
    ok, reason = run(ctx, lambda deps: svc.check_domain(deps, prefix))
    if not ok:
        fail(f"{prefix}: {reason}")
    console.print(f"{prefix}: valid and available")


@app.command("delete")
def delete(ctx: typer.Context, pool_id: str = typer.Argument(...), name: str = typer.Argument(...)) -> None:
    """Remove a pool's domain."""
    run(ctx, lambda deps: svc.delete_domain(deps, name, pool_id))
    console.print(f"deleted {name}")

"""`cognate token verify`: check a Cognate or Amazon Cognito JWT the way an API server should (spec §2 "Verify").

With `--pool` the keys and issuer come from this deployment's database and settings (no server needed);
with `--issuer` the keys are fetched from `{issuer}/.well-known/jwks.json`, so real Cognito pools work too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from cognate.cli._common import JSON_OPTION, details, emit_json, fail, run
from cognate.services.deps import Deps
from cognate.services.keys import jwks
from cognate.services.pools import issuer as pool_issuer

if TYPE_CHECKING:
    from cognate.verify import Verifier

app = typer.Typer(no_args_is_help=True)


def _verifier(ctx: typer.Context, issuer: str | None, pool: str | None, clients: list[str] | None,
              token_use: str) -> Verifier:
    from cognate.verify import TOKEN_USES, Verifier  # httpx: only this command fetches keys over HTTP

    if (issuer is None) == (pool is None):
        fail("give exactly one of --issuer or --pool")
    if token_use not in TOKEN_USES:
        fail("--token-use must be access or id")
    if issuer is not None:
        return Verifier(issuer, client_ids=clients or None, token_use=token_use)
    assert pool is not None

    async def local(deps: Deps) -> tuple[str, dict[str, Any]]:
        return await pool_issuer(deps, pool), await jwks(deps, pool)

    local_issuer, keys = run(ctx, local)
    return Verifier(local_issuer, client_ids=clients or None, token_use=token_use, jwks=keys)


@app.command("verify")
def verify(
    ctx: typer.Context,
    token: str = typer.Argument(..., help="The JWT (access or ID token)."),
    issuer: str = typer.Option(None, "--issuer", help="Issuer URL, e.g. https://cognito-idp.R.amazonaws.com/P."),
    pool: str = typer.Option(None, "--pool", help="A pool of this deployment (issuer {public_url}/{pool})."),
    client: list[str] = typer.Option(None, "--client", help="Accepted client id (repeatable; default: any)."),
    token_use: str = typer.Option("access", "--token-use", help="access or id."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Verify a token's signature, issuer, expiry, token_use and client; print its claims."""
    from cognate.verify import TokenInvalid

    verifier = _verifier(ctx, issuer, pool, client, token_use)
    try:
        claims = verifier.verify(token)
    except TokenInvalid as exc:
        fail(f"token invalid: {exc.reason}")
    if as_json:
        emit_json(claims)
    else:
        details("Valid token", claims)

"""`cognate token verify` against tokens issued by the running server: `--pool` (keys from the database) and
`--issuer` (keys fetched from the server's JWKS, as for real Cognito); refusals are one line and exit 1."""

from __future__ import annotations

import json

from tests.e2e.oauth.conftest import SPA_CB, World, code_tokens
from tests.support.processes import Cli


def test_token_verify(world: World) -> None:
    with world.http(signed_in_as="alice") as http:
        tokens = code_tokens(http, world.spa, SPA_CB)
    cli = Cli(data_dir=world.cli.data_dir, database_url=world.cli.database_url,
              env={"COGNATE_PUBLIC_URL": world.server.url})
    claims = cli.json("token", "verify", tokens["access_token"], "--pool", world.pool, "--client", world.spa.id)
    assert claims["username"] == "alice" and claims["token_use"] == "access"
    ident = json.loads(cli.run("token", "verify", tokens["id_token"], "--issuer", world.issuer, "--token-use", "id",
                               "--json").stdout)
    assert ident["cognito:username"] == "alice" and ident["aud"] == world.spa.id
    assert "Valid token" in cli.run("token", "verify", tokens["access_token"], "--issuer", world.issuer).stdout
    assert "not an accepted client" in cli.fails("token", "verify", tokens["access_token"], "--pool", world.pool,
                                                 "--client", world.web.id)
    assert "token_use" in cli.fails("token", "verify", tokens["id_token"], "--pool", world.pool)
    assert "exactly one of" in cli.fails("token", "verify", tokens["id_token"])

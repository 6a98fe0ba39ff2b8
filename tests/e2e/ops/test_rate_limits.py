"""Rate limits against a real `cognate serve` (OWASP ASVS 2.2.1; RFC 6585 §4), with COGNATE_RATE_LIMIT_PER_IP=5/minute.

One counter per client IP spans every credential door, so once it is full each door answers in its own language:
the JSON API with TooManyRequestsException (HTTP 400, through boto3), /oauth2/token and the hosted UI's POSTs
with HTTP 429 and Retry-After. Two nodes on one PostgreSQL database share the counts.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import boto3
import httpx
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from cognate.services import clients, pools, users
from cognate.settings import load_settings
from tests.support.inprocess import open_deps
from tests.support.processes import Cli, Server, free_port

PASSWORD = "Corr3ct-horse!"
CALLBACK = "https://app.example.com/cb"
LIMITED = {"COGNATE_RATE_LIMIT_PER_IP": "5/minute"}


async def _setup(cli: Cli) -> str:
    """A pool, one public app client (password sign-in and the code flow) and one user; the client id."""
    async with open_deps(load_settings(data_dir=cli.data_dir, database_url=cli.database_url)) as deps:
        pool = await pools.create_pool(deps, {"PoolName": "limits"})
        client = await clients.create_client(deps, pool.id, {
            "ClientName": "app", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            "CallbackURLs": [CALLBACK], "AllowedOAuthFlows": ["code"], "AllowedOAuthFlowsUserPoolClient": True,
            "AllowedOAuthScopes": ["openid"], "SupportedIdentityProviders": ["COGNITO"]})
        await users.create_user(deps, pool.id, username="bob", attributes={}, password=PASSWORD, permanent=True)
        return client.id


def _public_api(url: str) -> Any:
    """What an app holds: unsigned, and no retries (botocore would retry a TooManyRequestsException)."""
    return boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1",
                        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}))


def _sign_in(api: Any, client_id: str, password: str) -> str:
    try:
        api.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": "bob", "PASSWORD": password})
    except ClientError as exc:
        return str(exc.response["Error"]["Code"])
    return "ok"


def _token(url: str, client_id: str) -> httpx.Response:
    """A refresh grant with a made-up token: a credential request, refused (400) unless rate limited (429)."""
    return httpx.post(f"{url}/oauth2/token", timeout=10,
                      data={"grant_type": "refresh_token", "client_id": client_id, "refresh_token": "nope"})


def _retry_after(response: httpx.Response) -> int:
    value = int(response.headers["retry-after"])
    assert 1 <= value <= 120
    return value


@pytest.fixture
def limited_cli(tmp_path: Path, database_url: str) -> Cli:
    return Cli(data_dir=tmp_path / "data", database_url=database_url, env=dict(LIMITED))


def test_every_door_answers_over_the_limit(limited_cli: Cli) -> None:
    client_id = asyncio.run(_setup(limited_cli))
    server = Server(cli=limited_cli, port=free_port())
    server.start()
    try:
        api = _public_api(server.url)
        assert [_sign_in(api, client_id, p) for p in (PASSWORD, "wrong", "wrong")] == \
            ["ok", "NotAuthorizedException", "NotAuthorizedException"]
        assert [_token(server.url, client_id).status_code for _ in range(2)] == [400, 400]
        # Five credential requests from 127.0.0.1: every door now refuses the sixth and later.

        token = _token(server.url, client_id)
        assert token.status_code == 429, token.text
        assert token.json() == {"error": "invalid_request", "error_description": "Too many requests"}
        assert token.headers["cache-control"] == "no-store" and _retry_after(token)

        query = urlencode({"client_id": client_id, "response_type": "code", "redirect_uri": CALLBACK,
                           "scope": "openid", "code_challenge": "c" * 43, "code_challenge_method": "S256"})
        page = httpx.post(f"{server.url}/login?{query}", data={"username": "bob", "password": PASSWORD}, timeout=10)
        assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
        assert "Please slow down" in page.text and "too many attempts" in page.text
        assert _retry_after(page)

        with pytest.raises(ClientError) as refused:
            api.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                              AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD})
        error = refused.value.response
        assert error["Error"]["Code"] == "TooManyRequestsException"
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert "Too many requests from this address" in error["Error"]["Message"]

        # Pages that only show a form, and everything else, are not counted.
        assert httpx.get(f"{server.url}/login?{query}", timeout=10).status_code == 200
        assert httpx.get(f"{server.url}/health", timeout=10).status_code == 200
    finally:
        server.kill()
    assert "Traceback" not in server.log()


def test_two_nodes_share_the_counts(tmp_path: Path, fresh_pg_url: str) -> None:
    """Two `cognate serve` processes on one PostgreSQL database count together (nodes are stateless)."""
    cli = Cli(data_dir=tmp_path / "data", database_url=fresh_pg_url, env=dict(LIMITED))
    client_id = asyncio.run(_setup(cli))
    nodes = [Server(cli=cli, port=free_port()), Server(cli=cli, port=free_port())]
    try:
        for node in nodes:
            node.start()
        statuses = [_token(nodes[n % 2].url, client_id).status_code for n in range(5)]
        assert statuses == [400] * 5
        assert [_token(node.url, client_id).status_code for node in nodes] == [429, 429]
    finally:
        for node in nodes:
            node.kill()

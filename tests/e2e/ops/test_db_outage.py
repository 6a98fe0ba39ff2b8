"""A PostgreSQL outage: 503s (never a hang or a 500 page), /health stays 200, recovery without a restart,
nothing lost (issue 6). The database is reached through a proxy the test cuts and restores.

Each surface answers in its own language: OAuth `temporarily_unavailable`, a hosted-UI page, the JSON API's
`InternalErrorException` (a 500 botocore retries)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.support.processes import Cli, Server, free_port
from tests.support.tcp_proxy import TcpProxy

CB = "http://localhost:3000/cb"


def _via_proxy(url: str, port: int) -> str:
    head, _, tail = url.partition("@")
    _, _, name = tail.partition("/")
    return f"{head}@127.0.0.1:{port}/{name}"


def _oauth_and_hosted_ui_during(url: str, client_id: str) -> None:
    token = httpx.post(f"{url}/oauth2/token", timeout=20, data={
        "grant_type": "authorization_code", "code": "x", "client_id": client_id, "redirect_uri": CB})
    assert token.status_code == 503, token.text
    assert token.json()["error"] == "temporarily_unavailable"
    login = httpx.get(f"{url}/login", timeout=20, params={
        "response_type": "code", "client_id": client_id, "redirect_uri": CB})
    assert login.status_code == 503, login.text
    assert login.headers["content-type"].startswith("text/html")
    assert "briefly unavailable" in login.text and "Traceback" not in login.text


def _json_api_during(url: str, client_id: str) -> None:
    app: Any = boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1",
                            config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}))
    try:
        app.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": "u", "PASSWORD": "p"})
        raise AssertionError("InitiateAuth answered during the outage")
    except ClientError as exc:
        assert exc.response["Error"]["Code"] == "InternalErrorException"
        assert exc.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_outage_answers_503_and_recovers(tmp_path: Path, fresh_pg_url: str) -> None:
    direct = Cli(data_dir=tmp_path / "data", database_url=fresh_pg_url)
    pool_id = direct.json("pool", "create", "outage")["UserPool"]["Id"]
    client_id = direct.json("client", "create", pool_id, "web", "--no-secret", "--pkce-optional", "--callback-url",
                            CB, "--flow", "code", "--scope", "openid", "--idp", "COGNITO",
                            "--auth-flow", "ALLOW_USER_PASSWORD_AUTH")["UserPoolClient"]["ClientId"]
    proxy = TcpProxy(listen_port=free_port(), target_port=5432)
    proxy.open()
    proxied = Cli(data_dir=tmp_path / "data", database_url=_via_proxy(fresh_pg_url, proxy.listen_port))
    server = Server(cli=proxied, port=free_port())
    try:
        server.start()
        jwks = f"{server.url}/{pool_id}/.well-known/jwks.json"
        keys = httpx.get(jwks, timeout=10).json()
        proxy.cut()
        time.sleep(1.1)  # configuration and keys may be served from a cache for up to one second
        started = time.monotonic()
        during = httpx.get(jwks, timeout=20)
        assert during.status_code == 503, during.text
        assert "Traceback" not in during.text
        assert time.monotonic() - started < 12
        assert during.json()["error"] == "temporarily_unavailable"
        _oauth_and_hosted_ui_during(server.url, client_id)
        _json_api_during(server.url, client_id)
        assert httpx.get(f"{server.url}/ready", timeout=20).status_code == 503
        assert httpx.get(f"{server.url}/health", timeout=5).status_code == 200
        proxy.open()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and httpx.get(jwks, timeout=20).status_code != 200:
            time.sleep(0.2)
        assert httpx.get(jwks, timeout=10).json() == keys
        assert httpx.get(f"{server.url}/ready", timeout=10).status_code == 200
        assert server.stop() == 0
    finally:
        server.kill()
        proxy.close()


async def _admin(url: str, *sql: str) -> None:
    """Run statements on the server's `postgres` database (never on the one under test)."""
    import asyncpg

    base, _, _ = url.replace("postgresql+asyncpg://", "postgresql://").rpartition("/")
    conn = await asyncpg.connect(f"{base}/postgres", timeout=5)
    try:
        for statement in sql:
            await conn.execute(statement)
    finally:
        await conn.close()


def _refuse_and_terminate(url: str, proxy: TcpProxy, how: str) -> None:
    """`proxy`: new TCP connections refused, live ones reset. `postgres`: the server itself refuses new sessions
    (`not currently accepting connections`, an error with no statement) and terminates the live ones."""
    if how == "proxy":
        proxy.cut()
        return
    name = url.rpartition("/")[2]
    asyncio.run(_admin(url, f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false',
                       f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))


def _restore(url: str, proxy: TcpProxy, how: str) -> None:
    if how == "proxy":
        proxy.open()
        return
    asyncio.run(_admin(url, f'ALTER DATABASE "{url.rpartition("/")[2]}" ALLOW_CONNECTIONS true'))


def _oauth_endpoints_during(url: str, client_id: str) -> None:
    """Each OAuth endpoint answers RFC 6749's `temporarily_unavailable` as JSON with 503 and Retry-After."""
    answers = {
        "token": httpx.post(f"{url}/oauth2/token", timeout=20, data={
            "grant_type": "authorization_code", "code": "x", "client_id": client_id, "redirect_uri": CB}),
        "userInfo": httpx.get(f"{url}/oauth2/userInfo", timeout=20, headers={"Authorization": "Bearer a.b.c"}),
        "revoke": httpx.post(f"{url}/oauth2/revoke", timeout=20, data={"token": "x", "client_id": client_id}),
        "authorize": httpx.get(f"{url}/oauth2/authorize", timeout=20, params={
            "response_type": "code", "client_id": client_id, "redirect_uri": CB}),
    }
    for name, answer in answers.items():
        assert answer.status_code == 503, (name, answer.text)
        assert answer.json()["error"] == "temporarily_unavailable", (name, answer.text)
        assert answer.headers["retry-after"], name


@pytest.mark.parametrize("how", ["proxy", "postgres"])
def test_refused_and_terminated_sessions_keep_ready_503_and_oauth_temporarily_unavailable(
        tmp_path: Path, fresh_pg_url: str, how: str) -> None:
    direct = Cli(data_dir=tmp_path / "data", database_url=fresh_pg_url)
    pool_id = direct.json("pool", "create", "outage")["UserPool"]["Id"]
    client_id = direct.json("client", "create", pool_id, "web", "--no-secret", "--pkce-optional", "--callback-url",
                            CB, "--flow", "code", "--scope", "openid", "--idp", "COGNITO")["UserPoolClient"]["ClientId"]
    proxy = TcpProxy(listen_port=free_port(), target_port=5432)
    proxy.open()
    server = Server(cli=Cli(data_dir=tmp_path / "data", database_url=_via_proxy(fresh_pg_url, proxy.listen_port)),
                    port=free_port())
    try:
        server.start()
        jwks = f"{server.url}/{pool_id}/.well-known/jwks.json"
        assert httpx.get(jwks, timeout=10).status_code == 200
        assert httpx.get(f"{server.url}/ready", timeout=10).status_code == 200
        _refuse_and_terminate(fresh_pg_url, proxy, how)
        time.sleep(1.1)  # configuration and keys may be served from a cache for up to one second
        ready = []
        for _ in range(6):  # sampled over the whole outage, not once
            ready.append(httpx.get(f"{server.url}/ready", timeout=20).status_code)
            _oauth_endpoints_during(server.url, client_id)
            time.sleep(0.5)
        assert ready == [503] * 6
        _restore(fresh_pg_url, proxy, how)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and httpx.get(f"{server.url}/ready", timeout=20).status_code != 200:
            time.sleep(0.2)
        assert httpx.get(f"{server.url}/ready", timeout=10).status_code == 200
        token = httpx.post(f"{server.url}/oauth2/token", timeout=10, data={
            "grant_type": "authorization_code", "code": "x", "client_id": client_id, "redirect_uri": CB})
        assert token.status_code == 400 and token.json()["error"] == "invalid_grant", token.text
    finally:
        server.kill()
        _restore(fresh_pg_url, proxy, "postgres")
        proxy.close()

"""A PostgreSQL outage: 503s (never a hang or a 500 page), /health stays 200, recovery without a restart,
nothing lost (issue 6). The database is reached through a proxy the test cuts and restores.

Each surface answers in its own language: OAuth `temporarily_unavailable`, a hosted-UI page, the JSON API's
`InternalErrorException` (a 500 botocore retries)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import boto3
import httpx
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

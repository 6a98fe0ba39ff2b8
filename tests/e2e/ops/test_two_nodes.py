"""Two `cognate serve` processes on one PostgreSQL database behave as one service (issue 6): a flow hops between
nodes, a configuration change is honoured by the other node within a second, and lockout counters are shared."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import botocore
import httpx
import pytest

from tests.support.processes import Cli, Server, free_port

CALLBACK = "http://localhost:4000/cb"
PASSWORD = "Two-Nodes-Passw0rd"
CSRF_RE = re.compile(r'name="_csrf" value="([^"]+)"')


@pytest.fixture
def nodes(tmp_path: Path, fresh_pg_url: str) -> Iterator[tuple[Server, Server, Cli]]:
    shared = {"COGNATE_SECRET_KEY": "two-nodes-" + secrets.token_urlsafe(32),
              "COGNATE_ADMIN_ACCESS_KEY_ID": "AKTWONODES", "COGNATE_ADMIN_SECRET_ACCESS_KEY": "s3cret-two-nodes"}
    clis = [Cli(data_dir=tmp_path / name, database_url=fresh_pg_url, env=dict(shared)) for name in ("a", "b")]
    servers = [Server(cli=c, port=free_port()) for c in clis]
    try:
        for server in servers:
            server.start()
        yield servers[0], servers[1], clis[0]
    finally:
        for server in servers:
            server.kill()


def _setup(cli: Cli) -> tuple[str, str]:
    pool_id = cli.json("pool", "create", "twins")["UserPool"]["Id"]
    client = cli.json("client", "create", pool_id, "web", "--no-secret", "--callback-url", CALLBACK, "--flow", "code",
                      "--scope", "openid", "--scope", "email", "--auth-flow", "ALLOW_USER_PASSWORD_AUTH",
                      "--auth-flow", "ALLOW_REFRESH_TOKEN_AUTH")["UserPoolClient"]
    cli.run("user", "create", pool_id, "tess", "--password", PASSWORD, "--permanent", "--email", "t@example.com",
            "--email-verified")
    return pool_id, str(client["ClientId"])


def test_a_flow_hops_between_nodes(nodes: tuple[Server, Server, Cli]) -> None:
    a, b, cli = nodes
    _, client_id = _setup(cli)
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urlencode({"response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK, "state": "hop",
                       "scope": "openid email", "code_challenge": challenge, "code_challenge_method": "S256"})
    with httpx.Client(timeout=10) as browser:
        to_login = browser.get(f"{a.url}/oauth2/authorize?{query}")  # authorize on A
        assert to_login.status_code == 302 and to_login.headers["location"].startswith("/login?")
        login_url = b.url + to_login.headers["location"]  # the login page and its POST on B
        form = browser.get(login_url)
        csrf = unescape(CSRF_RE.search(form.text).group(1))  # type: ignore[union-attr]
        done = browser.post(login_url, data={"username": "tess", "password": PASSWORD, "_csrf": csrf})
    assert done.status_code == 303, done.text
    location = urlsplit(done.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    code = parse_qs(location.query)["code"][0]
    tokens = httpx.post(f"{a.url}/oauth2/token", data={  # token on A
        "grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK, "client_id": client_id,
        "code_verifier": verifier}).json()
    assert tokens["token_type"] == "Bearer" and "id_token" in tokens
    refreshed = httpx.post(f"{b.url}/oauth2/token", data={  # refresh on B
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": client_id})
    assert refreshed.status_code == 200, refreshed.text
    revoked = httpx.post(f"{a.url}/oauth2/revoke", data={"token": tokens["refresh_token"], "client_id": client_id})
    assert revoked.status_code == 200  # revoke on A
    again = httpx.post(f"{b.url}/oauth2/token", data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": client_id})
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    userinfo = httpx.get(f"{b.url}/oauth2/userInfo",
                         headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"})
    assert userinfo.status_code == 401


def test_configuration_change_reaches_the_other_node_within_a_second(nodes: tuple[Server, Server, Cli]) -> None:
    a, b, cli = nodes
    pool_id, client_id = _setup(cli)
    new_callback = "http://localhost:4001/new-cb"
    query = {"response_type": "code", "client_id": client_id, "scope": "openid", "redirect_uri": new_callback,
             "code_challenge": "c" * 43, "code_challenge_method": "S256"}  # PKCE, as a public client should send it
    before = httpx.get(f"{b.url}/oauth2/authorize?{urlencode(query)}")
    assert before.headers["location"].startswith("/error")
    cli.run("client", "update", pool_id, client_id, "--callback-url", new_callback)
    changed_at = time.monotonic()
    time.sleep(1.0)
    for server in (a, b):
        after = httpx.get(f"{server.url}/oauth2/authorize?{urlencode(query)}")
        assert after.headers["location"].startswith("/login?"), after.headers["location"]
    assert time.monotonic() - changed_at < 2.5


def test_lockout_is_shared(nodes: tuple[Server, Server, Cli]) -> None:
    a, b, cli = nodes
    _, client_id = _setup(cli)
    config = botocore.config.Config(signature_version=botocore.UNSIGNED, retries={"max_attempts": 1})
    node_a, node_b = (boto3.client("cognito-idp", endpoint_url=s.url, region_name="us-east-1", config=config)
                      for s in (a, b))

    def sign_in(node: object, password: str) -> str:
        try:
            node.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",  # type: ignore[attr-defined]
                               AuthParameters={"USERNAME": "tess", "PASSWORD": password})
        except botocore.exceptions.ClientError as exc:
            return str(exc.response["Error"]["Message"])
        return "ok"

    for _ in range(5):
        assert sign_in(node_a, "wrong-password") == "Incorrect username or password."
    assert sign_in(node_b, PASSWORD) == "Password attempts exceeded"

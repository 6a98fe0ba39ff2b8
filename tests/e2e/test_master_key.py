"""Issue 12 item 5: a master key Cognate cannot trust stops the real `cognate` command, and `serve --workers N` on
a fresh data dir makes exactly one key that every worker uses.

Before the fix an empty `secret.key` was used as the key (sealed values opened under it, forged sealed Sessions
were accepted), a short `COGNATE_SECRET_KEY` was accepted, and workers raced to create the file.
"""

from __future__ import annotations

import json
import secrets
import stat
import subprocess
import uuid
from typing import Any

import httpx
import pytest

from tests.cli.test_pools_clients import make_pool
from tests.e2e.cognito_api._helpers import KEY_ID, SECRET
from tests.support.processes import COGNATE, Cli, Server, free_port

TARGET = "AWSCognitoIdentityProviderService."
GARBAGE = b"\xff\xfe not a key \x00" + secrets.token_bytes(48)


def serve_fails(cli: Cli, timeout: float = 20.0) -> str:
    """`cognate serve` must exit on its own, non-zero, with one `error:` line and no traceback."""
    env = {**cli.environ(), "COGNATE_PORT": str(free_port()), "COGNATE_HOST": "127.0.0.1"}
    proc = subprocess.Popen([COGNATE, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError("cognate serve started with an unusable master key") from None
    assert proc.returncode != 0, out
    assert "Traceback" not in out + err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Cognate listening" not in out
    return lines[0]


@pytest.mark.parametrize("content", [b"", b"\n", b"abc123\n", GARBAGE], ids=["empty", "newline", "short", "garbage"])
def test_attack_unusable_key_file_stops_serve_and_cli_naming_the_file(cli: Cli, content: bytes) -> None:
    cli.data_dir.mkdir(parents=True)
    key_file = cli.data_dir / "secret.key"
    key_file.write_bytes(content)
    assert str(key_file) in serve_fails(cli)
    assert str(key_file) in cli.fails("pool", "list")
    assert key_file.read_bytes() == content  # never replaced behind the operator's back


def test_attack_short_configured_key_stops_serve_and_cli_naming_the_variable(cli: Cli) -> None:
    cli.env["COGNATE_SECRET_KEY"] = secrets.token_urlsafe(16)  # 22 characters: accepted before the fix
    assert "COGNATE_SECRET_KEY" in serve_fails(cli)
    assert "COGNATE_SECRET_KEY" in cli.fails("pool", "list")
    assert cli.env["COGNATE_SECRET_KEY"] not in serve_fails(cli)


def test_key_file_in_todays_format_keeps_working(cli: Cli, server: Server) -> None:
    """What earlier versions generated (`token_urlsafe(48)`, written without a newline or with one by hand)."""
    cli.data_dir.mkdir(parents=True)
    (cli.data_dir / "secret.key").write_text(secrets.token_urlsafe(48) + "\n")
    pool_id = make_pool(cli)
    server.start()
    assert httpx.get(f"{server.url}/{pool_id}/.well-known/jwks.json", timeout=5).status_code == 200
    assert len(cli.json("keys", "rotate", pool_id)) == 4  # unseals the pool's keys with the file's key


def _call(url: str, operation: str, body: dict[str, Any], **headers: str) -> httpx.Response:
    """One unsigned Cognito call on a new connection, so consecutive calls land on any worker."""
    return httpx.post(url + "/", content=json.dumps(body), timeout=10, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + operation, **headers})


def test_workers_on_a_fresh_data_dir_share_one_key(cli: Cli, server: Server) -> None:
    """The parent makes the key before the workers start; a sealed Session minted by one worker is opened by the
    other (new connections spread over both), and the CLI unseals what the workers sealed."""
    import boto3
    from botocore.config import Config

    cli.env.update({"COGNATE_ADMIN_ACCESS_KEY_ID": KEY_ID, "COGNATE_ADMIN_SECRET_ACCESS_KEY": SECRET})
    server.args = ("--workers", "2")
    server.start(timeout=30)
    admin = boto3.client("cognito-idp", endpoint_url=server.url, region_name="us-east-1", aws_access_key_id=KEY_ID,
                         aws_secret_access_key=SECRET, config=Config(retries={"total_max_attempts": 1}))
    pool_id = admin.create_user_pool(PoolName="workers")["UserPool"]["Id"]
    client_id = admin.create_user_pool_client(UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=[
        "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
    for _ in range(8):
        username = f"u{uuid.uuid4().hex[:10]}"
        admin.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword="Temp-Passw0rd!",
                                MessageAction="SUPPRESS")
        started = _call(server.url, "InitiateAuth", {"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
                        "AuthParameters": {"USERNAME": username, "PASSWORD": "Temp-Passw0rd!"}})
        assert started.json()["ChallengeName"] == "NEW_PASSWORD_REQUIRED", started.text
        answered = _call(server.url, "RespondToAuthChallenge", {
            "ClientId": client_id, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": started.json()["Session"],
            "ChallengeResponses": {"USERNAME": username, "NEW_PASSWORD": "New-Passw0rd-1!"}})
        assert answered.status_code == 200 and "AccessToken" in answered.json()["AuthenticationResult"], answered.text
    files = sorted(p.name for p in cli.data_dir.iterdir())
    assert "secret.key" in files and not [f for f in files if f.endswith(".tmp")], files
    assert stat.S_IMODE((cli.data_dir / "secret.key").stat().st_mode) == 0o600
    assert len(cli.json("keys", "rotate", pool_id)) == 4
    assert server.stop() == 0, server.log()
    assert "Traceback" not in server.log()

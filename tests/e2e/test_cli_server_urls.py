"""Every URL the CLI prints works against the running server, wherever it listens; and a CLI command never
silently creates a database (issue 13 §2).

One `cognate serve` on a free (non-default) port for the module; the CLI shares its data dir and database but is
not told the server's port or public URL: the server records its public URL in the data dir.
"""

from __future__ import annotations

import os
import pty
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.conftest import run_database
from tests.support.processes import COGNATE, Cli, Server, free_port

PASSWORD = "Correct-Horse-9"
CALLBACK = "https://app.example.com/cb"


@dataclass
class Setup:
    cli: Cli
    server: Server
    pool: str
    client: str


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    with run_database(tmp_path_factory, "urls") as url:
        cli = Cli(data_dir=tmp_path_factory.mktemp("urls") / "data", database_url=url)
        server = Server(cli=cli, port=free_port())
        server.start()
        try:
            pool = cli.json("pool", "create", "urls")["UserPool"]["Id"]
            client = cli.json("client", "create", pool, "web", "--no-secret", "--callback-url", CALLBACK,
                              "--flow", "code", "--scope", "openid", "--scope", "email",
                              "--auth-flow", "ALLOW_USER_PASSWORD_AUTH")["UserPoolClient"]["ClientId"]
            cli.run("user", "create", pool, "alice", "--email", "alice@example.com", "--email-verified",
                    "--password", PASSWORD, "--permanent")
            yield Setup(cli, server, pool, client)
        finally:
            server.kill()


def fetch(url: str) -> httpx.Response:
    """GET a printed URL as a browser would: `*.localhost` names resolve to loopback (RFC 6761), which Python's
    resolver may not do, so those connect to 127.0.0.1 with the printed host in the Host header."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host.endswith(".localhost"):
        target = urlunsplit(parts._replace(netloc=f"127.0.0.1:{parts.port}"))
        return httpx.get(target, headers={"Host": parts.netloc}, timeout=10)
    return httpx.get(url, timeout=10)


def test_client_show_prints_sign_in_urls_of_the_running_server(setup: Setup) -> None:
    urls = setup.cli.json("client", "show", setup.pool, setup.client)["SignInUrls"]
    assert urls, "a code-flow client with a callback URL has a sign-in URL"
    for url in urls.values():
        assert f":{setup.server.port}/" in url, url
        page = fetch(url)
        assert page.status_code == 200 and 'name="password"' in page.text, (url, page.status_code)


def test_domain_create_prints_the_domain_url_of_the_running_server(setup: Setup) -> None:
    created = setup.cli.json("domain", "create", setup.pool, "urls-e2e")
    assert created["URL"] == f"http://urls-e2e.auth.localhost:{setup.server.port}"
    page = fetch(f"{created['URL']}/login?client_id={setup.client}&response_type=code&redirect_uri={CALLBACK}")
    assert page.status_code == 200 and 'name="password"' in page.text
    shown = setup.cli.json("domain", "show", "urls-e2e")
    assert shown["URL"] == created["URL"]


def test_token_verify_pool_checks_against_the_running_servers_issuer(setup: Setup) -> None:
    answer = httpx.post(f"{setup.server.url}/", timeout=10, headers={
        "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
        "Content-Type": "application/x-amz-json-1.1"}, json={
        "AuthFlow": "USER_PASSWORD_AUTH", "ClientId": setup.client,
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD}})
    assert answer.status_code == 200, answer.text
    access = answer.json()["AuthenticationResult"]["AccessToken"]
    claims = setup.cli.json("token", "verify", access, "--pool", setup.pool)
    assert claims["username"] == "alice" and claims["iss"] == f"{setup.server.url}/{setup.pool}"


def test_config_show_names_the_recorded_public_url(setup: Setup) -> None:
    assert setup.cli.json("config", "show")["public_url"] == setup.server.url


def _bare_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("COGNATE_")}


def _one_error_line(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode != 0, proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    return lines[0]


def test_a_command_elsewhere_says_there_is_no_database_and_creates_nothing(tmp_path: Path) -> None:
    """Before: `cognate pool list` in a directory without `.cognate/` created a new empty database there."""
    proc = subprocess.run([COGNATE, "pool", "list"], capture_output=True, text=True, env=_bare_env(),
                          cwd=tmp_path, timeout=60, stdin=subprocess.DEVNULL)
    line = _one_error_line(proc)
    assert f"no Cognate database at {tmp_path / '.cognate' / 'cognate.db'}" in line, line
    assert "cognate db upgrade" in line and "--data-dir" in line
    assert list(tmp_path.iterdir()) == []


def test_an_empty_database_is_not_given_a_schema_unless_asked(tmp_path: Path, database_url: str) -> None:
    """The run's database (an empty PostgreSQL database, or a missing SQLite file) is refused by ordinary commands;
    `cognate db upgrade` creates it, after which they work."""
    cli = Cli(data_dir=tmp_path / "data", database_url=database_url, create_database=False)
    line = cli.fails("pool", "list")
    assert "cognate db upgrade" in line, line
    assert not (tmp_path / "data").exists()
    assert cli.fails("db", "status") == line
    assert "up to date" in cli.run("db", "upgrade").stdout
    assert cli.json("pool", "list") == []


def test_on_a_terminal_the_cli_says_which_database_and_server_it_uses(setup: Setup) -> None:
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.run([COGNATE, "pool", "list", "--json"], stdout=subprocess.PIPE, stderr=terminal,
                              env=setup.cli.environ(), timeout=60, stdin=subprocess.DEVNULL, text=True)
        os.close(terminal)
        terminal = -1
        try:
            said = os.read(controller, 4096).decode()
        except OSError:  # Linux answers EIO once the terminal's other end is closed and nothing was written
            said = ""
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)
    assert proc.returncode == 0
    shown_db = setup.cli.database_url.split("@")[-1]
    assert "using database" in said and shown_db in said and setup.server.url in said, said

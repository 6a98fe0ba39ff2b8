"""`cognate login` (issue 13 §2): the hosted UI in a browser, the code back on a loopback redirect (RFC 8252 §7.3),
exchanged with PKCE, the tokens verified against the pool's JWKS and printed — like `aws sso login`.

One `cognate serve --demo` on a free port for the module. The "browser" is httpx following the printed URL
through the hosted UI's sign-in form and then the redirect to the CLI's loopback receiver; the printed tokens
are checked independently with PyJWT against the server's JWKS.
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt as pyjwt
import pytest

from tests.conftest import run_database
from tests.support.browser import chromium as launch_chromium
from tests.support.processes import COGNATE, Cli, Server, free_port

PASSWORD = "Correct-Horse-9"
CSRF = re.compile(r'name="_csrf" value="([^"]+)"')


@dataclass
class Setup:
    cli: Cli
    server: Server
    pool: str
    client: str
    port: int

    def login(self, *args: str) -> Login:
        return Login(subprocess.Popen([COGNATE, "login", *args], env=self.cli.environ(), stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL))

    def own(self, *args: str) -> Login:
        return self.login("--pool", self.pool, "--client", self.client, "--port", str(self.port), "--no-browser",
                          *args)


@dataclass
class Login:
    process: subprocess.Popen[str]

    def url(self) -> str:
        """The sign-in URL from stderr (read line by line while the command waits for the redirect)."""
        assert self.process.stderr is not None
        seen = []
        for line in self.process.stderr:
            seen.append(line)
            if line.strip().startswith("http"):
                return line.strip()
        raise AssertionError(f"no URL printed: {''.join(seen)}")

    def finish(self) -> tuple[int, str, str]:
        out, err = self.process.communicate(timeout=60)
        return self.process.returncode, out, err


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    with run_database(tmp_path_factory, "login") as url:
        cli = Cli(data_dir=tmp_path_factory.mktemp("login") / "data", database_url=url)
        server = Server(cli=cli, port=free_port(), args=("--demo",))
        server.start()
        try:
            pool = cli.json("pool", "create", "login")["UserPool"]["Id"]
            port = free_port()
            client = cli.json("client", "create", pool, "cli", "--no-secret", "--flow", "code",
                              "--callback-url", f"http://127.0.0.1:{port}/callback", "--scope", "openid",
                              "--scope", "email", "--scope", "profile")["UserPoolClient"]["ClientId"]
            cli.run("user", "create", pool, "alice", "--email", "alice@example.com", "--email-verified",
                    "--password", PASSWORD, "--permanent")
            yield Setup(cli, server, pool, client, port)
        finally:
            server.kill()


def sign_in(url: str, username: str, password: str) -> str:
    """What a person does in the browser: open the URL, fill in the form; returns where the browser is sent."""
    with httpx.Client(follow_redirects=True, timeout=10) as browser:
        form = browser.get(url)
        assert form.status_code == 200 and 'name="password"' in form.text, form.text[:500]
        csrf = CSRF.search(form.text)
        assert csrf is not None
        done = browser.post(str(form.url), data={"username": username, "password": password,
                                                 "_csrf": csrf.group(1)}, follow_redirects=False)
        assert done.status_code in (302, 303), done.text[:500]
        return done.headers["location"]


def jwks_verified(setup: Setup, token: str, pool: str, audience: str | None = None) -> dict[str, Any]:
    keys = pyjwt.PyJWKClient(f"{setup.server.url}/{pool}/.well-known/jwks.json")
    return dict(pyjwt.decode(token, keys.get_signing_key_from_jwt(token).key, algorithms=["RS256"],
                             issuer=f"{setup.server.url}/{pool}", audience=audience,
                             options={"verify_aud": audience is not None}))


def test_login_prints_the_verified_tokens_of_the_user_who_signed_in(setup: Setup) -> None:
    login = setup.own("--json")
    url = login.url()
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(f"{setup.server.url}/oauth2/authorize?")
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["redirect_uri"] == f"http://127.0.0.1:{setup.port}/callback" and query["state"]
    redirect = sign_in(url, "alice", PASSWORD)
    assert redirect.startswith(f"http://127.0.0.1:{setup.port}/callback?code=")
    page = httpx.get(redirect, timeout=10)
    assert page.status_code == 200 and "return to the terminal" in page.text
    code, out, err = login.finish()
    assert code == 0, err
    printed = json.loads(out)
    ident = jwks_verified(setup, printed["id_token"], setup.pool, audience=setup.client)
    access = jwks_verified(setup, printed["access_token"], setup.pool)
    assert ident["cognito:username"] == "alice" and ident["email"] == "alice@example.com"
    assert access["username"] == "alice" and access["client_id"] == setup.client
    assert printed["id_token_claims"] == ident and printed["access_token_claims"] == access
    assert printed["username"] == "alice" and printed["expires_at"] == access["exp"] and printed["refresh_token"]
    assert ident["nonce"] == query["nonce"]


def test_login_text_output_shows_the_user_expiry_and_the_tokens(setup: Setup) -> None:
    login = setup.own()
    httpx.get(sign_in(login.url(), "alice", PASSWORD), timeout=10)
    code, out, err = login.finish()
    assert code == 0, err
    assert "alice" in out and "expires" in out
    assert re.search(r"^ID_TOKEN=ey\S+$", out, re.M) and re.search(r"^ACCESS_TOKEN=ey\S+$", out, re.M), out


def test_a_redirect_with_another_state_is_refused(setup: Setup) -> None:
    login = setup.own()
    login.url()
    page = httpx.get(f"http://127.0.0.1:{setup.port}/callback?code=stolen&state=forged", timeout=10)
    assert page.status_code == 400
    code, out, err = login.finish()
    assert code == 1 and out == ""
    assert err.strip().splitlines()[-1].startswith("error: ") and "state" in err


def test_no_sign_in_within_the_timeout_is_a_clear_error(setup: Setup) -> None:
    login = setup.own("--timeout", "1")
    login.url()
    code, out, err = login.finish()
    assert code == 1 and out == ""
    assert "no sign-in arrived" in err.strip().splitlines()[-1], err


def test_a_client_without_the_loopback_callback_is_refused_before_any_url(setup: Setup) -> None:
    line = setup.cli.fails("login", "--pool", setup.pool, "--client", setup.client, "--port", str(free_port()),
                           "--no-browser")
    assert "does not register http://127.0.0.1:" in line and "/callback" in line, line


def test_the_demo_is_the_default_and_its_client_registers_the_loopback_callback(setup: Setup) -> None:
    demo = json.loads((setup.cli.data_dir / "demo.json").read_text())
    shown = setup.cli.json("client", "show", demo["pool_id"], demo["client_id"])["UserPoolClient"]
    assert "http://127.0.0.1:9228/callback" in shown["CallbackURLs"]
    assert "http://localhost:8000/callback" in shown["CallbackURLs"]
    login = setup.login("--no-browser", "--json")
    url = login.url()
    assert parse_qs(urlsplit(url).query)["client_id"] == [demo["client_id"]]
    browser = threading.Thread(target=lambda: httpx.get(sign_in(url, "demo@example.com", demo["password"]),
                                                        timeout=10))
    browser.start()
    code, out, err = login.finish()
    browser.join()
    assert code == 0, err
    assert json.loads(out)["id_token_claims"]["email"] == "demo@example.com"


def test_a_confidential_client_signs_in_with_its_secret_from_the_database(setup: Setup) -> None:
    port = free_port()
    secretive = setup.cli.json("client", "create", setup.pool, "cli-secret", "--flow", "code", "--scope", "openid",
                               "--callback-url", f"http://127.0.0.1:{port}/callback")["UserPoolClient"]
    assert secretive["ClientSecret"]
    login = setup.login("--client", secretive["ClientId"], "--no-browser", "--json")  # pool found from the client
    httpx.get(sign_in(login.url(), "alice", PASSWORD), timeout=10)
    code, out, err = login.finish()
    assert code == 0, err
    printed = json.loads(out)
    assert printed["pool_id"] == setup.pool and printed["access_token_claims"]["client_id"] == secretive["ClientId"]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as launched:
        yield launched


def test_login_completes_in_chromium(setup: Setup, chromium: Any) -> None:
    """A real browser: the printed URL, the hosted UI's form, and the redirect to the loopback receiver's page."""
    login = setup.own("--json")
    page = chromium.new_page()
    try:
        page.goto(login.url())
        page.fill('input[name="username"]', "alice")
        page.fill('input[name="password"]', PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"http://127.0.0.1:{setup.port}/callback?*")
        assert "return to the terminal" in page.content()
    finally:
        page.close()
    code, out, err = login.finish()
    assert code == 0, err
    assert jwks_verified(setup, json.loads(out)["access_token"], setup.pool)["username"] == "alice"

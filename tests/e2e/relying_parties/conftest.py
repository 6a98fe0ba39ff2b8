"""Backends on the same machine as Cognate, doing the code flow the way real relying-party libraries do it: one
real `cognate serve` on its DEFAULT settings (only the port, data dir and database are chosen, as a test must), a
pool with a domain (`http://{prefix}.auth.localhost:{port}`), a public and a confidential app client, and one
headless Chromium that signs in through the hosted UI.

The split is the point of these tests: the browser resolves `*.localhost` (RFC 6761) and signs in on the pool's
domain, while the backend libraries use their own platform's resolver (Node's and Python's getaddrinfo, which do
not know `*.localhost` names) for discovery, the token, userInfo and revocation endpoints. The callback
(`http://localhost:{free port}/cb`) has no server: the browser's request to it is intercepted and handed to the
backend, as a web framework would hand it the request.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import run_database
from tests.support.browser import chromium
from tests.support.processes import Cli, Server, free_port

PASSWORD = "Correct-Horse-9"
USERNAME = "alice"
EMAIL = "alice@example.com"
SCOPES = ("openid", "email", "profile")


@dataclass(frozen=True)
class App:
    id: str
    secret: str | None


@dataclass
class Site:
    server: Server
    pool_id: str
    prefix: str
    callback: str
    public: App  # no secret: openid-client's `None()` client authentication
    confidential: App  # client_secret_basic

    @property
    def issuer(self) -> str:
        return f"{self.server.url}/{self.pool_id}"

    @property
    def domain_host(self) -> str:
        return f"{self.prefix}.auth.localhost"


@pytest.fixture(scope="package")
def rp_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with run_database(tmp_path_factory, "rp") as url:
        yield url


def _client(cli: Cli, pool_id: str, name: str, callback: str, *secret: str) -> App:
    scopes = [arg for scope in SCOPES for arg in ("--scope", scope)]
    out = cli.json("client", "create", pool_id, name, *secret, "--callback-url", callback, "--flow", "code",
                   *scopes)["UserPoolClient"]
    return App(out["ClientId"], out.get("ClientSecret"))


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory, rp_database_url: str) -> Iterator[Site]:
    cli = Cli(data_dir=tmp_path_factory.mktemp("rp") / "data", database_url=rp_database_url)
    pool_id = str(cli.json("pool", "create", "backends")["UserPool"]["Id"])
    prefix = f"rp{uuid.uuid4().hex[:8]}"
    cli.run("domain", "create", pool_id, prefix)
    callback = f"http://localhost:{free_port()}/cb"
    public = _client(cli, pool_id, "node-backend", callback, "--no-secret")
    confidential = _client(cli, pool_id, "python-backend", callback)
    assert public.secret is None and confidential.secret
    cli.run("user", "create", pool_id, USERNAME, "--email", EMAIL, "--email-verified", "--password", PASSWORD,
            "--permanent")
    server = Server(cli=cli, port=free_port())
    server.start()
    try:
        yield Site(server=server, pool_id=pool_id, prefix=prefix, callback=callback, public=public,
                   confidential=confidential)
    finally:
        server.kill()
        assert "Traceback" not in server.log(), server.log()[-4000:]


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def sign_in(browser: Any, site: Site, authorization_url: str) -> str:
    """The browser's part: open the backend's authorization URL, sign in on the pool's domain, and return the
    callback URL the hosted UI sent the browser to (with `code` and `state`)."""
    assert urlsplit(authorization_url).hostname == site.domain_host, authorization_url
    context = browser.new_context()
    landed: list[str] = []

    def land(route: Any) -> None:
        landed.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>app</title>")

    context.route(lambda url: url.startswith(site.callback), land)
    try:
        page = context.new_page()
        page.goto(authorization_url)
        assert urlsplit(page.url).hostname == site.domain_host and urlsplit(page.url).path == "/login", page.url
        page.get_by_label("Username").fill(USERNAME)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: url.startswith(site.callback))
    finally:
        context.close()
    assert landed, "the browser never reached the callback"
    return landed[-1]


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


NODE_DIR = Path(__file__).parent / "node"

"""A newcomer's first five minutes (issue 13 §2), against a real `cognate serve --demo`: the sign-in link it prints,
pasted into Chromium, ends on Cognate's own page showing the demo client's tokens, verified and decoded; the
token viewer refuses what it must (another client's flow, a foreign state, a client without its callback) with a
readable page; `GET /` and `/favicon.ico` answer. Screenshots at 390 px and 1280 px."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest

from tests.conftest import run_database
from tests.e2e.browser.conftest import shoot
from tests.support.processes import Cli, Server, free_port

pytestmark = pytest.mark.slow


@dataclass
class Demo:
    server: Server
    cli: Cli
    link: str
    client_id: str
    pool_id: str
    username: str
    password: str


def _printed(log: str, label: str) -> str:
    found = re.search(rf"^  {label}:\s+(.+)$", log, flags=re.MULTILINE)
    assert found, log
    return found.group(1).strip()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with run_database(tmp_path_factory, "demo") as url:
        cli = Cli(data_dir=tmp_path_factory.mktemp("demo-data"), database_url=url)
        server = Server(cli=cli, port=free_port(), args=("--demo",))
        server.start()
        try:
            log = server.log()
            username, password = _printed(log, "as").split(" / ")
            yield Demo(server=server, cli=cli, link=_printed(log, "sign in at"),
                       client_id=_printed(log, "demo client").split()[0], pool_id=_printed(log, "demo pool"),
                       username=username, password=password)
        finally:
            server.kill()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def test_the_printed_link_ends_on_a_page_with_the_demo_clients_verified_tokens(demo: Demo, page: Any) -> None:
    assert demo.link == f"{demo.server.url}/token-viewer?{urlencode({'client_id': demo.client_id})}"
    page.goto(demo.link)
    page.wait_for_url("**/login?**")
    page.get_by_label("Email address").fill(demo.username)
    page.get_by_label("Password", exact=True).fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/token-viewer/callback?**")
    assert page.get_by_role("heading", level=1).inner_text() == "You are signed in"
    body = page.locator("main").inner_text()
    issuer = f"{demo.server.url}/{demo.pool_id}"
    assert demo.username in body and f"{issuer}/.well-known/jwks.json" in body and "Expires " in body
    for title in ("ID token", "Access token", "Refresh token"):
        assert page.get_by_role("heading", name=title, exact=True).is_visible()
    shoot(page, "token-viewer")
    id_token, access_token, _refresh = page.locator("pre.raw code").all_text_contents()
    jwks = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json")
    claims = jwt.decode(id_token, jwks.get_signing_key_from_jwt(id_token), algorithms=["RS256"],
                        audience=demo.client_id, issuer=issuer)
    assert claims["email"] == demo.username and claims["sub"] in body
    access = jwt.decode(access_token, jwks.get_signing_key_from_jwt(access_token), algorithms=["RS256"],
                        issuer=issuer, options={"verify_aud": False})
    assert access["client_id"] == demo.client_id and access["token_use"] == "access"
    page.reload()  # the same callback again: the code and the flow are spent, no tokens a second time
    assert page.get_by_role("heading", level=1).inner_text() == "The token viewer cannot continue"
    assert page.locator("pre.raw").count() == 0


def test_a_client_without_the_viewers_callback_is_refused_with_a_readable_page(demo: Demo, page: Any) -> None:
    other = demo.cli.json("client", "create", demo.pool_id, "other-app", "--no-secret", "--callback-url",
                          "http://localhost:3000/cb", "--flow", "code", "--scope", "openid", "--idp", "COGNITO")
    client_id = other["UserPoolClient"]["ClientId"]
    response = httpx.get(f"{demo.server.url}/token-viewer?client_id={client_id}")
    assert response.status_code == 400 and "does not list the token viewer" in response.text
    page.goto(f"{demo.server.url}/token-viewer?client_id={client_id}")
    assert "does not list the token viewer" in page.locator("main").inner_text()
    shoot(page, "token-viewer-refused")


def test_a_foreign_state_or_another_clients_flow_gets_no_tokens(demo: Demo) -> None:
    """Against the real server with httpx: the flow cookie of one browser and the callback of another."""
    with httpx.Client(base_url=demo.server.url) as victim, httpx.Client(base_url=demo.server.url) as attacker:
        started = victim.get(f"/token-viewer?client_id={demo.client_id}")
        assert started.status_code == 302
        state = parse_qs(urlsplit(started.headers["location"]).query)["state"][0]
        wrong = victim.get("/token-viewer/callback", params={"code": "x" * 43, "state": "not-" + state})
        assert wrong.status_code == 400 and "does not belong to the sign-in" in wrong.text
        guessed = victim.get("/token-viewer/callback", params={"code": "x" * 43, "state": state})
        assert guessed.status_code == 400 and "could not be exchanged" in guessed.text
        stolen = attacker.get("/token-viewer/callback", params={"code": "x" * 43, "state": state})
        assert stolen.status_code == 400 and "was not started in this browser" in stolen.text


def test_home_page_and_favicon(demo: Demo, page: Any) -> None:
    home = httpx.get(f"{demo.server.url}/")
    assert home.status_code == 200 and "Cognate 0." in home.text
    discovery = f"/{demo.pool_id}/.well-known/openid-configuration"
    assert f'href="{discovery}"' in home.text
    assert httpx.get(f"{demo.server.url}{discovery}").json()["issuer"] == f"{demo.server.url}/{demo.pool_id}"
    icon = httpx.get(f"{demo.server.url}/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"
    page.goto(f"{demo.server.url}/")
    assert page.get_by_role("link", name="OpenID Connect discovery").count() == 1
    shoot(page, "home")

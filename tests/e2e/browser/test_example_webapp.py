"""examples/webapp against a real `cognate serve`, in a real browser: sign in through the hosted UI on the pool's
domain (code flow + PKCE), the verified claims on the app's page, sign out through Cognate's `/logout`, and the
hosted UI asking again afterwards; a forged `state` is refused. The app runs under uvicorn in its own process,
as its README says, once as a public client and once with a client secret (client_secret_basic)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest

from tests.conftest import need
from tests.e2e.browser.conftest import PASSWORD, shoot
from tests.support.browser import CHROMIUM
from tests.support.processes import Cli, Server, free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[3]
EMAIL = "jane@example.com"


@dataclass
class WebApp:
    """One `uvicorn examples.webapp.app:app` process."""

    url: str
    process: subprocess.Popen[str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Setup:
    server: Server
    pool_id: str
    username: str
    public: WebApp
    confidential: WebApp


def start_webapp(port: int, env: dict[str, str], log_path: Path) -> WebApp:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith("COGNATE_") and k not in ("POOL_ID", "ISSUER", "CLIENT_ID", "CLIENT_SECRET")}
    with open(log_path, "w") as log:  # the child has its own copy of the descriptor; the parent's closes now
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "examples.webapp.app:app", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env={**base, **env, "APP_URL": f"http://localhost:{port}"}, stdout=log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True)
    return WebApp(url=f"http://localhost:{port}", process=process, log_path=log_path)


def wait_until_up(app: WebApp, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise AssertionError(f"example app exited early:\n{app.log()}")
        try:
            if httpx.get(f"{app.url}/", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise AssertionError(f"example app did not start:\n{app.log()}")


def _client(cognito: Any, pool_id: str, name: str, port: int, *, secret: bool) -> dict[str, Any]:
    return dict(cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName=name, GenerateSecret=secret, SupportedIdentityProviders=["COGNITO"],
        CallbackURLs=[f"http://localhost:{port}/callback"], LogoutURLs=[f"http://localhost:{port}/"],
        AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid", "email", "profile"],
        AllowedOAuthFlowsUserPoolClient=True)["UserPoolClient"])


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, browser_database_url: str) -> Iterator[Setup]:
    """Cognate with a pool, its domain, a public and a confidential client and a confirmed user, all made through
    the Cognito JSON API (boto3, admin-signed); then one example app per client."""
    need(shutil.which(CHROMIUM) is not None, f"Debian's chromium is not installed at {CHROMIUM}")
    data = tmp_path_factory.mktemp("webapp-data")
    port = free_port()
    key, secret = "AKCGEXAMPLEWEBAPP001", uuid.uuid4().hex
    cli = Cli(data_dir=data, database_url=browser_database_url,
              env={"COGNATE_PUBLIC_URL": f"http://127.0.0.1:{port}", "COGNATE_ADMIN_ACCESS_KEY_ID": key,
                   "COGNATE_ADMIN_SECRET_ACCESS_KEY": secret})
    server = Server(cli=cli, port=port)
    server.start()
    apps: list[WebApp] = []
    try:
        cognito = boto3.client("cognito-idp", endpoint_url=server.url, region_name="us-east-1",
                               aws_access_key_id=key, aws_secret_access_key=secret)
        pool_id = cognito.create_user_pool(
            PoolName="Example Accounts", UsernameAttributes=["email"], AutoVerifiedAttributes=["email"],
            Schema=[{"Name": "email", "Required": True, "Mutable": True}])["UserPool"]["Id"]
        cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=f"example{uuid.uuid4().hex[:6]}")
        public_port, confidential_port = free_port(), free_port()
        public = _client(cognito, pool_id, "Example web app", public_port, secret=False)
        confidential = _client(cognito, pool_id, "Example server app", confidential_port, secret=True)
        assert "ClientSecret" not in public and confidential["ClientSecret"]
        user = cognito.admin_create_user(UserPoolId=pool_id, Username=EMAIL, MessageAction="SUPPRESS",
                                         UserAttributes=[{"Name": "email", "Value": EMAIL},
                                                         {"Name": "email_verified", "Value": "true"}])["User"]
        cognito.admin_set_user_password(UserPoolId=pool_id, Username=EMAIL, Password=PASSWORD, Permanent=True)
        common = {"COGNATE_URL": server.url, "POOL_ID": pool_id}
        apps.append(start_webapp(public_port, {**common, "CLIENT_ID": public["ClientId"]}, data / "public.log"))
        apps.append(start_webapp(confidential_port, {**common, "CLIENT_ID": confidential["ClientId"],
                                                     "CLIENT_SECRET": confidential["ClientSecret"]},
                                 data / "confidential.log"))
        for app in apps:
            wait_until_up(app)
        yield Setup(server=server, pool_id=pool_id, username=str(user["Username"]), public=apps[0],
                    confidential=apps[1])
    finally:
        for app in apps:
            app.stop()
        server.kill()
    assert "Traceback" not in server.log(), server.log()[-4000:]


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    yield ctx
    ctx.close()


def _sign_in_through_hosted_ui(page: Any, app: WebApp) -> None:
    page.goto(f"{app.url}/")
    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/login?**")
    assert ".auth.localhost:" in page.url and page.locator("h1").inner_text() == "Sign in"
    assert "code_challenge_method=S256" in page.url and "nonce=" in page.url
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{app.url}/")


def test_sign_in_claims_and_sign_out(setup: Setup, context: Any) -> None:
    app = setup.public
    page = context.new_page()
    page.goto(f"{app.url}/")
    assert page.locator("h1").inner_text() == "Welcome"
    shoot(page, "webapp-welcome")
    _sign_in_through_hosted_ui(page, app)
    main = page.inner_text("main")
    assert page.locator("h1").inner_text() == f"Hello, {EMAIL}", app.log()
    assert EMAIL in main and setup.username in main and "token_use\tid" in main
    cookie = next(c for c in context.cookies() if c["name"] == "webapp_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["domain"] == "localhost"
    shoot(page, "webapp-signed-in")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector("text=You have been signed out")
    assert page.url == f"{app.url}/" and page.locator("h1").inner_text() == "You are signed out"
    shoot(page, "webapp-signed-out")
    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/login?**")
    assert page.locator("h1").inner_text() == "Sign in"  # Cognate's session ended too: the form again
    assert page.get_by_label("Password", exact=True).is_visible()


def test_callback_with_a_forged_state_is_refused(setup: Setup, context: Any) -> None:
    app = setup.public
    page = context.new_page()
    page.goto(f"{app.url}/")
    page.get_by_role("link", name="Sign in").click()
    page.wait_for_url("**/login?**")  # the app now holds a pending sign-in in its cookie
    response = page.goto(f"{app.url}/callback?code=stolen-code&state=forged-state")
    assert response.status == 400
    assert page.locator("h1").inner_text() == "Sign-in failed"
    assert "state does not match" in page.get_by_role("alert").inner_text()
    shoot(page, "webapp-state-refused")
    bare = httpx.get(f"{app.url}/callback", params={"code": "c", "state": "s"})  # no session cookie at all
    assert bare.status_code == 400 and "state does not match" in bare.text
    page.goto(f"{app.url}/")
    assert page.locator("h1").inner_text() == "Welcome"  # nobody got signed in


def test_confidential_client_signs_in_with_its_secret(setup: Setup, context: Any) -> None:
    app = setup.confidential
    page = context.new_page()
    _sign_in_through_hosted_ui(page, app)
    assert page.locator("h1").inner_text() == f"Hello, {EMAIL}", app.log()
    assert setup.username in page.inner_text("main")

"""Browser fixtures: one real `cognate serve` per module (mail to a real aiosmtpd server started here), one
headless Debian Chromium per module driven by Playwright, and a pool set up with the real CLI.

Chromium resolves `*.localhost` to loopback, so pages are visited at `http://{prefix}.auth.localhost:{port}`.
The app's callback (`http://localhost:{free port}/cb`) has no server: the browser's request to it is intercepted.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import need, run_database
from tests.e2e.cognito_api._helpers import KEY_ID, SECRET
from tests.support.browser import CHROMIUM, chromium
from tests.support.processes import Cli, Server, free_port

SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
WIDTHS = {"390": (390, 844), "1280": (1280, 800)}
PASSWORD = "Correct-Horse-9"
CODE_RE = re.compile(r"\b(\d{6})\b")


@dataclass
class Inbox:
    """Messages received by the aiosmtpd server, as (recipient, body)."""

    messages: list[tuple[str, str]] = field(default_factory=list)
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content)
        body = message.get_payload(decode=True)
        text = body.decode() if isinstance(body, bytes) else str(message.get_payload())
        for rcpt in envelope.rcpt_tos:
            self.messages.append((rcpt, text))
        return "250 Message accepted for delivery"

    def code_for(self, to: str, *, after: int = 0) -> str:
        for _ in range(100):
            for rcpt, text in self.messages[after:][::-1]:
                found = CODE_RE.search(text)
                if rcpt == to and found:
                    return found.group(1)
            time.sleep(0.05)
        raise AssertionError(f"no code mailed to {to}: {self.messages}")


@dataclass
class Site:
    server: Server
    cli: Cli
    inbox: Inbox
    pool_id: str
    client_id: str
    host: str
    callback: str
    logout_url: str
    app: AppServer

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.server.port}{path}"

    def query(self, **extra: str) -> str:
        return urlencode({"response_type": "code", "client_id": self.client_id, "redirect_uri": self.callback,
                          "state": "xyz-123", "scope": "openid email", **extra})

    def authorize(self, **extra: str) -> str:
        return self.url(f"/oauth2/authorize?{self.query(**extra)}")


@pytest.fixture(scope="module")
def browser_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database for the module's server: a throw-away PostgreSQL database when asked for, else SQLite."""
    with run_database(tmp_path_factory, "browser") as url:
        yield url


@pytest.fixture(scope="module")
def inbox() -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    handler = Inbox(port=free_port())
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


def _setup(cli: Cli, callback: str, logout_url: str, prefix: str) -> tuple[str, str]:
    pool_id = str(cli.json("pool", "create", "Acme Accounts", "--username-attribute", "email",
                           "--required-attribute", "email", "--required-attribute", "given_name",
                           "--auto-verify", "email")["UserPool"]["Id"])
    client = cli.json("client", "create", pool_id, "Acme Web", "--no-secret", "--callback-url", callback,
                      "--logout-url", logout_url, "--flow", "code", "--flow", "implicit", "--scope", "openid",
                      "--scope", "email", "--scope", "profile", "--idp", "COGNITO",
                      "--pkce-optional")  # these tests drive the pages; test_example_webapp uses PKCE
    client_id = str(client.get("UserPoolClient", client).get("ClientId"))
    cli.run("domain", "create", pool_id, prefix)
    cli.run("user", "create", pool_id, "jane@example.com", "--attribute", "given_name=Jane", "--email-verified",
            "--password", PASSWORD, "--permanent")
    return pool_id, client_id


class AppServer:
    """The relying party's side: a tiny HTTP server on the callback port that records what reaches it."""

    page = b"<!doctype html><title>Acme app</title><h1>Back in the app</h1>"
    logo = (b'<svg xmlns="http://www.w3.org/2000/svg" width="180" height="40"><rect width="40" height="40" rx="8" '
            b'fill="#0a7c3e"/><text x="52" y="28" font-family="sans-serif" font-size="22" fill="#0a7c3e">'
            b"Northwind</text></svg>")

    def __init__(self) -> None:
        self.seen: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                svg = self.path.endswith(".svg")
                if not svg and not self.path.startswith("/favicon"):
                    owner.seen.append(f"http://localhost:{owner.port}{self.path}")
                body = owner.logo if svg else owner.page
                self.send_response(200)
                self.send_header("Content-Type", "image/svg+xml" if svg else "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.httpd.server_address[1])
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def app_server() -> Iterator[AppServer]:
    server = AppServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, browser_database_url: str, inbox: Inbox,
         app_server: AppServer) -> Iterator[Site]:
    need(shutil.which(CHROMIUM) is not None, f"Debian's chromium is not installed at {CHROMIUM}")
    data = tmp_path_factory.mktemp("browser-data")
    port = free_port()
    cli = Cli(data_dir=data, database_url=browser_database_url,
              env={"COGNATE_SMTP_URL": f"smtp://127.0.0.1:{inbox.port}?starttls=off",
                   "COGNATE_PUBLIC_URL": f"http://127.0.0.1:{port}",
                   "COGNATE_ADMIN_ACCESS_KEY_ID": KEY_ID, "COGNATE_ADMIN_SECRET_ACCESS_KEY": SECRET})
    app_port = app_server.port
    callback, logout_url = f"http://localhost:{app_port}/cb", f"http://localhost:{app_port}/bye"
    prefix = f"acme{uuid.uuid4().hex[:6]}"
    pool_id, client_id = _setup(cli, callback, logout_url, prefix)
    server = Server(cli=cli, port=port)
    server.start()
    try:
        yield Site(server=server, cli=cli, inbox=inbox, pool_id=pool_id, client_id=client_id,
                   host=f"{prefix}.auth.localhost", callback=callback, logout_url=logout_url,
                   app=app_server)
    finally:
        server.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def shoot(page: Any, name: str) -> None:
    """A full-page screenshot at 390 px and 1280 px into test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    if original:
        page.set_viewport_size(original)

"""The loopback redirect receiver of `cognate login` (RFC 8252 §7.3): one HTTP listener on 127.0.0.1 that waits
for the browser to arrive at `/callback` with the authorization response, answers it with a page saying where
to go next, and hands the parameters to the waiting command.

Only the loopback interface is bound, so nothing off the machine can reach it; the `state` check (done by the
caller) is what tells the real redirect from any other local request.
"""

from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CALLBACK_PATH = "/callback"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cognate login</title></head>
<body style="font-family: sans-serif; margin: 3em"><h1>{title}</h1><p>{text}</p></body></html>"""


class LoopbackReceiver:
    """Listens from construction (so a busy port is known before any browser opens) until `close()`."""

    def __init__(self, port: int, expected_state: str) -> None:
        self.redirect_uri = f"http://127.0.0.1:{port}{CALLBACK_PATH}"
        self._state = expected_state
        self._arrived = threading.Event()
        self.params: dict[str, str] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def wait(self, timeout: float) -> dict[str, str] | None:
        """The redirect's query parameters, or None when none arrived within `timeout` seconds."""
        return self.params if self._arrived.wait(timeout) else None

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, query: dict[str, str]) -> tuple[int, str, str]:
        """(status, title, text) for the browser; the first redirect with our state (or any error) ends the wait."""
        if query.get("state") != self._state:
            self._finish(query)
            return 400, "Sign-in refused", "This redirect does not belong to the sign-in the terminal started."
        self._finish(query)
        if "error" in query:
            return 400, "Sign-in failed", f"{query['error']}: {query.get('error_description', '')}"
        return 200, "Signed in", "You can close this tab and return to the terminal."

    def _finish(self, query: dict[str, str]) -> None:
        if not self._arrived.is_set():
            self.params = query
            self._arrived.set()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != CALLBACK_PATH:
                    self._page(404, "Not found", "Nothing here.")
                    return
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                self._page(*receiver._answer(query))

            def _page(self, status: int, title: str, text: str) -> None:
                body = PAGE.format(title=html.escape(title), text=html.escape(text)).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("Referrer-Policy", "no-referrer")  # the code is in this page's URL
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """Silent: the command's own output is the report."""

        return Handler

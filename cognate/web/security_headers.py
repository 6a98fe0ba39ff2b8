"""Security headers for HTML surfaces (OWASP Secure Headers): a strict CSP with no scripts, no framing,
no referrer to other sites, no sniffing, HSTS on https and `Cache-Control: no-store` on pages (not on static files).
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' https: http://localhost:* "
       "http://127.0.0.1:*; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'")
HSTS = "max-age=31536000; includeSubDomains"


def _https(scope: Scope) -> bool:
    if scope.get("scheme") == "https":
        return True
    app = scope.get("app")
    deps = getattr(getattr(app, "state", None), "deps", None)
    return str(getattr(deps, "public_url", "")).startswith("https://")


class SecurityHeadersMiddleware:
    """Wraps one route (Starlette `Route(..., middleware=[...])`); `cache` False adds `no-store`."""

    def __init__(self, app: ASGIApp, *, cache: bool = False) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = _https(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._add(MutableHeaders(scope=message), https)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _add(self, headers: MutableHeaders, https: bool) -> None:
        headers["Content-Security-Policy"] = CSP
        headers["X-Frame-Options"] = "DENY"
        # Not "no-referrer": under it browsers send `Origin: null` with the page's own form posts (Fetch, "serializing
        # a request origin"), which the Origin check in `web.csrf` must refuse.
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if https:
            headers["Strict-Transport-Security"] = HSTS
        if not self.cache:
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"

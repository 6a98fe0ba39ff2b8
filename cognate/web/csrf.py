"""CSRF protection for HTML forms: a random value in a cookie and an itsdangerous-signed copy in a hidden field.

A POST is accepted only when its `_csrf` field carries a token signed with the deployment's key (derived from
`COGNATE_SECRET_KEY`), younger than `MAX_AGE`, naming the value of this browser's CSRF cookie (OWASP "signed
double-submit cookie"). The cookie is host-only, so a token of one pool domain is foreign on another.

A sibling site that can plant cookies defeats a double-submit cookie, so a POST must also not come from a foreign
`Origin` (OWASP CSRF cheat sheet, "Verifying origin with standard headers"): a present Origin must be the public URL's
or the one of the Host the request came to; `null` is foreign; a missing one passes (no-JS and old browsers).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

FIELD = "_csrf"
MAX_AGE = 2 * 3600
PLAIN_COOKIE = "cognate_csrf"
SECURE_COOKIE = "__Host-cognate_csrf"


def cookie_name(https: bool) -> str:
    return SECURE_COOKIE if https else PLAIN_COOKIE


@dataclass(frozen=True)
class CsrfToken:
    """The hidden-field value for a page and, when the browser had no CSRF cookie yet, the cookie to set."""

    value: str
    new_cookie: str | None = None

    def set_cookie(self, response: Response, *, https: bool) -> None:
        if self.new_cookie:
            response.set_cookie(cookie_name(https), self.new_cookie, path="/", httponly=True, secure=https,
                                samesite="lax")


class Csrf:
    def __init__(self, key: bytes) -> None:
        self._serializer = URLSafeTimedSerializer(key, salt="cognate-csrf")

    def token(self, request: Request, *, https: bool) -> CsrfToken:
        current = request.cookies.get(cookie_name(https))
        if current and 16 <= len(current) <= 128:
            return CsrfToken(self._serializer.dumps(current))
        fresh = secrets.token_urlsafe(32)
        return CsrfToken(self._serializer.dumps(fresh), new_cookie=fresh)

    def valid(self, request: Request, submitted: str | None, *, https: bool) -> bool:
        cookie = request.cookies.get(cookie_name(https))
        if not cookie or not submitted:
            return False
        try:
            named = self._serializer.loads(submitted, max_age=MAX_AGE)
        except BadData:
            return False
        return isinstance(named, str) and hmac.compare_digest(named.encode(), cookie.encode())


DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def _origin(scheme: str, netloc: str) -> str:
    scheme, netloc = scheme.lower(), netloc.lower()
    return f"{scheme}://{netloc.removesuffix(DEFAULT_PORTS.get(scheme, '-'))}"


def same_origin(request: Request, *, public_url: str, https: bool) -> bool:
    """True unless the request names an Origin that is neither the public URL's nor its own Host's (RFC 6454)."""
    sent = request.headers.get("origin")
    if sent is None:
        return True
    parts = urlsplit(public_url)
    own = {_origin(parts.scheme, parts.netloc), _origin("https" if https else "http", request.headers.get("host", ""))}
    return sent.strip().lower() in own

"""A pool's discovery document and JWKS as rendered bytes with their ETag, kept for up to a second (the bound on
configuration changes, ARCHITECTURE.md), and a fast path that answers GETs of them before Starlette's routing.

These are the most requested documents of an identity provider (every resource server fetches the JWKS); from the
rendered copy they skip the router, a `Request`, a `JSONResponse` and a fresh SHA-256, several times the cost of
the answer itself (README "Measured costs").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from cognate.oauth.discovery import discovery_document, public_keys
from cognate.oauth.vocab import ANY_ORIGIN
from cognate.services.deps import Deps
from cognate.services.memo import Cached
from cognate.web.etag import none_match, strong_etag
from cognate.web.observe import ROUTE_LABEL

PUBLIC_CACHE = [(b"cache-control", b"public, max-age=1"),
                *((name.lower().encode(), value.encode()) for name, value in ANY_ORIGIN.items())]
# The last path segment → (memo kind of the rendered copy, memo kind its source is remembered under, route label)
DOCUMENTS = {
    "openid-configuration": (Cached.DISCOVERY_DOC, Cached.BASE_URL, "/{pool_id}/.well-known/openid-configuration"),
    "jwks.json": (Cached.JWKS_DOC, Cached.KEYS, "/{pool_id}/.well-known/jwks.json"),
}


Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    full: Headers  # the headers of a 200 and of a 304, made once
    unchanged: Headers

    def answer(self, if_none_match: str | None) -> tuple[int, Headers, bytes]:
        """(status, headers, body): the document, or 304 without a body when the client already has it.
        The header lists are the copy's own: a list ASGI middleware may append to (a request id) is a new one."""
        if none_match(if_none_match, self.etag):
            return 304, list(self.unchanged), b""
        return 200, list(self.full), self.body


def _render(content: Any) -> Rendered:
    body = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()
    etag = strong_etag(body)
    unchanged = [*PUBLIC_CACHE, (b"etag", etag.encode())]
    full = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *unchanged]
    return Rendered(body=body, etag=etag, full=full, unchanged=unchanged)


def remembered(deps: Deps, pool_id: str, name: str) -> Rendered | None:
    """The rendered copy while fresh: it lives no longer than the value it was rendered from (`Memo.put`)."""
    found: Rendered | None = deps.memo.get(DOCUMENTS[name][0], pool_id)
    return found


async def rendered(deps: Deps, pool_id: str, name: str) -> Rendered:
    """The document `name` of a pool; raises ResourceNotFoundException for an unknown pool."""
    found = remembered(deps, pool_id, name)
    if found is not None:
        return found
    kind, source, _ = DOCUMENTS[name]
    content = await (public_keys(deps, pool_id) if name == "jwks.json" else discovery_document(deps, pool_id))
    found = _render(content)
    deps.memo.put(kind, pool_id, found, read_at=deps.memo.read_at(source, pool_id))
    return found


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return str(value.decode("latin-1"))
    return None


class WellKnownFastPath:
    """Answers `GET /{pool}/.well-known/(openid-configuration|jwks.json)` from a rendered copy when one is fresh;
    everything else, and a miss (which the route then renders and remembers), goes on to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self._fresh(scope) if scope["type"] == "http" and scope["method"] == "GET" else None
        if found is None:
            await self.app(scope, receive, send)
            return
        document, name = found
        scope[ROUTE_LABEL] = DOCUMENTS[name][2]
        status, headers, body = document.answer(_header(scope, b"if-none-match"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _fresh(scope: Scope) -> tuple[Rendered, str] | None:
        parts = scope["path"].split("/")
        if len(parts) != 4 or parts[2] != ".well-known" or parts[3] not in DOCUMENTS:
            return None
        deps: Deps = scope["app"].state.deps
        document = remembered(deps, parts[1], parts[3])
        return None if document is None else (document, parts[3])

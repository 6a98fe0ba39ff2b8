"""Bare-ASGI request and response helpers for the few endpoints that skip Starlette's Request and Response.

The token endpoint is the busiest door of an identity service (every machine client calls it before every API
call), and building Starlette's Request, Headers and JSONResponse objects costs about as much as all of its own
Python work besides the signature (README "Measured costs"). These helpers read exactly what such an endpoint
needs from the ASGI scope and messages, and write a finished response in two messages.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

Headers = list[tuple[bytes, bytes]]


class BodyTooLarge(Exception):
    """The request body exceeded the endpoint's limit (reading stopped there)."""


class Disconnected(Exception):
    """The client went away before its request body arrived."""


def request_headers(scope: Scope, names: Iterable[bytes]) -> dict[bytes, str]:
    """The first value of each wanted header (ASGI names are lower-case), decoded as latin-1 like Starlette."""
    wanted = set(names)
    found: dict[bytes, str] = {}
    for name, value in scope["headers"]:
        if name in wanted and name not in found:
            found[name] = value.decode("latin-1")
    return found


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body, refusing one longer than `limit` bytes as soon as it is known to be."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def read_request_body(request: Request, limit: int) -> bytes:
    """`read_body` for a Starlette endpoint: the one bounded body read of every door, with a declared
    Content-Length over the limit refused before anything is read. The body is read once, from the ASGI messages:
    the request's own `body()`/`form()` must not be called after it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    return await read_body(request.receive, limit)


def encode_headers(headers: dict[str, str]) -> Headers:
    """Response headers in ASGI form, encoded once (at import) instead of per response."""
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


async def send_response(send: Send, status: int, headers: Headers, body: bytes) -> None:
    """A complete response: `headers` plus the body's Content-Length."""
    await send({"type": "http.response.start", "status": status,
                "headers": [*headers, (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})

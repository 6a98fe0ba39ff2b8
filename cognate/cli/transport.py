"""uvicorn's httptools protocol with one `send` per small response instead of two.

uvicorn writes the status line and headers as soon as the app starts its response, and the body when it comes:
two `send(2)` calls and two TCP segments for a token response of under 2 KB. On loopback each costs a large share
of the token endpoint's whole CPU (README "Measured costs"). `CoalescingTransport`
holds a header block until the next write (normally the body, in the same event-loop turn) and sends both
together; a held block is sent at the end of the turn anyway, so nothing waits on a slow body.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class CoalescingTransport:
    """Wraps a transport: a write ending a header block waits for the next write or the next loop turn."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._held: bytes | None = None
        self._flush_soon: asyncio.Handle | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            if self._flush_soon is not None:
                self._flush_soon.cancel()
                self._flush_soon = None
            self._transport.write(held + bytes(data))
        elif data[:5] == b"HTTP/" and data[-4:] == b"\r\n\r\n":
            self._held = bytes(data)
            self._flush_soon = asyncio.get_running_loop().call_soon(self.flush)
        else:
            self._transport.write(data)

    def flush(self) -> None:
        self._flush_soon = None
        if self._held is not None:
            held, self._held = self._held, None
            self._transport.write(held)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:  # is_closing, get_extra_info, pause_reading, set_protocol, ...
        return getattr(self._transport, name)


class CoalescingHttpProtocol(HttpToolsProtocol):
    """`uvicorn.Config(http=CoalescingHttpProtocol)`: httptools parsing, coalesced response writes."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:  # uvloop's is no asyncio.Transport
        super().connection_made(CoalescingTransport(cast(asyncio.Transport, transport)))  # type: ignore[arg-type]

"""`CoalescingTransport`: a header block waits for the body and both leave in one write; anything else passes
straight through; a block with no body behind it still leaves at the end of the loop turn."""

from __future__ import annotations

import asyncio
from typing import cast

from cognate.cli.transport import CoalescingTransport

HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"


class Recorder:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def wrap() -> tuple[CoalescingTransport, Recorder]:
    inner = Recorder()
    return CoalescingTransport(cast(asyncio.Transport, inner)), inner


async def test_headers_and_body_leave_in_one_write() -> None:
    transport, inner = wrap()
    transport.write(HEAD)
    assert inner.writes == []
    transport.write(b"{}")
    assert inner.writes == [HEAD + b"{}"]
    await asyncio.sleep(0)
    assert inner.writes == [HEAD + b"{}"]  # the end-of-turn flush was called off


async def test_a_lone_header_block_leaves_at_the_end_of_the_turn() -> None:
    transport, inner = wrap()
    transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    await asyncio.sleep(0)
    assert inner.writes == [b"HTTP/1.1 100 Continue\r\n\r\n"]


async def test_other_writes_pass_through_and_close_flushes_first() -> None:
    transport, inner = wrap()
    transport.write(b"chunk")
    assert inner.writes == [b"chunk"]
    transport.write(HEAD)
    transport.close()
    assert inner.writes == [b"chunk", HEAD] and inner.closed
    assert transport.is_closing()  # everything else is the wrapped transport's

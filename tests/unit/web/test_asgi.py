"""The one bounded body read (web.asgi): a body over the limit is refused as soon as it is known to be, declared or
streamed, and a client that leaves mid-body is told apart from one that sent too much."""

from __future__ import annotations

import pytest
from starlette.requests import Request
from starlette.types import Message

from cognate.web.asgi import BodyTooLarge, Disconnected, read_body, read_request_body


class Messages:
    """An ASGI `receive` that hands out the given messages and counts how many were asked for."""

    def __init__(self, *messages: Message) -> None:
        self.messages, self.taken = list(messages), 0

    async def __call__(self) -> Message:
        self.taken += 1
        return self.messages.pop(0)


def chunk(body: bytes, more: bool) -> Message:
    return {"type": "http.request", "body": body, "more_body": more}


def request(receive: Messages, content_length: int | None = None) -> Request:
    headers = [] if content_length is None else [(b"content-length", str(content_length).encode())]
    return Request({"type": "http", "method": "POST", "headers": headers}, receive)


async def test_a_streamed_body_is_joined_up_to_the_limit() -> None:
    assert await read_body(Messages(chunk(b"ab", True), chunk(b"cd", False)), 4) == b"abcd"


async def test_reading_stops_at_the_chunk_that_passes_the_limit() -> None:
    receive = Messages(chunk(b"abc", True), chunk(b"de", True), chunk(b"never read", False))
    with pytest.raises(BodyTooLarge):
        await read_body(receive, 4)
    assert receive.taken == 2


async def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    receive = Messages(chunk(b"x", False))
    with pytest.raises(BodyTooLarge):
        await read_request_body(request(receive, content_length=5), 4)
    assert receive.taken == 0


async def test_a_request_without_declared_length_is_bounded_while_streaming() -> None:
    with pytest.raises(BodyTooLarge):
        await read_request_body(request(Messages(chunk(b"abc", True), chunk(b"de", False))), 4)
    assert await read_request_body(request(Messages(chunk(b"abcd", False)), content_length=4), 4) == b"abcd"


async def test_a_client_gone_mid_body_is_disconnected_not_too_large() -> None:
    with pytest.raises(Disconnected):
        await read_request_body(request(Messages(chunk(b"ab", True), {"type": "http.disconnect"})), 4)

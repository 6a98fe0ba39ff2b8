"""The outermost middleware tells the use cases who is calling: what `services.caller.request_info` reads inside a
request is the caller's address, user agent and door (the one value the web layer sets and services read)."""

from __future__ import annotations

from contextvars import Context

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from cognate.services.caller import RequestInfo, request_info
from cognate.web.observe import ObserveMiddleware


class Recorder:
    """An ASGI app standing for the surfaces: answers 204 and keeps what a use case would have read."""

    def __init__(self) -> None:
        self.seen: list[RequestInfo] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.seen.append(request_info.get())
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


@pytest.mark.parametrize(("path", "door"), [("/oauth2/token", "oauth"), ("/", "api"), ("/login", "hosted_ui")])
async def test_a_request_sets_the_caller_the_use_cases_read(path: str, door: str) -> None:
    inner = Recorder()
    transport = httpx.ASGITransport(app=ObserveMiddleware(inner), client=("203.0.113.5", 4711))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        answer = await http.post(path, headers={"user-agent": "probe/1.0"})
    assert answer.status_code == 204 and answer.headers["x-amzn-requestid"]
    assert inner.seen == [RequestInfo(ip="203.0.113.5", user_agent="probe/1.0", door=door)]


def test_outside_a_request_the_caller_is_the_cli() -> None:
    assert Context().run(request_info.get) == RequestInfo(ip=None, user_agent=None, door="cli")

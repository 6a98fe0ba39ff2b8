"""The outermost middleware: a request id on every response, the caller's IP and agent for the audit trail,
Prometheus request metrics and the access log — one wrapper instead of three, since each ASGI layer costs
about as much as serving a cached JWKS (README "Measured costs")."""

from __future__ import annotations

import time
import uuid
from itertools import count

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cognate.services.caller import RequestInfo, request_info
from cognate.web.logging import ACCESS_LOG
from cognate.web.metrics import observe_request

ROUTE_LABEL = "cognate.route"  # scope key: the route label of a request answered before Starlette's router
# Scope keys a surface sets for the access log: the JSON API operation, and why a request was refused (the Cognito
# exception name or the OAuth error code; a name from a fixed vocabulary, never the request's own data).
OPERATION = "cognate.operation"
REASON = "cognate.reason"
# Request ids in UUID form: a random version-4 prefix per process and a counter, unique across processes and
# restarts without a uuid4() per request (they identify, they need not be unguessable).
_ID_PREFIX = str(uuid.uuid4())[:24]
_ids = count(1)


def _request_info(scope: Scope) -> RequestInfo:
    client = scope.get("client")
    path = scope.get("path", "")
    door = "oauth" if path.startswith("/oauth2/") else "api" if path == "/" else "hosted_ui"
    agent = None
    for name, value in scope.get("headers") or ():
        if name == b"user-agent":
            agent = value.decode("latin-1")[:512] or None
            break
    return RequestInfo(ip=client[0] if client else None, user_agent=agent, door=door)


def route_label(scope: Scope) -> str:
    label = scope.get(ROUTE_LABEL)
    if label is not None:
        return str(label)
    path = getattr(scope.get("route"), "path", None)
    return str(path) if path else "unmatched"


class ObserveMiddleware:
    """Adds `x-amzn-RequestId` (botocore reads it); counts and times the request; logs method, path, status,
    duration and what the surface noted (`OPERATION`, `REASON`), never the query string (it can hold codes and
    tokens)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = f"{_ID_PREFIX}{next(_ids) % 0x1000000000000:012x}"
        header = (b"x-amzn-requestid", request_id.encode())
        scope.setdefault("state", {})["request_id"] = request_id
        request_info.set(_request_info(scope))
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append(header)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            observe_request(route_label(scope), status, seconds)
            if ACCESS_LOG.enabled:
                ACCESS_LOG.write(request_id, scope["method"], scope["path"], status, seconds * 1000,
                                 scope.get(OPERATION), scope.get(REASON))

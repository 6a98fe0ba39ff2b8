"""How a surface hands an error to the app's exception handlers (`app.py` renders, e.g., a database outage).

The surfaces do not import the store, so they cannot name its `Unavailable`; they ask whether the app handles
an exception and, if so, re-raise it. The app then calls the renderer the surface registered for that route.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

Renderer = Callable[[Request], Awaitable[Response]]


def app_handles(request: Request, exc: Exception) -> bool:
    """Whether `app.py` wired a handler for this exception type (other than the catch-all for Exception)."""
    handlers = getattr(request.app, "exception_handlers", {})
    return any(cls in handlers for cls in type(exc).__mro__ if cls is not Exception)


__all__ = ["Renderer", "app_handles"]

"""Who is calling: the caller's IP, user agent and door, for the duration of one request.

The web layer sets it (`web/observe.py`, the outermost middleware, once per HTTP request) and use cases read it:
the audit trail records it (`audit.record`), rate limits count by its IP (`rate_limit`). A `ContextVar` rather than
an argument, because every use case a door calls would otherwise thread one more parameter through to the few
that record or count; a context var follows the request's task (and its `await`s) and nothing else.

Its home is a module of its own in `services`, the lowest layer that needs it: not `web`, since services must
never import the layers above them (dependencies point down only); not `domain`, whose rules take what they need
as arguments and keep no ambient state; not `audit`, since rate limits read it too. A call that no request set
(the CLI, a test) reads the default: door "cli", no IP or agent.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import NamedTuple


class RequestInfo(NamedTuple):
    """Who is calling (a tuple: made on every request, so as cheap as it gets)."""

    ip: str | None = None
    user_agent: str | None = None
    door: str = "cli"  # api, oauth, hosted_ui, cli


request_info: ContextVar[RequestInfo] = ContextVar(
    "cognate_request_info", default=RequestInfo()  # noqa: B039 - immutable, so safe to share
)

"""One module per operation group of the JSON API; each maps operation names to thin handlers (spec §6)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from cognate.cognito_api.shapes import Params
from cognate.services.deps import Deps

Result = dict[str, Any]
Handler = Callable[[Deps, Params], Awaitable[Result]]


def page(result: Result, key: str, token: str | None) -> Result:
    """A list response; the token member is left out on the last page, as Cognito does."""
    if token is not None:
        result[key] = token
    return result


__all__ = ["Handler", "Params", "Result", "page"]

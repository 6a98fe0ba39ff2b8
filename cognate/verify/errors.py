"""The one exception of `cognate.verify`: a token that must not be trusted, whatever the reason."""

from __future__ import annotations


class TokenInvalid(Exception):
    """The token must not be trusted; `reason` says why (for logs, not for the caller's client)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

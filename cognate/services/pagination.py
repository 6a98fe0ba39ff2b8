"""Opaque pagination tokens of the List* operations (Cognito's NextToken / PaginationToken)."""

from __future__ import annotations

import base64
import json

from cognate.domain.errors import InvalidParameterException


def encode_token(after: str) -> str:
    """A token naming the last item of a page; the next page starts after it."""
    return base64.urlsafe_b64encode(json.dumps({"a": after}).encode()).decode()


def decode_token(token: str | None) -> str | None:
    if not token:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(token.encode()))["a"]
    except (ValueError, KeyError, TypeError):
        raise InvalidParameterException("Invalid pagination token") from None
    if not isinstance(value, str):
        raise InvalidParameterException("Invalid pagination token")
    return value

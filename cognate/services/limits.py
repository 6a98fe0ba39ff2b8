"""The bounds of a request's page size (MaxResults, Limit): Cognito refuses a value outside them."""

from __future__ import annotations

from cognate.domain.errors import InvalidParameterException


def check_limit(value: int | None, *, default: int, low: int, high: int, field: str) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidParameterException(f"{field} must be between {low} and {high}")
    return value

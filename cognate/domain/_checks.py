"""Small helpers that raise Cognito's InvalidParameterException with Cognito-like wording."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from cognate.domain.errors import InvalidParameterException

NAME_RE = re.compile(r"^[\w\s+=,.@-]+$")
# ArnType of the botocore model (certificate and role ARNs).
ARN_RE = re.compile(
    r"^arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?$"
)


def fail(message: str) -> InvalidParameterException:
    return InvalidParameterException(message)


def check_name(value: object, field: str, *, max_len: int = 128, pattern: re.Pattern[str] = NAME_RE) -> str:
    if not isinstance(value, str) or not value:
        raise fail(
            f"1 validation error detected: Value at '{field}' failed to satisfy constraint: Member must not be null"
        )
    if len(value) > max_len:
        raise fail(
            f"1 validation error detected: Value '{value[:40]}' at '{field}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {max_len}"
        )
    if not pattern.fullmatch(value):  # fullmatch: `$` alone also accepts a trailing newline
        raise fail(
            f"1 validation error detected: Value '{value[:40]}' at '{field}' failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: {pattern.pattern}"
        )
    return value


def check_int(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise fail(f"{field} must be an integer")
    if not low <= value <= high:
        raise fail(f"{field} must be between {low} and {high}")
    return value


def check_bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise fail(f"{field} must be a boolean")
    return value


def check_str_list(value: object, field: str, *, max_items: int = 100) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise fail(f"{field} must be a list of strings")
    if len(value) > max_items:
        raise fail(f"{field} must have at most {max_items} items")
    return tuple(dict.fromkeys(value))


def check_choices(values: tuple[str, ...], field: str, allowed: frozenset[str]) -> tuple[str, ...]:
    for value in values:
        if value not in allowed:
            raise fail(f"Invalid {field}: {value}. Allowed values: {', '.join(sorted(allowed))}")
    return values


def mapping(value: object, field: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise fail(f"{field} must be an object")
    return value


def check_text(value: object, field: str, *, max_len: int) -> str:
    if not isinstance(value, str) or not value:
        raise fail(f"{field} must be a non-empty string")
    if len(value) > max_len:
        raise fail(f"{field} must have length less than or equal to {max_len}")
    return value

"""Request checks from botocore's cognito-idp model: required members, JSON types, lengths, ranges, enums (spec §6).

Cognito answers these with `InvalidParameterException` "1 validation error detected: Value null at 'userPoolId'
failed to satisfy constraint: Member must not be null". The model's Java regex patterns are not checked here;
the domain applies the patterns that matter with its own messages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from botocore.loaders import create_loader
from botocore.model import ServiceModel

from cognate.domain.errors import InvalidParameterException

Params = Mapping[str, Any]
JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "blob": (str,), "boolean": (bool,), "integer": (int,), "long": (int,),
    "float": (int, float), "double": (int, float), "timestamp": (int, float, str),
    "list": (list,), "map": (dict,), "structure": (dict,),
}
SHOWN_VALUE_CHARS = 256


@lru_cache(maxsize=1)
def service_model() -> Any:
    return ServiceModel(create_loader().load_service_model("cognito-idp", "service-2"))


def in_model(operation: str) -> bool:
    return operation in service_model().operation_names


def _show(shape: Any, value: object) -> str:
    """`Value 'x' at` ; sensitive members (passwords, usernames) and containers are not echoed, as in Cognito."""
    if shape.metadata.get("sensitive") or isinstance(value, list | dict):
        return "Value"
    return f"Value '{str(value)[:SHOWN_VALUE_CHARS]}'"


def _size(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return len(value) if isinstance(value, str | list | dict) else None


def _bounds(shape: Any, value: object, path: str) -> Iterator[str]:
    low, high, enum = shape.metadata.get("min"), shape.metadata.get("max"), shape.metadata.get("enum")
    what = "value" if shape.type_name in ("integer", "long") else "length"
    size = _size(value)
    prefix = f"{_show(shape, value)} at '{path}' failed to satisfy constraint: Member must"
    if size is not None and low is not None and size < low:
        yield f"{prefix} have {what} greater than or equal to {low}"
    if size is not None and high is not None and size > high:
        yield f"{prefix} have {what} less than or equal to {high}"
    if enum and value not in enum:
        yield f"{prefix} satisfy enum value set: [{', '.join(enum)}]"


def _value(shape: Any, value: object, path: str) -> Iterator[str]:
    expected = JSON_TYPES.get(shape.type_name, (object,))
    if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
        kind = shape.type_name
        yield f"{_show(shape, value)} at '{path}' failed to satisfy constraint: Member must be of type {kind}"
        return
    yield from _bounds(shape, value, path)
    if isinstance(value, dict) and shape.type_name == "structure":
        yield from _structure(shape, value, f"{path}.")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _value(shape.key, key, f"{path}.key")
            yield from _value(shape.value, item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            yield from _value(shape.member, item, f"{path}.{index}.member")


def _structure(shape: Any, value: Params, prefix: str) -> Iterator[str]:
    for name, member in shape.members.items():
        path = prefix + name[:1].lower() + name[1:]
        item = value.get(name)
        if item is None and name in shape.required_members:
            yield f"Value null at '{path}' failed to satisfy constraint: Member must not be null"
        elif item is not None:
            yield from _value(member, item, path)


def check_request(operation: str, params: Params) -> None:
    """Every problem at once, numbered as Cognito numbers them."""
    problems = list(_structure(service_model().operation_model(operation).input_shape, params, ""))
    if problems:
        count = f"{len(problems)} validation error{'s' if len(problems) > 1 else ''} detected: "
        raise InvalidParameterException(count + "; ".join(problems))


# Typed reads of a request that `check_request` has accepted.

def text(params: Params, name: str) -> str:
    return str(params[name])


def opt_text(params: Params, name: str) -> str | None:
    value = params.get(name)
    return None if value is None else str(value)


def opt_int(params: Params, name: str) -> int | None:
    value = params.get(name)
    return None if value is None else int(value)


def flag(params: Params, name: str, *, default: bool = False) -> bool:
    value = params.get(name)
    return default if value is None else bool(value)


def names(params: Params, name: str) -> list[str] | None:
    value = params.get(name)
    return None if value is None else [str(v) for v in value]


def string_map(params: Params, name: str) -> dict[str, str]:
    """A `map<string, string>` member (AuthParameters, ChallengeResponses); absent is empty."""
    value = params.get(name) or {}
    return {str(k): str(v) for k, v in value.items()}

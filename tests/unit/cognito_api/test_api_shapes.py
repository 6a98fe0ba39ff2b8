"""The checks that read `api_shapes.json` answer as the same checks over botocore's own model would (spec §6).
That the file is what `scripts/gen_api_shapes.py` makes from the installed botocore: tests/scripts."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.auth import SIGV4_TIMESTAMP
from botocore.loaders import create_loader
from botocore.model import ServiceModel

from cognate.cognito_api import shapes, sigv4
from cognate.domain.errors import InvalidParameterException


def test_sigv4_timestamp_format_is_botocores() -> None:
    assert sigv4.SIGV4_TIMESTAMP == SIGV4_TIMESTAMP


# The reference: the same checks, written against botocore's ServiceModel as they were before the compact file.

def _ref_show(shape: Any, value: object) -> str:
    if shape.metadata.get("sensitive") or isinstance(value, list | dict):
        return "Value"
    return f"Value '{str(value)[:256]}'"


def _ref_value(shape: Any, value: object, path: str) -> Iterator[str]:
    expected = shapes.JSON_TYPES.get(shape.type_name, (object,))
    if not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected):
        yield f"{_ref_show(shape, value)} at '{path}' failed to satisfy constraint: Member must be of type " \
              f"{shape.type_name}"
        return
    low, high, enum = shape.metadata.get("min"), shape.metadata.get("max"), shape.metadata.get("enum")
    what = "value" if shape.type_name in ("integer", "long") else "length"
    size = shapes._size(value)
    prefix = f"{_ref_show(shape, value)} at '{path}' failed to satisfy constraint: Member must"
    if size is not None and low is not None and size < low:
        yield f"{prefix} have {what} greater than or equal to {low}"
    if size is not None and high is not None and size > high:
        yield f"{prefix} have {what} less than or equal to {high}"
    if enum and value not in enum:
        yield f"{prefix} satisfy enum value set: [{', '.join(enum)}]"
    if isinstance(value, dict) and shape.type_name == "structure":
        yield from _ref_structure(shape, value, f"{path}.")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _ref_value(shape.key, key, f"{path}.key")
            yield from _ref_value(shape.value, item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            yield from _ref_value(shape.member, item, f"{path}.{index}.member")


def _ref_structure(shape: Any, value: dict[str, Any], prefix: str) -> Iterator[str]:
    for name, member in shape.members.items():
        path = prefix + name[:1].lower() + name[1:]
        item = value.get(name)
        if item is None and name in shape.required_members:
            yield f"Value null at '{path}' failed to satisfy constraint: Member must not be null"
        elif item is not None:
            yield from _ref_value(member, item, path)


def _request(rng: random.Random, shape: Any, depth: int = 0) -> Any:
    """Mostly well-typed values with wrong types, bounds and enum values mixed in."""
    if rng.random() < 0.15 or depth > 4:
        return rng.choice([None, 1, -5, 10**12, 1.5, True, "x", "", "A" * 300, [], {}, ["a"], {"k": "v"}])
    kind = shape.type_name
    if kind == "structure":
        return {name: _request(rng, member, depth + 1) for name, member in shape.members.items() if rng.random() < .6}
    if kind == "list":
        return [_request(rng, shape.member, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind == "map":
        keys = [rng.choice(["a", "", "k" * 200]) for _ in range(rng.randint(0, 3))]
        return {key: _request(rng, shape.value, depth + 1) for key in keys}
    if kind == "string":
        enum = shape.metadata.get("enum")
        return rng.choice(enum) if enum and rng.random() < 0.5 else "s" * rng.choice([0, 1, 3, 20, 129, 300, 2100])
    if kind in ("integer", "long"):
        return rng.choice([-1, 0, 1, 5, 60, 3650, 10**9, 2**40])
    return rng.choice([True, False, "x", 3])


@pytest.fixture(scope="module")
def botocore_model() -> Any:
    return ServiceModel(create_loader().load_service_model("cognito-idp", "service-2"))


def test_operation_names_match_botocore(botocore_model: Any) -> None:
    assert shapes.service_model().operation_names == list(botocore_model.operation_names)


def test_messages_match_checks_over_botocores_model(botocore_model: Any) -> None:
    rng = random.Random(6)
    for operation in botocore_model.operation_names:
        input_shape = botocore_model.operation_model(operation).input_shape
        for _ in range(40):
            params = _request(rng, input_shape)
            params = params if isinstance(params, dict) else {}
            expected = list(_ref_structure(input_shape, params, ""))
            if not expected:
                shapes.check_request(operation, params)
                continue
            with pytest.raises(InvalidParameterException) as raised:
                shapes.check_request(operation, params)
            count = f"{len(expected)} validation error{'s' if len(expected) > 1 else ''} detected: "
            assert raised.value.message == count + "; ".join(expected), (operation, params)

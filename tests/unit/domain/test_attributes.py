"""Attribute schema and value rules (guide: user-pool-settings-attributes)."""

from __future__ import annotations

from typing import Any

import pytest

from cognate.domain.attributes import (
    STANDARD_ATTRIBUTES,
    STANDARD_NAMES,
    SchemaAttribute,
    attribute_list,
    build_schema,
    parse_attribute_list,
    parse_schema_attribute,
    validate_value,
)
from cognate.domain.errors import InvalidParameterException


def by_name(schema: tuple[SchemaAttribute, ...]) -> dict[str, SchemaAttribute]:
    return {a.name: a for a in schema}


# --- schema parsing ------------------------------------------------------------------------------


def test_default_schema_is_the_standard_attributes() -> None:
    schema = build_schema(None)
    assert schema == STANDARD_ATTRIBUTES
    assert {"sub", "email", "email_verified", "phone_number", "updated_at"} <= STANDARD_NAMES


def test_custom_attribute_gets_prefix() -> None:
    assert parse_schema_attribute({"Name": "tier"}).name == "custom:tier"
    assert parse_schema_attribute({"Name": "custom:tier"}).name == "custom:tier"


def test_custom_attribute_defaults() -> None:
    attr = parse_schema_attribute({"Name": "tier", "AttributeDataType": "String"})
    assert attr == SchemaAttribute("custom:tier", "String", mutable=True, required=False, min_length=0,
                                   max_length=2048)


def test_custom_number_constraints_parsed() -> None:
    attr = parse_schema_attribute({"Name": "age", "AttributeDataType": "Number",
                                   "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "10"}})
    assert (attr.min_value, attr.max_value, attr.min_length) == (1, 10, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"Name": ""}, "Name is required"),
        ({"Name": "x", "AttributeDataType": "Float"}, "Invalid AttributeDataType 'Float'"),
        ({"Name": "a" * 21}, "Invalid custom attribute name"),
        ({"Name": "custom:bad name"}, "Invalid custom attribute name"),
        ({"Name": "tier\n"}, "Invalid custom attribute name"),
        ({"Name": "tier", "Required": True}, "Required custom attributes are not supported"),
        ({"Name": "tier", "Mutable": "yes"}, "Mutable must be a boolean"),
        ({"Name": "tier", "StringAttributeConstraints": {"MinLength": "5", "MaxLength": "2"}}, "must not exceed"),
        ({"Name": "tier", "StringAttributeConstraints": {"MinLength": "x"}}, "MinLength must be a number"),
    ],
)
def test_bad_schema_attribute_refused(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidParameterException, match=message):
        parse_schema_attribute(raw)


def test_custom_name_of_20_chars_accepted() -> None:
    assert parse_schema_attribute({"Name": "a" * 20}).name == "custom:" + "a" * 20


def test_standard_attribute_made_required() -> None:
    schema = by_name(build_schema([{"Name": "email", "AttributeDataType": "String", "Required": True}]))
    assert schema["email"].required and not schema["email"].is_custom
    assert not schema["phone_number"].required


def test_standard_attribute_keeps_its_type_and_constraints() -> None:
    schema = by_name(build_schema([{"Name": "updated_at", "Required": True}, {"Name": "birthdate", "Required": True},
                                   {"Name": "email_verified", "Mutable": True}]))
    assert (schema["updated_at"].data_type, schema["updated_at"].min_value) == ("Number", 0)
    assert (schema["birthdate"].min_length, schema["birthdate"].max_length) == (10, 10)
    assert schema["email_verified"].data_type == "Boolean"


def test_sub_cannot_be_redefined() -> None:
    schema = by_name(build_schema([{"Name": "sub", "Mutable": True, "Required": False}]))
    assert schema["sub"].required and not schema["sub"].mutable


def test_duplicate_custom_refused() -> None:
    with pytest.raises(InvalidParameterException, match="Duplicate attribute name custom:a"):
        build_schema([{"Name": "a"}, {"Name": "a"}])


def test_more_than_50_custom_refused() -> None:
    with pytest.raises(InvalidParameterException, match="at most 50 custom attributes"):
        build_schema([{"Name": f"c{i}"} for i in range(51)])


def test_schema_must_be_list() -> None:
    with pytest.raises(InvalidParameterException, match="Schema must be a list"):
        build_schema({"Name": "a"})


def test_to_cognito_round_trip() -> None:
    for attr in (*STANDARD_ATTRIBUTES[1:], parse_schema_attribute({"Name": "n", "AttributeDataType": "Number",
                                                                   "NumberAttributeConstraints": {"MaxValue": "9"}})):
        assert parse_schema_attribute(attr.to_cognito()) == attr


# --- values --------------------------------------------------------------------------------------

EMAIL = SchemaAttribute("email", min_length=0, max_length=2048)
PHONE = SchemaAttribute("phone_number", min_length=0, max_length=2048)
FLAG = SchemaAttribute("email_verified", "Boolean")
NUMBER = SchemaAttribute("custom:n", "Number", min_value=1, max_value=10)
TEXT = SchemaAttribute("custom:t", min_length=2, max_length=4)


@pytest.mark.parametrize(
    ("attr", "value"),
    [(EMAIL, "jane@example.com"), (EMAIL, ""), (PHONE, "+447700900123"), (FLAG, "true"), (FLAG, "false"),
     (NUMBER, "1"), (NUMBER, "10"), (NUMBER, "5.5"), (TEXT, "ab"), (TEXT, "abcd")],
)
def test_valid_values(attr: SchemaAttribute, value: str) -> None:
    validate_value(attr, value)


@pytest.mark.parametrize(
    ("attr", "value", "message"),
    [
        (EMAIL, "not-an-email", "Invalid email address format."),
        (EMAIL, "a@b", "Invalid email address format."),
        (EMAIL, "a b@example.com", "Invalid email address format."),
        (EMAIL, "jane@example.com\n", "Invalid email address format."),
        (PHONE, "07700900123", "Invalid phone number format."),
        (PHONE, "+44 7700 900123", "Invalid phone number format."),
        (PHONE, "+1234567890123456", "Invalid phone number format."),
        (FLAG, "yes", "must be true or false"),
        (FLAG, "True", "must be true or false"),
        (NUMBER, "0", "must be at least 1"),
        (NUMBER, "11", "must be at most 10"),
        (NUMBER, "abc", "must be a number"),
        (NUMBER, "nan", "must be a number"),
        (NUMBER, "inf", "must be a number"),
        (NUMBER, " 5 ", "must be a number"),
        (TEXT, "a", "must be at least 2 characters"),
        (TEXT, "abcde", "must be at most 4 characters"),
        (EMAIL, "a" * 2049, "too long"),
    ],
)
def test_invalid_values(attr: SchemaAttribute, value: str, message: str) -> None:
    with pytest.raises(InvalidParameterException, match=message):
        validate_value(attr, value)


def test_parse_attribute_list() -> None:
    raw = [{"Name": "email", "Value": "a@example.com"}, {"Name": "name"}]
    assert parse_attribute_list(raw) == {"email": "a@example.com", "name": ""}
    assert attribute_list({"email": "a@example.com"}) == [{"Name": "email", "Value": "a@example.com"}]
    assert parse_attribute_list(None) == {}


@pytest.mark.parametrize(
    ("raw", "message"),
    [({"Name": "x"}, "must be a list"), ([{"Value": "x"}], "needs a Name"), ([{"Name": "n", "Value": 1}], "string")],
)
def test_parse_attribute_list_refuses(raw: object, message: str) -> None:
    with pytest.raises(InvalidParameterException, match=message):
        parse_attribute_list(raw)

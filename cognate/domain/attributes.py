"""User-pool attribute schema: standard and `custom:` attributes (Cognito guide: user-pool-settings-attributes)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cognate.domain._checks import check_bool, fail, mapping

DATA_TYPES = frozenset({"String", "Number", "DateTime", "Boolean"})
MAX_CUSTOM_ATTRIBUTES = 50
MAX_VALUE_LENGTH = 2048
CUSTOM_NAME_RE = re.compile(r"^[\w.:-]{1,20}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+[0-9]{4,15}$")
NUMBER_RE = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")


@dataclass(frozen=True)
class SchemaAttribute:
    name: str
    data_type: str = "String"
    mutable: bool = True
    required: bool = False
    developer_only: bool = False
    min_length: int | None = None
    max_length: int | None = None
    min_value: int | None = None
    max_value: int | None = None

    @property
    def is_custom(self) -> bool:
        return self.name.startswith("custom:")

    @property
    def described_name(self) -> str:
        """The name DescribeUserPool shows: Cognito prefixes developer-only custom attributes with `dev:`
        (`dev:custom:NAME`); users' values keep `custom:NAME` here."""
        return f"dev:{self.name}" if self.developer_only and self.is_custom else self.name

    def to_cognito(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Name": self.described_name,
            "AttributeDataType": self.data_type,
            "DeveloperOnlyAttribute": self.developer_only,
            "Mutable": self.mutable,
            "Required": self.required,
        }
        if self.data_type == "String":
            out["StringAttributeConstraints"] = {"MinLength": str(self.min_length), "MaxLength": str(self.max_length)}
        if self.data_type == "Number" and (self.min_value is not None or self.max_value is not None):
            nc: dict[str, str] = {}
            if self.min_value is not None:
                nc["MinValue"] = str(self.min_value)
            if self.max_value is not None:
                nc["MaxValue"] = str(self.max_value)
            out["NumberAttributeConstraints"] = nc
        return out


def _s(name: str, **kw: Any) -> SchemaAttribute:
    if kw.get("data_type", "String") == "String":
        kw = {"min_length": 0, "max_length": MAX_VALUE_LENGTH, **kw}
    return SchemaAttribute(name=name, **kw)


STANDARD_ATTRIBUTES: tuple[SchemaAttribute, ...] = (
    _s("sub", mutable=False, required=True, min_length=1, max_length=2048),
    _s("name"),
    _s("given_name"),
    _s("family_name"),
    _s("middle_name"),
    _s("nickname"),
    _s("preferred_username"),
    _s("profile"),
    _s("picture"),
    _s("website"),
    _s("email"),
    _s("email_verified", data_type="Boolean"),
    _s("gender"),
    _s("birthdate", min_length=10, max_length=10),
    _s("zoneinfo"),
    _s("locale"),
    _s("phone_number"),
    _s("phone_number_verified", data_type="Boolean"),
    _s("address"),
    _s("updated_at", data_type="Number", min_value=0),
)
STANDARD_NAMES = frozenset(a.name for a in STANDARD_ATTRIBUTES)
_STANDARD_BY_NAME = {a.name: a for a in STANDARD_ATTRIBUTES}
VERIFIED_FLAGS = {"email": "email_verified", "phone_number": "phone_number_verified"}


def _opt_int(raw: Mapping[str, Any], key: str) -> int | None:
    value = raw.get(key)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise fail(f"{key} must be a number") from None


def parse_schema_attribute(raw: Mapping[str, Any]) -> SchemaAttribute:
    """One `SchemaAttributeType`; names without `custom:` that are not standard become custom ones, as in Cognito.
    A `dev:custom:NAME` (as DescribeUserPool shows a developer-only attribute) is that developer-only attribute."""
    name = raw.get("Name")
    if not isinstance(name, str) or not name:
        raise fail("Schema attribute Name is required")
    if name.startswith("dev:custom:"):
        raw = {**raw, "Name": name.removeprefix("dev:"), "DeveloperOnlyAttribute": True}
        name = str(raw["Name"])
    # A standard attribute keeps its own type and constraints unless the request restates them.
    std = _STANDARD_BY_NAME.get(name)
    data_type = raw.get("AttributeDataType", std.data_type if std else "String")
    if data_type not in DATA_TYPES:
        raise fail(f"Invalid AttributeDataType {data_type!r} for attribute {name}")
    base = std if std is not None and std.data_type == data_type else SchemaAttribute(name, data_type)
    is_string = data_type == "String"
    string_c = mapping(raw.get("StringAttributeConstraints"), "StringAttributeConstraints")
    number_c = mapping(raw.get("NumberAttributeConstraints"), "NumberAttributeConstraints")
    min_length, max_length = _opt_int(string_c, "MinLength"), _opt_int(string_c, "MaxLength")
    min_value, max_value = _opt_int(number_c, "MinValue"), _opt_int(number_c, "MaxValue")
    attr = SchemaAttribute(
        name=name,
        data_type=data_type,
        mutable=check_bool(raw.get("Mutable", True), "Mutable"),
        required=check_bool(raw.get("Required", False), "Required"),
        developer_only=check_bool(raw.get("DeveloperOnlyAttribute", False), "DeveloperOnlyAttribute"),
        min_length=(min_length if min_length is not None else base.min_length or 0) if is_string else None,
        max_length=(max_length or base.max_length or MAX_VALUE_LENGTH) if is_string else None,
        min_value=min_value if min_value is not None else base.min_value,
        max_value=max_value if max_value is not None else base.max_value,
    )
    if name in STANDARD_NAMES:
        return attr
    bare = name.removeprefix("custom:")
    if not CUSTOM_NAME_RE.fullmatch(bare):
        raise fail(f"Invalid custom attribute name {name!r}: 1-20 characters of letters, digits, '_', '.', ':', '-'")
    if attr.required:
        raise fail(f"Required custom attributes are not supported currently. ({name})")
    if attr.min_length is not None and attr.max_length is not None and attr.min_length > attr.max_length:
        raise fail(f"MinLength must not exceed MaxLength for {name}")
    return SchemaAttribute(**{**attr.__dict__, "name": f"custom:{bare}"})


def _check_entry(raw: Mapping[str, Any]) -> None:
    """Cognito's rules for one requested `SchemaAttributeType` beyond its JSON types."""
    name = raw.get("Name")
    std = _STANDARD_BY_NAME.get(name) if isinstance(name, str) else None
    data_type = raw.get("AttributeDataType")
    if std is not None:
        if (data_type is not None and data_type != std.data_type) or raw.get("DeveloperOnlyAttribute") is True:
            raise fail(f"You can not change AttributeDataType or set developerOnlyAttribute for standard schema "
                       f"attribute {name}")
    elif data_type is None:
        raise fail("Invalid AttributeDataType input, consider using the provided AttributeDataType enum.")
    string_c = mapping(raw.get("StringAttributeConstraints"), "StringAttributeConstraints")
    min_length, max_length = _opt_int(string_c, "MinLength"), _opt_int(string_c, "MaxLength")
    if (min_length is not None and min_length < 0) or (max_length is not None and max_length > MAX_VALUE_LENGTH):
        raise fail(f"Invalid StringAttributeConstraints for {name}: lengths go from 0 to {MAX_VALUE_LENGTH}.")
    if min_length is not None and max_length is not None and min_length > max_length:
        raise fail(f"Invalid StringAttributeConstraints for {name}: MinLength must not exceed MaxLength.")
    number_c = mapping(raw.get("NumberAttributeConstraints"), "NumberAttributeConstraints")
    min_value, max_value = _opt_int(number_c, "MinValue"), _opt_int(number_c, "MaxValue")
    if min_value is not None and max_value is not None and min_value > max_value:
        raise fail(f"Invalid NumberAttributeConstraints for {name}: MinValue must not exceed MaxValue.")


def check_schema_request(raw: object) -> None:
    """A CreateUserPool `Schema` or AddCustomAttributes list as Cognito checks it: custom attributes name their
    AttributeDataType, standard ones keep theirs and cannot be developer-only, MinLength <= MaxLength <= 2048,
    MinValue <= MaxValue. (Not applied to stored pools, which were checked when written.)"""
    if isinstance(raw, list):
        for entry in raw:
            _check_entry(mapping(entry, "Schema"))


def build_schema(raw: object) -> tuple[SchemaAttribute, ...]:
    """Standard attributes merged with the request's changes to them, then the custom attributes."""
    entries = raw if isinstance(raw, list) else []
    if raw is not None and not isinstance(raw, list):
        raise fail("Schema must be a list")
    by_name = {a.name: a for a in STANDARD_ATTRIBUTES}
    custom: dict[str, SchemaAttribute] = {}
    for entry in entries:
        attr = parse_schema_attribute(mapping(entry, "Schema"))
        if attr.is_custom:
            if attr.name in custom:
                raise fail(f"Duplicate attribute name {attr.name}")
            custom[attr.name] = attr
        else:
            if attr.name == "sub":
                continue
            by_name[attr.name] = attr
    if len(custom) > MAX_CUSTOM_ATTRIBUTES:
        raise fail(f"A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes")
    return (*by_name.values(), *custom.values())


def validate_value(attr: SchemaAttribute, value: str) -> None:
    """Type and constraint checks of one attribute value (values are always strings on the wire)."""
    if len(value) > MAX_VALUE_LENGTH:
        raise fail(f"Attribute {attr.name} is too long (maximum {MAX_VALUE_LENGTH} characters)")
    if attr.name == "email" and value and not EMAIL_RE.fullmatch(value):
        raise fail("Invalid email address format.")
    if attr.name == "phone_number" and value and not PHONE_RE.fullmatch(value):
        raise fail("Invalid phone number format.")
    if attr.data_type == "Boolean" and value not in ("true", "false"):
        raise fail(f"Attribute {attr.name} must be true or false")
    if attr.data_type == "Number":
        _check_number(attr, value)
    if attr.data_type == "String":
        if attr.min_length is not None and len(value) < attr.min_length:
            raise fail(f"Attribute {attr.name} must be at least {attr.min_length} characters")
        if attr.max_length is not None and len(value) > attr.max_length:
            raise fail(f"Attribute {attr.name} must be at most {attr.max_length} characters")


def _check_number(attr: SchemaAttribute, value: str) -> None:
    # A plain decimal literal: float() alone would also take "nan", "inf", " 5 " and "1_0".
    if not NUMBER_RE.fullmatch(value):
        raise fail(f"Attribute {attr.name} must be a number")
    number = float(value)
    if attr.min_value is not None and number < attr.min_value:
        raise fail(f"Attribute {attr.name} must be at least {attr.min_value}")
    if attr.max_value is not None and number > attr.max_value:
        raise fail(f"Attribute {attr.name} must be at most {attr.max_value}")


def parse_attribute_list(raw: object, field: str = "UserAttributes") -> dict[str, str]:
    """`[{Name, Value}]` into a dict; Cognito sends and stores every value as a string."""
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise fail(f"{field} must be a list")
    out: dict[str, str] = {}
    for item in raw:
        entry = mapping(item, field)
        name, value = entry.get("Name"), entry.get("Value", "")
        if not isinstance(name, str) or not name:
            raise fail(f"{field}: every attribute needs a Name")
        if not isinstance(value, str):
            raise fail(f"{field}: the value of {name} must be a string")
        out[name] = value
    return out


def attribute_list(attrs: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"Name": k, "Value": v} for k, v in attrs.items()]


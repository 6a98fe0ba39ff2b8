"""Usernames, aliases and attribute rules of users (spec §5)."""

from __future__ import annotations

from typing import Any

import pytest

from cognate.domain.errors import InvalidParameterException
from cognate.domain.pools import UserPool, build_pool
from cognate.domain.users import (
    User,
    alias_keys,
    check_attributes,
    check_username,
    resolve_new_username,
    user_to_cognito,
    username_key,
    with_attributes,
    without_attributes,
)

SUB = "0a1b2c3d-70ef-4000-8000-123456789abc"
SCHEMA = [
    {"Name": "tier", "AttributeDataType": "String", "Mutable": False},
    {"Name": "age", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "0", "MaxValue": "150"}},
    {"Name": "vip", "AttributeDataType": "Boolean"},
]


def pool(**req: Any) -> UserPool:
    return build_pool("eu-west-2_abcdefghi", {"PoolName": "p", "Schema": SCHEMA, **req}, 1.0)


def user(**attrs: str) -> User:
    return User(pool_id="eu-west-2_abcdefghi", username="jane", sub=SUB, created_at=1.0, updated_at=1.0,
                attributes=attrs)


PLAIN = pool()
EMAIL_USERNAME = pool(UsernameAttributes=["email"])
PHONE_USERNAME = pool(UsernameAttributes=["phone_number"])
BOTH_USERNAME = pool(UsernameAttributes=["email", "phone_number"])
EMAIL_ALIAS = pool(AliasAttributes=["email", "preferred_username"])
PHONE_ALIAS = pool(AliasAttributes=["phone_number"])


# --- check_username ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, ""])
def test_empty_username_refused(value: str | None) -> None:
    with pytest.raises(InvalidParameterException, match=r"Value at 'username' .* Member must not be null"):
        check_username(value)


@pytest.mark.parametrize("value", ["jane doe", " jane", "jane\n", "jane\t", "a\u00a0b", "x" * 129, "bad\x00"])
def test_bad_username_refused(value: str) -> None:
    with pytest.raises(InvalidParameterException, match="Member must satisfy regular expression pattern"):
        check_username(value)


@pytest.mark.parametrize("value", ["jane", "Jane.Doe+1@example.com", "ジェーン", "x" * 128, "a_b-c"])
def test_good_username(value: str) -> None:
    assert check_username(value) == value


def test_check_username_normalises_nfkc() -> None:
    assert check_username("\uff4a\uff41\uff4e\uff45") == "jane"


# --- username_key --------------------------------------------------------------------------------


def test_username_key_case_sensitive_pool() -> None:
    assert username_key(PLAIN, "Jane") == "Jane"
    assert username_key(PLAIN, "Jane") != username_key(PLAIN, "jane")


def test_username_key_case_insensitive_pool() -> None:
    insensitive = pool(UsernameConfiguration={"CaseSensitive": False})
    assert username_key(insensitive, "JaNe") == "jane"
    assert username_key(insensitive, "\uff2a\uff21\uff2e\uff25") == "jane"


def test_username_key_nfkc() -> None:
    assert username_key(PLAIN, "\uff4a\uff41\uff4e\uff45") == "jane"
    assert username_key(PLAIN, "e\u0301") == "\u00e9"
    assert username_key(PLAIN, "\ufb01le") == "file"


# --- resolve_new_username ------------------------------------------------------------------------


def test_plain_pool_keeps_typed_username() -> None:
    attrs: dict[str, str] = {}
    assert resolve_new_username(PLAIN, "jane@example.com", attrs, SUB) == "jane@example.com"
    assert attrs == {}


def test_email_username_pool_uses_sub_and_sets_email() -> None:
    attrs: dict[str, str] = {}
    assert resolve_new_username(EMAIL_USERNAME, "jane@example.com", attrs, SUB) == SUB
    assert attrs == {"email": "jane@example.com"}


def test_email_username_pool_conflicting_email_refused() -> None:
    with pytest.raises(InvalidParameterException, match="Username should be either an email or a phone number"):
        resolve_new_username(EMAIL_USERNAME, "jane@example.com", {"email": "other@example.com"}, SUB)


def test_email_username_pool_refuses_non_email() -> None:
    with pytest.raises(InvalidParameterException, match=r"^Username should be an email.$"):
        resolve_new_username(EMAIL_USERNAME, "jane", {}, SUB)


def test_phone_username_pool() -> None:
    attrs: dict[str, str] = {}
    assert resolve_new_username(PHONE_USERNAME, "+447700900123", attrs, SUB) == SUB
    assert attrs == {"phone_number": "+447700900123"}
    with pytest.raises(InvalidParameterException, match=r"^Username should be a phone number.$"):
        resolve_new_username(PHONE_USERNAME, "jane@example.com", {}, SUB)


def test_email_or_phone_username_pool_message() -> None:
    with pytest.raises(InvalidParameterException, match=r"^Username should be an email or a phone number.$"):
        resolve_new_username(BOTH_USERNAME, "jane", {}, SUB)


def test_email_alias_pool_refuses_email_format_username() -> None:
    with pytest.raises(InvalidParameterException) as err:
        resolve_new_username(EMAIL_ALIAS, "jane@example.com", {}, SUB)
    assert err.value.message == "Username cannot be of email format, since user pool is configured for email alias."


def test_phone_alias_pool_refuses_phone_format_username() -> None:
    with pytest.raises(InvalidParameterException, match="cannot be of phone number format"):
        resolve_new_username(PHONE_ALIAS, "+447700900123", {}, SUB)


def test_alias_pool_keeps_plain_username() -> None:
    assert resolve_new_username(EMAIL_ALIAS, "jane", {}, SUB) == "jane"


def test_resolve_checks_username_first() -> None:
    with pytest.raises(InvalidParameterException, match="Member must satisfy"):
        resolve_new_username(EMAIL_USERNAME, "jane doe@example.com", {}, SUB)


# --- check_attributes ----------------------------------------------------------------------------


def test_valid_attributes() -> None:
    check_attributes(PLAIN, {"email": "a@example.com", "custom:age": "30", "custom:vip": "true"}, creating=True)


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"nickname2": "x"}, "nickname2: Attribute does not exist in the schema."),
        ({"tier": "x"}, "tier: Attribute does not exist in the schema."),
        ({"sub": SUB}, "sub: cannot be modified"),
        ({"email": "nope"}, "Invalid email address format."),
        ({"phone_number": "12345"}, "Invalid phone number format."),
        ({"email_verified": "yes"}, "email_verified must be true or false"),
        ({"custom:vip": "1"}, "custom:vip must be true or false"),
        ({"custom:age": "-1"}, "custom:age must be at least 0"),
        ({"custom:age": "151"}, "custom:age must be at most 150"),
        ({"custom:age": "old"}, "custom:age must be a number"),
    ],
)
def test_invalid_attributes(attrs: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidParameterException, match=message):
        check_attributes(PLAIN, attrs, creating=True)


def test_required_attribute_missing() -> None:
    required = pool(Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True}])
    with pytest.raises(InvalidParameterException, match="email: The attribute is required"):
        check_attributes(required, {"name": "Jane"}, creating=True)
    with pytest.raises(InvalidParameterException, match="email: The attribute is required"):
        check_attributes(required, {"email": ""}, creating=True)
    check_attributes(required, {"name": "Jane"}, creating=False)


def test_immutable_attribute_on_update_refused() -> None:
    check_attributes(PLAIN, {"custom:tier": "gold"}, creating=True)
    with pytest.raises(InvalidParameterException,
                       match=r"^user\.custom:tier: Attribute cannot be updated\. \(changing an immutable attribute\)$"):
        check_attributes(PLAIN, {"custom:tier": "gold"}, creating=False)


# --- alias_keys ----------------------------------------------------------------------------------


def test_alias_pool_only_verified_aliases() -> None:
    unverified = user(email="Jane@Example.com", email_verified="false", preferred_username="JaneD")
    assert alias_keys(EMAIL_ALIAS, unverified) == {"preferred_username": "JaneD"}
    verified = user(email="Jane@Example.com", email_verified="true")
    assert alias_keys(EMAIL_ALIAS, verified) == {"email": "jane@example.com"}


def test_preferred_username_folded_in_case_insensitive_pool() -> None:
    insensitive = pool(AliasAttributes=["preferred_username"], UsernameConfiguration={"CaseSensitive": False})
    assert alias_keys(insensitive, user(preferred_username="JaneD")) == {"preferred_username": "janed"}


def test_alias_pool_ignores_attributes_not_configured() -> None:
    assert alias_keys(PHONE_ALIAS, user(email="j@example.com", email_verified="true")) == {}


def test_username_attribute_pool_always_keys() -> None:
    u = user(email="Jane@Example.com", email_verified="false", phone_number="+447700900123")
    assert alias_keys(EMAIL_USERNAME, u) == {"email": "jane@example.com"}
    assert alias_keys(BOTH_USERNAME, u) == {"email": "jane@example.com", "phone_number": "+447700900123"}


def test_plain_pool_has_no_aliases() -> None:
    assert alias_keys(PLAIN, user(email="j@example.com", email_verified="true")) == {}


# --- with_attributes / without_attributes --------------------------------------------------------


def test_changing_email_resets_verification() -> None:
    u = with_attributes(user(email="a@example.com", email_verified="true"), {"email": "b@example.com"}, 5.0)
    assert u.attributes == {"email": "b@example.com", "email_verified": "false"}
    assert u.updated_at == 5.0 and not u.is_verified("email")


def test_same_email_keeps_verification() -> None:
    u = with_attributes(user(email="a@example.com", email_verified="true"), {"email": "a@example.com"}, 5.0)
    assert u.is_verified("email")


def test_change_with_explicit_flag_keeps_flag() -> None:
    u = with_attributes(user(email="a@example.com"), {"email": "b@example.com", "email_verified": "true"}, 5.0)
    assert u.is_verified("email")


def test_changing_phone_resets_its_flag_only() -> None:
    u = user(email="a@example.com", email_verified="true", phone_number="+4411111", phone_number_verified="true")
    changed = with_attributes(u, {"phone_number": "+4422222"}, 5.0)
    assert changed.is_verified("email") and not changed.is_verified("phone_number")


def test_with_attributes_does_not_mutate_original() -> None:
    u = user(email="a@example.com", email_verified="true")
    with_attributes(u, {"email": "b@example.com"}, 5.0)
    assert u.attributes == {"email": "a@example.com", "email_verified": "true"}


def test_without_attributes() -> None:
    u = without_attributes(PLAIN, user(name="Jane", nickname="J"), ["nickname"], 5.0)
    assert u.attributes == {"name": "Jane"}


def test_without_email_drops_its_verified_flag() -> None:
    u = without_attributes(PLAIN, user(email="a@example.com", email_verified="true", name="Jane"), ["email"], 5.0)
    assert u.attributes == {"name": "Jane"} and not u.is_verified("email")


@pytest.mark.parametrize(("names", "message"), [(["sub"], "Invalid attribute name sub"),
                                                 (["nope"], "Invalid attribute name nope")])
def test_without_attributes_refused(names: list[str], message: str) -> None:
    with pytest.raises(InvalidParameterException, match=message):
        without_attributes(PLAIN, user(name="Jane"), names, 5.0)


def test_without_required_attribute_refused() -> None:
    required = pool(Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True}])
    with pytest.raises(InvalidParameterException, match="email: The attribute is required"):
        without_attributes(required, user(email="a@example.com"), ["email"], 5.0)


def test_user_to_cognito_puts_sub_first() -> None:
    out = user_to_cognito(user(email="a@example.com", sub="spoofed"))
    assert out["Attributes"][0] == {"Name": "sub", "Value": SUB}
    assert {"Name": "sub", "Value": "spoofed"} not in out["Attributes"]
    assert "UserAttributes" in user_to_cognito(user(), full=True)

"""The attribute permission table (Cognito guide: "User pool attributes" → "Attribute permissions and scopes")."""

from __future__ import annotations

from typing import Any

import pytest

from cognate.domain.attribute_access import (
    UNAUTHORIZED_WRITE,
    Verdict,
    check_client_delete,
    check_client_write,
    readable_attributes,
    visible_attributes,
    writable_attributes,
    write_verdict,
)
from cognate.domain.attributes import STANDARD_NAMES
from cognate.domain.clients import AppClient
from cognate.domain.errors import InvalidParameterException, NotAuthorizedException
from cognate.domain.pools import UserPool, build_pool
from cognate.domain.users import User

SCHEMA = [
    {"Name": "tier", "AttributeDataType": "String", "Mutable": False},
    {"Name": "role", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
    {"Name": "plan", "AttributeDataType": "String"},
]
POOL = build_pool("eu-west-2_abcdefghi", {"PoolName": "p", "Schema": SCHEMA}, 1.0)
FLAGS = ("email_verified", "phone_number_verified")
# Standard attributes an app client writes by default: all but `sub` and the two flags.
WRITABLE_STANDARD = sorted(STANDARD_NAMES - {"sub", *FLAGS})


def client(**fields: Any) -> AppClient:
    return AppClient(id="c" * 26, pool_id=POOL.id, name="app", created_at=1.0, updated_at=1.0, **fields)


def pool(**req: Any) -> UserPool:
    return build_pool("eu-west-2_abcdefghi", {"PoolName": "p", "Schema": SCHEMA, **req}, 1.0)


DEFAULT = client()
NARROW = client(write_attributes=("given_name", "custom:plan"), read_attributes=("email", "custom:role"))


# --- write_verdict: every standard attribute, both at creation and afterwards ----------------------------------


@pytest.mark.parametrize("name", WRITABLE_STANDARD)
@pytest.mark.parametrize("creating", [True, False])
def test_standard_attributes_writable_by_default(name: str, creating: bool) -> None:
    assert write_verdict(POOL, DEFAULT, name, creating=creating) is Verdict.ALLOWED


@pytest.mark.parametrize("name", FLAGS)
@pytest.mark.parametrize("app", [DEFAULT, client(write_attributes=FLAGS)], ids=["default", "listed"])
def test_verified_flags_never_client_writable(name: str, app: AppClient) -> None:
    assert write_verdict(POOL, app, name, creating=True) is Verdict.VERIFIED_FLAG
    assert name not in writable_attributes(POOL, app)


def test_sub_is_service_owned() -> None:
    assert write_verdict(POOL, DEFAULT, "sub", creating=True) is Verdict.SERVICE_OWNED


@pytest.mark.parametrize("name", ["shoe_size", "tier", "custom:nope", "dev:custom:role"])
def test_names_outside_the_schema_are_unknown(name: str) -> None:
    assert write_verdict(POOL, DEFAULT, name, creating=True) is Verdict.UNKNOWN


# --- custom attributes: mutable, immutable, developer-only ------------------------------------------------------


def test_mutable_custom_attribute_writable_by_default() -> None:
    assert write_verdict(POOL, DEFAULT, "custom:plan", creating=False) is Verdict.ALLOWED


def test_immutable_custom_attribute_only_at_creation() -> None:
    assert write_verdict(POOL, DEFAULT, "custom:tier", creating=True) is Verdict.ALLOWED
    assert write_verdict(POOL, DEFAULT, "custom:tier", creating=False) is Verdict.IMMUTABLE


@pytest.mark.parametrize("app", [DEFAULT, client(write_attributes=("custom:role",))], ids=["default", "listed"])
@pytest.mark.parametrize("creating", [True, False])
def test_developer_only_never_client_writable(app: AppClient, creating: bool) -> None:
    assert write_verdict(POOL, app, "custom:role", creating=creating) is Verdict.DEVELOPER_ONLY


def test_developer_only_standard_attribute() -> None:
    # Cognito (and, since issue 13, Cognate) refuses such a schema in requests; a pool stored before still loads.
    dev_nickname = build_pool("eu-west-2_abcdefghi", {"PoolName": "p", "Schema": [
        {"Name": "nickname", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}]}, 1.0,
        check_schema=False)
    assert write_verdict(dev_nickname, DEFAULT, "nickname", creating=True) is Verdict.DEVELOPER_ONLY


# --- the client's WriteAttributes -------------------------------------------------------------------------------


def test_write_list_set_limits_writes() -> None:
    assert writable_attributes(POOL, NARROW) == {"given_name", "custom:plan"}
    assert write_verdict(POOL, NARROW, "given_name", creating=False) is Verdict.ALLOWED
    assert write_verdict(POOL, NARROW, "family_name", creating=False) is Verdict.NOT_WRITABLE
    assert write_verdict(POOL, NARROW, "email", creating=True) is Verdict.NOT_WRITABLE


def test_write_list_unset_is_every_schema_attribute_but_flags_sub_and_developer_only() -> None:
    assert writable_attributes(POOL, DEFAULT) == {*WRITABLE_STANDARD, "custom:tier", "custom:plan"}


def test_required_attributes_always_writable() -> None:
    required = pool(Schema=[*SCHEMA, {"Name": "family_name", "AttributeDataType": "String", "Required": True}])
    assert write_verdict(required, NARROW, "family_name", creating=True) is Verdict.ALLOWED


def test_immutable_outside_the_write_list_is_not_writable_first() -> None:
    assert write_verdict(POOL, NARROW, "custom:tier", creating=False) is Verdict.NOT_WRITABLE


# --- the answers ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["email_verified", "custom:role", "family_name"])
def test_permission_refusals_are_not_authorized(name: str) -> None:
    with pytest.raises(NotAuthorizedException, match=f"^{UNAUTHORIZED_WRITE}$"):
        check_client_write(POOL, NARROW, {"given_name": "x", name: "y"}, creating=True)


def test_immutable_refusal_is_invalid_parameter_in_cognitos_words() -> None:
    with pytest.raises(InvalidParameterException) as info:
        check_client_write(POOL, DEFAULT, {"custom:tier": "gold"}, creating=False)
    assert info.value.message == "user.custom:tier: Attribute cannot be updated. (changing an immutable attribute)"


@pytest.mark.parametrize(("name", "message"), [
    ("shoe_size", "shoe_size: Attribute does not exist in the schema."),
    ("sub", "sub: cannot be modified"),
])
def test_schema_refusals_are_invalid_parameter(name: str, message: str) -> None:
    with pytest.raises(InvalidParameterException, match=message):
        check_client_write(POOL, DEFAULT, [name], creating=True)


def test_allowed_write_passes() -> None:
    check_client_write(POOL, DEFAULT, {"email": "a@example.com", "custom:tier": "free"}, creating=True)
    check_client_write(POOL, NARROW, {"given_name": "Ann"}, creating=False)


@pytest.mark.parametrize(("names", "error"), [
    (["email_verified"], NotAuthorizedException),
    (["custom:role"], NotAuthorizedException),
    (["family_name"], NotAuthorizedException),
    (["custom:tier"], InvalidParameterException),
    (["nope"], InvalidParameterException),
    (["sub"], InvalidParameterException),
])
def test_delete_uses_the_same_table(names: list[str], error: type[Exception]) -> None:
    app = client(write_attributes=("given_name", "custom:tier"))
    with pytest.raises(error):
        check_client_delete(POOL, app, names)
    check_client_delete(POOL, app, ["given_name"])


# --- reads ------------------------------------------------------------------------------------------------------


def test_read_list_unset_is_every_attribute_but_developer_only_plus_flags() -> None:
    readable = readable_attributes(POOL, DEFAULT)
    assert set(FLAGS) <= readable and {"custom:plan", "custom:tier", "email"} <= readable
    assert "custom:role" not in readable


def test_read_list_set_is_exactly_the_list() -> None:
    assert readable_attributes(POOL, NARROW) == {"email", "custom:role"}


def test_visible_attributes_always_show_sub() -> None:
    user = User(pool_id=POOL.id, username="jane", sub="s-1", created_at=1.0, updated_at=1.0,
                attributes={"email": "j@example.com", "email_verified": "true", "given_name": "Jane"})
    assert visible_attributes(user, readable_attributes(POOL, NARROW)) == {"sub": "s-1", "email": "j@example.com"}
    assert visible_attributes(user, frozenset()) == {"sub": "s-1"}

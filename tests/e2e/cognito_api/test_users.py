"""Administrative user operations through boto3: AdminCreateUser, AdminGetUser, ListUsers and the rest."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from functools import partial
from typing import Any

import pytest

from cognate.services.lookups import require_pool, require_user
from cognate.services.users import save_user
from cognate.store.sql.engine import SqlStore
from tests.e2e.cognito_api._helpers import error_code

PASSWORD = "Sup3r-Secret"
USER_SHAPE = {"Username", "Attributes", "UserCreateDate", "UserLastModifiedDate", "Enabled", "UserStatus"}


def _create(cognito: Any, pool_id: str, username: str, **attrs: str) -> dict[str, Any]:
    attributes = [{"Name": k, "Value": v} for k, v in attrs.items()]
    return dict(cognito.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword=PASSWORD,
                                          UserAttributes=attributes, MessageAction="SUPPRESS")["User"])


def _attrs(entries: list[dict[str, str]]) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in entries}


async def _force_status(database_url: str, pool_id: str, username: str, status: str) -> None:
    """Arrange a user state the admin API cannot produce (UNCONFIRMED comes from SignUp, a later slice)."""
    store = SqlStore(database_url)
    try:
        async with store.transaction() as tx:
            pool = await require_pool(tx, pool_id)
            await save_user(tx, pool, replace(await require_user(tx, pool, username), status=status))
    finally:
        await store.close()


def test_admin_create_user_shape(cognito: Any, pool_id: str) -> None:
    user = _create(cognito, pool_id, "alice", email="alice@example.com")
    assert set(user) == USER_SHAPE
    assert user["Username"] == "alice" and user["UserStatus"] == "FORCE_CHANGE_PASSWORD" and user["Enabled"]
    assert _attrs(user["Attributes"])["email"] == "alice@example.com"
    assert re.fullmatch(r"[0-9a-f-]{36}", _attrs(user["Attributes"])["sub"])


def test_admin_create_user_generates_a_password_and_accepts_default_message_action(cognito: Any,
                                                                                   pool_id: str) -> None:
    user = cognito.admin_create_user(UserPoolId=pool_id, Username="nopass")["User"]
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"


def test_email_as_username_pool_uses_the_sub(cognito: Any) -> None:
    pool_id = cognito.create_user_pool(PoolName="by-email", UsernameAttributes=["email"])["UserPool"]["Id"]
    user = cognito.admin_create_user(UserPoolId=pool_id, Username="Jo@Example.com", TemporaryPassword=PASSWORD)
    sub = _attrs(user["User"]["Attributes"])["sub"]
    assert user["User"]["Username"] == sub
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="jo@example.com")["Username"] == sub


def test_admin_create_user_refusals(cognito: Any, unchecked: Any, pool_id: str) -> None:
    _create(cognito, pool_id, "taken")
    create = cognito.admin_create_user
    assert error_code(lambda: create(UserPoolId=pool_id, Username="taken")) == "UsernameExistsException"
    assert error_code(lambda: create(UserPoolId=pool_id, Username="weak", TemporaryPassword="short")) \
        == "InvalidPasswordException"
    assert error_code(lambda: create(UserPoolId=pool_id, Username="odd", UserAttributes=[
        {"Name": "shoe_size", "Value": "9"}])) == "InvalidParameterException"
    assert error_code(lambda: create(UserPoolId="us-east-1_Nope12345", Username="x")) == "ResourceNotFoundException"
    assert error_code(lambda: unchecked.admin_create_user(UserPoolId=pool_id, Username="x", MessageAction="NOPE")) \
        == "InvalidParameterException"


def test_resend_invitation(cognito: Any, pool_id: str) -> None:
    _create(cognito, pool_id, "invited")
    again = cognito.admin_create_user(UserPoolId=pool_id, Username="invited", MessageAction="RESEND")["User"]
    assert again["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert error_code(lambda: cognito.admin_create_user(UserPoolId=pool_id, Username="ghost",
                                                        MessageAction="RESEND")) == "UserNotFoundException"
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="invited", Password=PASSWORD, Permanent=True)
    assert error_code(lambda: cognito.admin_create_user(UserPoolId=pool_id, Username="invited",
                                                        MessageAction="RESEND")) == "UnsupportedUserStateException"


def test_admin_get_user_shape(cognito: Any, pool_id: str) -> None:
    _create(cognito, pool_id, "carol", email="carol@example.com")
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="carol")
    user.pop("ResponseMetadata")
    assert set(user) == {"Username", "UserAttributes", "UserCreateDate", "UserLastModifiedDate", "Enabled",
                         "UserStatus"}
    assert _attrs(user["UserAttributes"])["email"] == "carol@example.com"


def test_admin_set_user_password(cognito: Any, pool_id: str) -> None:
    _create(cognito, pool_id, "dave")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="dave", Password="An0therSecret", Permanent=True)
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="dave")["UserStatus"] == "CONFIRMED"
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="dave", Password="An0therSecret")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="dave")["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert error_code(lambda: cognito.admin_set_user_password(UserPoolId=pool_id, Username="dave",
                                                              Password="nodigits")) == "InvalidPasswordException"


def test_admin_confirm_sign_up(cognito: Any, pool_id: str, api_database_url: str) -> None:
    _create(cognito, pool_id, "erin")
    assert error_code(lambda: cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username="erin")) \
        == "InvalidParameterException"
    asyncio.run(_force_status(api_database_url, pool_id, "erin", "UNCONFIRMED"))
    cognito.admin_confirm_sign_up(UserPoolId=pool_id, Username="erin")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="erin")["UserStatus"] == "CONFIRMED"


def test_update_and_delete_attributes(cognito: Any, pool_id: str) -> None:
    _create(cognito, pool_id, "fay", email="fay@example.com", email_verified="true")
    cognito.admin_update_user_attributes(UserPoolId=pool_id, Username="fay", UserAttributes=[
        {"Name": "given_name", "Value": "Fay"}, {"Name": "email", "Value": "fay@new.example.com"}])
    attrs = _attrs(cognito.admin_get_user(UserPoolId=pool_id, Username="fay")["UserAttributes"])
    assert attrs["given_name"] == "Fay" and attrs["email"] == "fay@new.example.com"
    assert attrs["email_verified"] == "false"
    cognito.admin_delete_user_attributes(UserPoolId=pool_id, Username="fay", UserAttributeNames=["given_name"])
    assert "given_name" not in _attrs(cognito.admin_get_user(UserPoolId=pool_id, Username="fay")["UserAttributes"])
    assert error_code(lambda: cognito.admin_update_user_attributes(UserPoolId=pool_id, Username="fay",
                                                                   UserAttributes=[{"Name": "sub", "Value": "x"}])) \
        == "InvalidParameterException"


def test_disable_enable_delete(cognito: Any, pool_id: str) -> None:
    _create(cognito, pool_id, "gus")
    cognito.admin_disable_user(UserPoolId=pool_id, Username="gus")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="gus")["Enabled"] is False
    cognito.admin_enable_user(UserPoolId=pool_id, Username="gus")
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="gus")["Enabled"] is True
    cognito.admin_delete_user(UserPoolId=pool_id, Username="gus")
    assert error_code(lambda: cognito.admin_get_user(UserPoolId=pool_id, Username="gus")) == "UserNotFoundException"


@pytest.mark.parametrize("operation,extra", [
    ("admin_get_user", {}), ("admin_delete_user", {}), ("admin_confirm_sign_up", {}),
    ("admin_disable_user", {}), ("admin_enable_user", {}),
    ("admin_set_user_password", {"Password": PASSWORD, "Permanent": True}),
    ("admin_update_user_attributes", {"UserAttributes": [{"Name": "name", "Value": "x"}]}),
    ("admin_delete_user_attributes", {"UserAttributeNames": ["name"]}),
])
def test_unknown_user_is_user_not_found(cognito: Any, pool_id: str, operation: str, extra: dict[str, Any]) -> None:
    call = getattr(cognito, operation)
    assert error_code(lambda: call(UserPoolId=pool_id, Username="nobody", **extra)) == "UserNotFoundException"


def test_list_users_filters(cognito: Any, pool_id: str) -> None:
    _create(cognito, pool_id, "alice", email="alice@example.com", given_name="Alice")
    _create(cognito, pool_id, "alicia", email="alicia@example.com")
    _create(cognito, pool_id, "bob", email="bob@example.com")
    cognito.admin_disable_user(UserPoolId=pool_id, Username="bob")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="alicia", Password=PASSWORD, Permanent=True)

    def names(expr: str) -> list[str]:
        return sorted(u["Username"] for u in cognito.list_users(UserPoolId=pool_id, Filter=expr)["Users"])

    assert names('username = "alice"') == ["alice"]
    assert names('email ^= "ali"') == ["alice", "alicia"]
    assert names('given_name = "Alice"') == ["alice"]
    assert names('status = "Disabled"') == ["bob"]
    assert names('cognito:user_status = "CONFIRMED"') == ["alicia"]
    assert names('email = "nobody@example.com"') == []
    for bad in ('custom:tier = "x"', "email = alice", 'email ~ "a"'):
        assert error_code(partial(cognito.list_users, UserPoolId=pool_id, Filter=bad)) == "InvalidParameterException"


def test_list_users_pages_and_attributes_to_get(cognito: Any, pool_id: str) -> None:
    for i in range(5):
        _create(cognito, pool_id, f"user{i}", email=f"user{i}@example.com", given_name=f"U{i}")
    pages = list(cognito.get_paginator("list_users").paginate(UserPoolId=pool_id, AttributesToGet=["email"],
                                                              PaginationConfig={"PageSize": 2}))
    assert [len(p["Users"]) for p in pages] == [2, 2, 1]
    users = [u for p in pages for u in p["Users"]]
    assert sorted(u["Username"] for u in users) == [f"user{i}" for i in range(5)]
    assert all([a["Name"] for a in u["Attributes"]] == ["email"] for u in users)
    assert set(users[0]) == USER_SHAPE
    assert "PaginationToken" not in pages[-1]
    assert error_code(lambda: cognito.list_users(UserPoolId=pool_id, PaginationToken="garbage")) \
        == "InvalidParameterException"

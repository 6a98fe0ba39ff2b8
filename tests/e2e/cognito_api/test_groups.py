"""Group operations through boto3: group CRUD, memberships and paging (spec §6 T2)."""

from __future__ import annotations

from typing import Any

from tests.e2e.cognito_api._helpers import error_code


def _user(cognito: Any, pool_id: str, username: str) -> None:
    cognito.admin_create_user(UserPoolId=pool_id, Username=username, TemporaryPassword="Sup3rSecret",
                              MessageAction="SUPPRESS")


def test_group_lifecycle(cognito: Any, pool_id: str) -> None:
    group = cognito.create_group(UserPoolId=pool_id, GroupName="admins", Description="Admins", Precedence=1)["Group"]
    assert group["GroupName"] == "admins" and group["Precedence"] == 1 and group["UserPoolId"] == pool_id
    assert {"CreationDate", "LastModifiedDate"} <= set(group)
    assert cognito.get_group(UserPoolId=pool_id, GroupName="admins")["Group"]["Description"] == "Admins"
    updated = cognito.update_group(UserPoolId=pool_id, GroupName="admins", Description="Operators")["Group"]
    assert updated["Description"] == "Operators" and updated["Precedence"] == 1
    cognito.delete_group(UserPoolId=pool_id, GroupName="admins")
    assert error_code(lambda: cognito.get_group(UserPoolId=pool_id, GroupName="admins")) \
        == "ResourceNotFoundException"


def test_group_refusals(cognito: Any, unchecked: Any, pool_id: str) -> None:
    cognito.create_group(UserPoolId=pool_id, GroupName="dup")
    assert error_code(lambda: cognito.create_group(UserPoolId=pool_id, GroupName="dup")) == "GroupExistsException"
    assert error_code(lambda: cognito.update_group(UserPoolId=pool_id, GroupName="none")) \
        == "ResourceNotFoundException"
    assert error_code(lambda: cognito.delete_group(UserPoolId=pool_id, GroupName="none")) \
        == "ResourceNotFoundException"
    assert error_code(lambda: unchecked.create_group(UserPoolId=pool_id, GroupName="x", Precedence=-1)) \
        == "InvalidParameterException"
    assert error_code(lambda: cognito.create_group(UserPoolId="us-east-1_Nope12345", GroupName="x")) \
        == "ResourceNotFoundException"


def test_list_groups_pages(cognito: Any, pool_id: str) -> None:
    for i in range(5):
        cognito.create_group(UserPoolId=pool_id, GroupName=f"g{i}")
    pages = list(cognito.get_paginator("list_groups").paginate(UserPoolId=pool_id, PaginationConfig={"PageSize": 2}))
    assert [len(p["Groups"]) for p in pages] == [2, 2, 1]
    assert sorted(g["GroupName"] for p in pages for g in p["Groups"]) == [f"g{i}" for i in range(5)]


def test_memberships(cognito: Any, pool_id: str) -> None:
    for name in ("readers", "writers"):
        cognito.create_group(UserPoolId=pool_id, GroupName=name)
    for username in ("ann", "ben"):
        _user(cognito, pool_id, username)
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="ann", GroupName="readers")
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="ann", GroupName="writers")
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username="ben", GroupName="readers")
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="ann")["Groups"]
    assert sorted(g["GroupName"] for g in groups) == ["readers", "writers"]
    members = cognito.list_users_in_group(UserPoolId=pool_id, GroupName="readers")["Users"]
    assert sorted(u["Username"] for u in members) == ["ann", "ben"]
    assert {"Username", "Attributes", "UserStatus", "Enabled"} <= set(members[0])
    cognito.admin_remove_user_from_group(UserPoolId=pool_id, Username="ann", GroupName="readers")
    members = cognito.list_users_in_group(UserPoolId=pool_id, GroupName="readers")["Users"]
    assert [u["Username"] for u in members] == ["ben"]
    page = cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="ann", Limit=1)
    assert [g["GroupName"] for g in page["Groups"]] == ["writers"] and "NextToken" not in page


def test_membership_refusals(cognito: Any, pool_id: str) -> None:
    cognito.create_group(UserPoolId=pool_id, GroupName="team")
    _user(cognito, pool_id, "cat")
    add = cognito.admin_add_user_to_group
    assert error_code(lambda: add(UserPoolId=pool_id, Username="nobody", GroupName="team")) == "UserNotFoundException"
    assert error_code(lambda: add(UserPoolId=pool_id, Username="cat", GroupName="none")) \
        == "ResourceNotFoundException"
    assert error_code(lambda: cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username="nobody")) \
        == "UserNotFoundException"
    assert error_code(lambda: cognito.list_users_in_group(UserPoolId=pool_id, GroupName="none")) \
        == "ResourceNotFoundException"
    assert error_code(lambda: cognito.admin_remove_user_from_group(UserPoolId=pool_id, Username="nobody",
                                                                   GroupName="team")) == "UserNotFoundException"

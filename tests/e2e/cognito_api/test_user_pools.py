"""User pool operations through boto3 against a real server: Create/Describe/Update/List/Delete, custom attributes."""

from __future__ import annotations

import re
import uuid
from functools import partial
from typing import Any

from tests.e2e.cognito_api._helpers import error_code, error_of


def test_create_and_describe_user_pool(cognito: Any) -> None:
    created = cognito.create_user_pool(PoolName="shop", UsernameAttributes=["email"],
                                       AutoVerifiedAttributes=["email"])["UserPool"]
    assert re.fullmatch(r"us-east-1_[A-Za-z0-9]{9}", created["Id"])
    described = cognito.describe_user_pool(UserPoolId=created["Id"])["UserPool"]
    assert described["Name"] == "shop"
    assert described["UsernameAttributes"] == ["email"]
    assert described["Arn"].endswith(f":userpool/{created['Id']}")
    assert described["EstimatedNumberOfUsers"] == 0
    assert described["CreationDate"] == created["CreationDate"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 8


def test_update_user_pool(cognito: Any, pool_id: str) -> None:
    cognito.update_user_pool(UserPoolId=pool_id, MfaConfiguration="OFF", DeletionProtection="ACTIVE",
                             Policies={"PasswordPolicy": {"MinimumLength": 12}})
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["DeletionProtection"] == "ACTIVE"
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert error_code(lambda: cognito.delete_user_pool(UserPoolId=pool_id)) == "InvalidParameterException"
    cognito.update_user_pool(UserPoolId=pool_id, DeletionProtection="INACTIVE")
    cognito.delete_user_pool(UserPoolId=pool_id)


def test_delete_user_pool(cognito: Any, pool_id: str) -> None:
    cognito.delete_user_pool(UserPoolId=pool_id)
    assert error_code(lambda: cognito.describe_user_pool(UserPoolId=pool_id)) == "ResourceNotFoundException"
    assert error_code(lambda: cognito.delete_user_pool(UserPoolId=pool_id)) == "ResourceNotFoundException"


def test_unknown_pool_is_resource_not_found(cognito: Any) -> None:
    assert error_code(lambda: cognito.describe_user_pool(UserPoolId="us-east-1_Nope12345")) \
        == "ResourceNotFoundException"
    assert error_code(lambda: cognito.update_user_pool(UserPoolId="us-east-1_Nope12345")) \
        == "ResourceNotFoundException"


def test_list_user_pools_pages_through_everything(cognito: Any) -> None:
    ids = {cognito.create_user_pool(PoolName=f"page-{i}")["UserPool"]["Id"] for i in range(5)}
    pages = list(cognito.get_paginator("list_user_pools").paginate(MaxResults=2))
    seen = [p["Id"] for page in pages for p in page["UserPools"]]
    assert ids <= set(seen) and len(seen) == len(set(seen))
    assert all(len(page["UserPools"]) <= 2 for page in pages) and len(pages) >= 3
    assert set(pages[0]["UserPools"][0]) >= {"Id", "Name", "CreationDate", "LastModifiedDate"}


def test_list_user_pools_needs_max_results_in_range(unchecked: Any) -> None:
    for bad in ({}, {"MaxResults": 0}, {"MaxResults": 61}):
        assert error_code(partial(unchecked.list_user_pools, **bad)) == "InvalidParameterException"


def test_create_user_pool_validation_messages(unchecked: Any) -> None:
    error = error_of(lambda: unchecked.create_user_pool())
    assert error["Code"] == "InvalidParameterException"
    assert error["Message"] == ("1 validation error detected: Value null at 'poolName' failed to satisfy "
                                "constraint: Member must not be null")
    assert error_code(lambda: unchecked.create_user_pool(PoolName="x", UsernameAttributes=["email"],
                                                         AliasAttributes=["email"])) == "InvalidParameterException"


def test_add_custom_attributes(cognito: Any, pool_id: str) -> None:
    cognito.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[
        {"Name": "tier", "AttributeDataType": "String", "Mutable": True}])
    names = {a["Name"] for a in cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]}
    assert "custom:tier" in names
    again = [{"Name": "tier", "AttributeDataType": "String"}]
    assert error_code(lambda: cognito.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=again)) \
        == "InvalidParameterException"
    assert error_code(lambda: cognito.add_custom_attributes(UserPoolId=f"us-east-1_{uuid.uuid4().hex[:9]}",
                                                            CustomAttributes=again)) == "ResourceNotFoundException"

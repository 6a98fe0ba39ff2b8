"""App client operations through boto3: Create/Describe/Update/List/DeleteUserPoolClient and their refusals."""

from __future__ import annotations

from typing import Any

from tests.e2e.cognito_api._helpers import error_code

WEB = {"CallbackURLs": ["https://app.example.com/cb", "http://localhost:3000/cb"], "AllowedOAuthFlows": ["code"],
       "AllowedOAuthScopes": ["openid", "email"], "AllowedOAuthFlowsUserPoolClient": True,
       "SupportedIdentityProviders": ["COGNITO"]}


def test_create_and_describe_client_with_secret(cognito: Any, pool_id: str) -> None:
    created = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="web", GenerateSecret=True,
                                              **WEB)["UserPoolClient"]
    assert len(created["ClientId"]) == 26 and len(created["ClientSecret"]) == 52
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=created["ClientId"])
    client = described["UserPoolClient"]
    assert client["ClientSecret"] == created["ClientSecret"]
    assert client["CallbackURLs"] == WEB["CallbackURLs"]
    assert client["AllowedOAuthFlows"] == ["code"] and client["AllowedOAuthFlowsUserPoolClient"] is True
    assert client["RefreshTokenValidity"] == 30 and client["EnableTokenRevocation"] is True


def test_public_client_has_no_secret(cognito: Any, pool_id: str) -> None:
    client = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="spa")["UserPoolClient"]
    assert "ClientSecret" not in client
    assert client["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH"]


def test_update_client_replaces_settings(cognito: Any, pool_id: str) -> None:
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="web", **WEB)["UserPoolClient"][
        "ClientId"]
    updated = cognito.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, ClientName="renamed",
                                              ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH",
                                                                 "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    assert updated["ClientName"] == "renamed"
    assert "CallbackURLs" not in updated
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert described["ExplicitAuthFlows"] == ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def test_list_clients_pages(cognito: Any, pool_id: str) -> None:
    ids = {cognito.create_user_pool_client(UserPoolId=pool_id, ClientName=f"c{i}")["UserPoolClient"]["ClientId"]
           for i in range(5)}
    pages = list(cognito.get_paginator("list_user_pool_clients").paginate(UserPoolId=pool_id,
                                                                          PaginationConfig={"PageSize": 2}))
    listed = [c["ClientId"] for page in pages for c in page["UserPoolClients"]]
    assert sorted(listed) == sorted(ids) and len(pages) == 3
    assert set(pages[0]["UserPoolClients"][0]) == {"ClientId", "UserPoolId", "ClientName"}


def test_delete_client(cognito: Any, pool_id: str) -> None:
    client_id = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="gone")["UserPoolClient"]["ClientId"]
    cognito.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert error_code(lambda: cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)) \
        == "ResourceNotFoundException"
    assert error_code(lambda: cognito.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)) \
        == "ResourceNotFoundException"


def test_client_of_another_pool_is_not_found(cognito: Any, pool_id: str) -> None:
    other = cognito.create_user_pool(PoolName="other")["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(UserPoolId=other, ClientName="x")["UserPoolClient"]["ClientId"]
    assert error_code(lambda: cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)) \
        == "ResourceNotFoundException"


def test_unknown_scope_and_bad_oauth_flows(cognito: Any, pool_id: str) -> None:
    create = cognito.create_user_pool_client
    assert error_code(lambda: create(UserPoolId=pool_id, ClientName="x", AllowedOAuthFlows=["code"],
                                     AllowedOAuthScopes=["https://api/read"])) == "ScopeDoesNotExistException"
    assert error_code(lambda: create(UserPoolId=pool_id, ClientName="x", AllowedOAuthFlows=["client_credentials"],
                                     AllowedOAuthScopes=["openid"])) == "InvalidOAuthFlowException"
    assert error_code(lambda: create(UserPoolId=pool_id, ClientName="x", CallbackURLs=["http://evil.example/cb"])) \
        == "InvalidParameterException"
    assert error_code(lambda: create(UserPoolId="us-east-1_Nope12345", ClientName="x")) == "ResourceNotFoundException"

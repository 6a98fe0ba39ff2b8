"""Resource server operations through boto3: custom scopes, their use by clients, and the per-pool limit."""

from __future__ import annotations

from typing import Any

from tests.e2e.cognito_api._helpers import error_code

API = "https://api.example.com"
SCOPES = [{"ScopeName": "read", "ScopeDescription": "Read"}, {"ScopeName": "write", "ScopeDescription": "Write"}]


def test_resource_server_lifecycle(cognito: Any, pool_id: str) -> None:
    created = cognito.create_resource_server(UserPoolId=pool_id, Identifier=API, Name="api",
                                             Scopes=SCOPES)["ResourceServer"]
    assert created == {"UserPoolId": pool_id, "Identifier": API, "Name": "api", "Scopes": SCOPES}
    assert cognito.describe_resource_server(UserPoolId=pool_id, Identifier=API)["ResourceServer"] == created
    updated = cognito.update_resource_server(UserPoolId=pool_id, Identifier=API, Name="api v2",
                                             Scopes=SCOPES[:1])["ResourceServer"]
    assert updated["Name"] == "api v2" and updated["Scopes"] == SCOPES[:1]
    cognito.delete_resource_server(UserPoolId=pool_id, Identifier=API)
    assert error_code(lambda: cognito.describe_resource_server(UserPoolId=pool_id, Identifier=API)) \
        == "ResourceNotFoundException"


def test_custom_scope_becomes_usable_by_clients(cognito: Any, pool_id: str) -> None:
    cognito.create_resource_server(UserPoolId=pool_id, Identifier=API, Name="api", Scopes=SCOPES)
    client = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="m2m", GenerateSecret=True,
                                             AllowedOAuthFlows=["client_credentials"],
                                             AllowedOAuthScopes=[f"{API}/read"],
                                             AllowedOAuthFlowsUserPoolClient=True)["UserPoolClient"]
    assert client["AllowedOAuthScopes"] == [f"{API}/read"]


def test_list_resource_servers_and_limit(cognito: Any, pool_id: str) -> None:
    for i in range(25):
        cognito.create_resource_server(UserPoolId=pool_id, Identifier=f"urn:api:{i:02d}", Name=f"api{i}")
    pages = list(cognito.get_paginator("list_resource_servers").paginate(UserPoolId=pool_id,
                                                                         PaginationConfig={"PageSize": 10}))
    assert [len(p["ResourceServers"]) for p in pages] == [10, 10, 5]
    assert error_code(lambda: cognito.create_resource_server(UserPoolId=pool_id, Identifier="urn:api:x",
                                                             Name="one too many")) == "LimitExceededException"


def test_resource_server_refusals(cognito: Any, pool_id: str) -> None:
    cognito.create_resource_server(UserPoolId=pool_id, Identifier=API, Name="api")
    assert error_code(lambda: cognito.create_resource_server(UserPoolId=pool_id, Identifier=API, Name="again")) \
        == "InvalidParameterException"
    assert error_code(lambda: cognito.update_resource_server(UserPoolId=pool_id, Identifier="urn:none", Name="x")) \
        == "ResourceNotFoundException"
    assert error_code(lambda: cognito.list_resource_servers(UserPoolId="us-east-1_Nope12345", MaxResults=5)) \
        == "ResourceNotFoundException"

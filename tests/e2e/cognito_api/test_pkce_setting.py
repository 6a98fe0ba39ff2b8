"""`CognatePkceRequired`, Cognate's app-client extension, over the JSON API: raw JSON can set it, boto3 (which
cannot send it) leaves it alone on update, and DescribeUserPoolClient echoes it."""

from __future__ import annotations

from typing import Any

from tests.e2e.cognito_api._helpers import new_pool, post
from tests.support.processes import Server


def _describe(server: Server, pool_id: str, client_id: str) -> dict[str, Any]:
    response = post(server.url, "DescribeUserPoolClient", {"UserPoolId": pool_id, "ClientId": client_id})
    assert response.status_code == 200, response.text
    return dict(response.json()["UserPoolClient"])


def test_default_is_optional_as_in_cognito_with_or_without_a_secret(cognito: Any, api_server: Server) -> None:
    pool_id = new_pool(cognito)
    public = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="spa")["UserPoolClient"]
    confidential = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="web",
                                                   GenerateSecret=True)["UserPoolClient"]
    assert _describe(api_server, pool_id, public["ClientId"])["CognatePkceRequired"] is False
    assert _describe(api_server, pool_id, confidential["ClientId"])["CognatePkceRequired"] is False
    assert "CognatePkceRequired" not in public  # boto3 drops members its model does not know


def test_raw_json_sets_it_and_a_boto3_update_keeps_it(cognito: Any, api_server: Server) -> None:
    pool_id = new_pool(cognito)
    created = post(api_server.url, "CreateUserPoolClient",
                   {"UserPoolId": pool_id, "ClientName": "spa", "CognatePkceRequired": True})
    client_id = created.json()["UserPoolClient"]["ClientId"]
    assert created.json()["UserPoolClient"]["CognatePkceRequired"] is True
    cognito.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, ClientName="renamed")
    assert _describe(api_server, pool_id, client_id)["CognatePkceRequired"] is True
    refused = post(api_server.url, "UpdateUserPoolClient",
                   {"UserPoolId": pool_id, "ClientId": client_id, "ClientName": "x", "CognatePkceRequired": "no"})
    assert refused.status_code == 400 and refused.json()["__type"] == "InvalidParameterException"

"""Client-secret rotation through boto3 on a real server: a second secret works everywhere the first did (the
token endpoint, SECRET_HASH, GetTokensFromRefreshToken) until the first is deleted, and then only it works."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import httpx

from tests.e2e.cognito_api._helpers import PASSWORD, error_code, new_email, new_pool
from tests.support.processes import Server


def _secret_hash(secret: str, username: str, client_id: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
                            ).decode()


def _token(server: Server, client_id: str, secret: str) -> int:
    return httpx.post(f"{server.url}/oauth2/token", data={"grant_type": "client_credentials"},
                      auth=(client_id, secret), timeout=10).status_code


def _confidential(cognito: Any) -> tuple[str, str, str]:
    pool_id = new_pool(cognito)
    cognito.create_resource_server(UserPoolId=pool_id, Identifier="api", Name="api",
                                   Scopes=[{"ScopeName": "read", "ScopeDescription": "read"}])
    created = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="backend", GenerateSecret=True, AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["api/read"], AllowedOAuthFlowsUserPoolClient=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]
    cognito.admin_create_user(UserPoolId=pool_id, Username="sam", TemporaryPassword=PASSWORD,
                              UserAttributes=[{"Name": "email", "Value": new_email()}], MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool_id, Username="sam", Password=PASSWORD, Permanent=True)
    return pool_id, created["ClientId"], created["ClientSecret"]


def _sign_in(public: Any, client_id: str, secret: str) -> Any:
    return public.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={
        "USERNAME": "sam", "PASSWORD": PASSWORD, "SECRET_HASH": _secret_hash(secret, "sam", client_id)})


def test_rotate_a_client_secret_without_downtime(cognito: Any, public: Any, api_server: Server) -> None:
    pool_id, client_id, first = _confidential(cognito)
    listed = cognito.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)["ClientSecrets"]
    assert len(listed) == 1 and set(listed[0]) == {"ClientSecretId", "ClientSecretCreateDate"}
    first_id = listed[0]["ClientSecretId"]

    added = cognito.add_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id)["ClientSecretDescriptor"]
    second = added["ClientSecretValue"]
    assert len(second) == 52 and second != first and added["ClientSecretId"] != first_id
    ids = [s["ClientSecretId"] for s in
           cognito.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)["ClientSecrets"]]
    assert ids == [first_id, added["ClientSecretId"]]

    for secret in (first, second):  # both work, on every door
        assert _token(api_server, client_id, secret) == 200
        refresh = _sign_in(public, client_id, secret)["AuthenticationResult"]["RefreshToken"]
        assert public.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=refresh, ClientSecret=secret)
    assert _token(api_server, client_id, "x" * 52) == 401  # invalid_client
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert described["ClientSecret"] == first

    cognito.delete_user_pool_client_secret(UserPoolId=pool_id, ClientId=client_id, ClientSecretId=first_id)
    assert _token(api_server, client_id, first) == 401
    assert error_code(lambda: _sign_in(public, client_id, first)) == "NotAuthorizedException"
    assert _token(api_server, client_id, second) == 200
    described = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert described["ClientSecret"] == second


def test_rotation_refusals(cognito: Any) -> None:
    pool_id, client_id, _ = _confidential(cognito)
    add = cognito.add_user_pool_client_secret
    custom = add(UserPoolId=pool_id, ClientId=client_id, ClientSecret="my_custom_secret_0123456789")
    assert custom["ClientSecretDescriptor"]["ClientSecretValue"] == "my_custom_secret_0123456789"
    assert error_code(lambda: add(UserPoolId=pool_id, ClientId=client_id)) == "LimitExceededException"

    delete = cognito.delete_user_pool_client_secret
    assert error_code(lambda: delete(UserPoolId=pool_id, ClientId=client_id, ClientSecretId="nope")) \
        == "ResourceNotFoundException"
    ids = [s["ClientSecretId"] for s in
           cognito.list_user_pool_client_secrets(UserPoolId=pool_id, ClientId=client_id)["ClientSecrets"]]
    delete(UserPoolId=pool_id, ClientId=client_id, ClientSecretId=ids[0])
    assert error_code(lambda: delete(UserPoolId=pool_id, ClientId=client_id, ClientSecretId=ids[1])) \
        == "InvalidParameterException"  # never the last one

    public_client = cognito.create_user_pool_client(UserPoolId=pool_id, ClientName="spa")["UserPoolClient"]
    assert error_code(lambda: add(UserPoolId=pool_id, ClientId=public_client["ClientId"])) \
        == "InvalidParameterException"
    assert error_code(lambda: add(UserPoolId=pool_id, ClientId="nosuchclient1")) == "ResourceNotFoundException"

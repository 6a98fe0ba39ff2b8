"""The SigV4 admin gate against a real server: AWS's refusal names, the 5-minute window, replay resistance."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import httpx
from botocore import UNSIGNED
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from tests.e2e.cognito_api._helpers import (
    AMZ_JSON,
    KEY_ID,
    REGION,
    SECRET,
    TARGET,
    error_code,
    error_of,
    post,
    signed_headers,
    wire_error,
)
from tests.e2e.cognito_api.conftest import make_client
from tests.support.processes import Server


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def test_unsigned_admin_call_is_missing_authentication_token(api_server: Server) -> None:
    anonymous = make_client(api_server.url, signature_version=UNSIGNED)
    try:
        anonymous.list_user_pools(MaxResults=5)
    except ClientError as exc:
        assert exc.response["Error"]["Code"] == "MissingAuthenticationTokenException"
        assert exc.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    else:
        raise AssertionError("an unsigned admin call was accepted")


def test_wrong_secret_is_invalid_signature(api_server: Server) -> None:
    client = make_client(api_server.url, secret="not-the-secret")
    error = error_of(lambda: client.list_user_pools(MaxResults=5))
    assert error["Code"] == "InvalidSignatureException"
    assert error["Message"].startswith("The request signature we calculated does not match")


def test_unknown_access_key_is_unrecognized_client(api_server: Server) -> None:
    client = make_client(api_server.url, key="AKCGUNKNOWN000000000")
    assert error_code(lambda: client.list_user_pools(MaxResults=5)) == "UnrecognizedClientException"


def test_signature_ten_minutes_old_is_refused(cognito: Any) -> None:
    with mock.patch("botocore.auth.get_current_datetime", return_value=_utc_now() - timedelta(minutes=10)):
        error = error_of(lambda: cognito.list_user_pools(MaxResults=5))
    assert error["Code"] == "InvalidSignatureException" and error["Message"].startswith("Signature expired")


def test_signature_from_the_future_is_refused(api_server: Server) -> None:
    response = post(api_server.url, "ListUserPools", {"MaxResults": 5}, at=_utc_now() + timedelta(minutes=10))
    assert wire_error(response) == "InvalidSignatureException"
    assert response.json()["message"].startswith("Signature not yet current")


def test_slightly_skewed_clock_is_accepted(api_server: Server) -> None:
    response = post(api_server.url, "ListUserPools", {"MaxResults": 5}, at=_utc_now() - timedelta(minutes=3))
    assert response.status_code == 200, response.text


def test_tampered_body_is_refused(api_server: Server, cognito: Any, pool_id: str) -> None:
    signed = signed_headers(api_server.url, "DescribeUserPool", json.dumps({"UserPoolId": pool_id}).encode())
    other = json.dumps({"UserPoolId": "us-east-1_Other1234"}).encode()
    response = httpx.post(api_server.url + "/", content=other, headers=signed)
    assert wire_error(response) == "InvalidSignatureException"


def test_signed_request_cannot_be_replayed_as_another_operation(api_server: Server, cognito: Any,
                                                                pool_id: str) -> None:
    body = json.dumps({"UserPoolId": pool_id}).encode()
    headers = {**signed_headers(api_server.url, "DescribeUserPool", body), "X-Amz-Target": TARGET + "DeleteUserPool"}
    assert wire_error(httpx.post(api_server.url + "/", content=body, headers=headers)) == "InvalidSignatureException"
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Id"] == pool_id


def test_target_must_be_a_signed_header(api_server: Server) -> None:
    body = b'{"MaxResults": 5}'
    request = AWSRequest(method="POST", url=api_server.url + "/", data=body, headers={"Content-Type": AMZ_JSON})
    SigV4Auth(Credentials(KEY_ID, SECRET), "cognito-idp", REGION).add_auth(request)
    headers = {**dict(request.headers.items()), "X-Amz-Target": TARGET + "ListUserPools"}
    assert wire_error(httpx.post(api_server.url + "/", content=body, headers=headers)) == "InvalidSignatureException"


def test_http_date_header_instead_of_x_amz_date(api_server: Server) -> None:
    body = b'{"MaxResults": 5}'
    request = AWSRequest(method="POST", url=api_server.url + "/", data=body, headers={
        "Content-Type": AMZ_JSON, "X-Amz-Target": TARGET + "ListUserPools", "Date": "placeholder"})
    SigV4Auth(Credentials(KEY_ID, SECRET), "cognito-idp", REGION).add_auth(request)
    assert "X-Amz-Date" not in request.headers
    response = httpx.post(api_server.url + "/", content=body, headers=dict(request.headers.items()))
    assert response.status_code == 200, response.text


def test_malformed_authorization_header(api_server: Server) -> None:
    headers = {"Content-Type": AMZ_JSON, "X-Amz-Target": TARGET + "ListUserPools", "Authorization": "Bearer abc"}
    response = httpx.post(api_server.url + "/", content=b"{}", headers=headers)
    assert wire_error(response) == "IncompleteSignatureException"


def test_credential_scoped_to_another_service(api_server: Server) -> None:
    body = b'{"MaxResults": 5}'
    request = AWSRequest(method="POST", url=api_server.url + "/", data=body, headers={
        "Content-Type": AMZ_JSON, "X-Amz-Target": TARGET + "ListUserPools"})
    SigV4Auth(Credentials(KEY_ID, SECRET), "s3", REGION).add_auth(request)
    response = httpx.post(api_server.url + "/", content=body, headers=dict(request.headers.items()))
    assert wire_error(response) == "InvalidSignatureException"


def test_cors_preflight(api_server: Server) -> None:
    response = httpx.options(api_server.url + "/", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-amz-target,x-amz-user-agent,content-type,amz-sdk-request"})
    assert response.status_code == 200
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"x-amz-target", "x-amz-user-agent", "content-type", "cache-control", "authorization", "x-amz-date",
            "x-amz-security-token", "amz-sdk-request"} <= allowed
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]

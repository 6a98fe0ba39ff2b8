"""What the Cognito API tests share: the admin key pair, error codes, and hand-signed raw requests."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any
from unittest import mock

import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

KEY_ID = "AKCGTESTKEY000000001"
SECRET = "test-secret-access-key-0123456789abcdef"
REGION = "us-east-1"
TARGET = "AWSCognitoIdentityProviderService."
AMZ_JSON = "application/x-amz-json-1.1"


def error_of(call: Callable[[], Any]) -> dict[str, str]:
    """`{"Code", "Message"}` of the error a boto3 call fails with."""
    with pytest.raises(ClientError) as info:
        call()
    return dict(info.value.response["Error"])


def error_code(call: Callable[[], Any]) -> str:
    """The Cognito exception name a boto3 call fails with."""
    return error_of(call)["Code"]


def signed_headers(url: str, operation: str, body: bytes, *, content_type: str = AMZ_JSON,
                   key: str = KEY_ID, secret: str = SECRET, at: datetime | None = None) -> dict[str, str]:
    """Headers botocore's SigV4 signer produces for a raw POST; `at` freezes the signing time (naive UTC)."""
    request = AWSRequest(method="POST", url=url + "/", data=body,
                         headers={"Content-Type": content_type, "X-Amz-Target": TARGET + operation})
    signer = SigV4Auth(Credentials(key, secret), "cognito-idp", REGION)
    if at is None:
        signer.add_auth(request)
    else:
        with mock.patch("botocore.auth.get_current_datetime", return_value=at):
            signer.add_auth(request)
    return dict(request.headers.items())


def post(url: str, operation: str, body: bytes | dict[str, Any], **kw: Any) -> httpx.Response:
    """A signed raw request (for what boto3 cannot send: broken JSON, other content types, huge bodies)."""
    raw = json.dumps(body).encode() if isinstance(body, dict) else body
    return httpx.post(url + "/", content=raw, headers=signed_headers(url, operation, raw, **kw), timeout=10)


def wire_error(response: httpx.Response) -> str:
    """The `__type` of an error response, checked against the `x-amzn-ErrorType` header."""
    assert 400 <= response.status_code < 500, response.text
    body = response.json()
    assert set(body) == {"__type", "message"}, body
    assert response.headers["x-amzn-ErrorType"] == body["__type"]
    return str(body["__type"])

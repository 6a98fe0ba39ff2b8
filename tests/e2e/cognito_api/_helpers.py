"""What the Cognito API tests share: the admin key pair, error codes, hand-signed raw requests, and for the user
flows app clients, SECRET_HASH and the codes the server mailed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesParser
from email.policy import default
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
import jwt
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


# User flows (SignUp, InitiateAuth, ...): app clients, SECRET_HASH, codes from the server's outbox.

PASSWORD = "Passw0rd!first"
NEW_PASSWORD = "Passw0rd!second"
ALL_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
             "ALLOW_ADMIN_USER_PASSWORD_AUTH"]


@dataclass(frozen=True)
class App:
    """An app client of a pool, as a relying party knows it."""

    pool_id: str
    client_id: str
    secret: str | None = None

    def secret_hash(self, username: str) -> str:
        """Spec §8: Base64(HMAC-SHA256(key=secret, msg=username + client_id))."""
        assert self.secret is not None
        mac = hmac.new(self.secret.encode(), (username + self.client_id).encode(), hashlib.sha256).digest()
        return base64.b64encode(mac).decode()


def new_pool(cognito: Any, **settings: Any) -> str:
    """A pool that auto-verifies email, with a policy the test passwords meet."""
    policy = {"MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True, "RequireNumbers": True,
              "RequireSymbols": False}
    config = {"AutoVerifiedAttributes": ["email"], "Policies": {"PasswordPolicy": policy}, **settings}
    return str(cognito.create_user_pool(PoolName=f"flows-{uuid.uuid4().hex[:8]}", **config)["UserPool"]["Id"])


def new_app(cognito: Any, pool_id: str, *, flows: list[str] | None = None, secret: bool = False,
            **settings: Any) -> App:
    created = cognito.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", GenerateSecret=secret,
        ExplicitAuthFlows=ALL_FLOWS if flows is None else flows, **settings)["UserPoolClient"]
    return App(pool_id=pool_id, client_id=created["ClientId"], secret=created.get("ClientSecret"))


def new_email() -> str:
    return f"u{uuid.uuid4().hex[:12]}@example.com"


def code_sent_to(outbox: Path, email: str) -> str:
    """The 6-digit code of the newest message to `email` in the server's outbox."""
    for path in sorted(outbox.glob("*.eml"), reverse=True):
        message = BytesParser(policy=default).parsebytes(path.read_bytes())
        if message["To"] == email:
            body = message.get_body(preferencelist=("plain",))
            assert body is not None
            found = re.search(r"\b(\d{6})\b", body.get_content())
            assert found, body.get_content()
            return found.group(1)
    raise AssertionError(f"no mail to {email} in {outbox}")


def attributes_of(entries: list[dict[str, str]]) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in entries}


def verified_claims(server_url: str, pool_id: str, token: str, **options: Any) -> dict[str, Any]:
    """PyJWT with the key from the pool's JWKS and the issuer checked: what an API behind Cognate does."""
    jwks = httpx.get(f"{server_url}/{pool_id}/.well-known/jwks.json", timeout=5).json()
    key = jwt.PyJWKSet.from_dict(jwks)[jwt.get_unverified_header(token)["kid"]]
    return dict(jwt.decode(token, key.key, algorithms=["RS256"], issuer=f"{server_url}/{pool_id}", **options))

"""The JSON API's wire protocol with raw HTTP: bodies, content types, targets and error shapes (spec §6)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from cognate.settings import load_settings
from tests.e2e.cognito_api._helpers import AMZ_JSON, KEY_ID, SECRET, TARGET, post, signed_headers, wire_error
from tests.support.inprocess import in_process_app
from tests.support.processes import Server

MiB = 1024 * 1024


def test_malformed_json_is_a_serialization_error(api_server: Server) -> None:
    assert wire_error(post(api_server.url, "ListUserPools", b'{"MaxResults": ')) == "SerializationException"
    assert wire_error(post(api_server.url, "ListUserPools", b"[1, 2]")) == "SerializationException"
    assert wire_error(post(api_server.url, "ListUserPools", b"\xff\xfe")) == "SerializationException"
    assert wire_error(post(api_server.url, "ListUserPools", b"[" * 100_000)) == "SerializationException"


def test_unknown_and_unimplemented_operations(api_server: Server) -> None:
    response = post(api_server.url, "Frobnicate", {})
    assert wire_error(response) == "UnknownOperationException"
    response = post(api_server.url, "CreateIdentityProvider", {})
    assert wire_error(response) == "UnknownOperationException" and "not implemented" in response.json()["message"]
    bare = httpx.post(api_server.url + "/", content=b"{}", headers={"Content-Type": AMZ_JSON})
    assert wire_error(bare) == "UnknownOperationException"


def test_unsigned_operations_skip_the_signature_gate(api_server: Server) -> None:
    """SignUp is sent unsigned by botocore: it reaches the model checks, never MissingAuthenticationToken."""
    response = httpx.post(api_server.url + "/", content=b"{}", headers={
        "Content-Type": AMZ_JSON, "X-Amz-Target": TARGET + "SignUp"})
    assert wire_error(response) == "InvalidParameterException"
    assert "Value null at 'clientId'" in response.json()["message"]


def test_content_types(api_server: Server) -> None:
    response = post(api_server.url, "ListUserPools", {"MaxResults": 1}, content_type="text/plain")
    assert response.status_code == 400 and wire_error(response) == "SerializationException"
    assert "application/x-amz-json-1.1" in response.json()["message"]
    response = post(api_server.url, "ListUserPools", {"MaxResults": 1}, content_type="application/json")
    assert response.status_code == 200 and "UserPools" in response.json()
    assert response.headers["content-type"].startswith(AMZ_JSON)


def test_oversized_body_is_refused(api_server: Server) -> None:
    huge = json.dumps({"PoolName": "x" * MiB}).encode()
    response = post(api_server.url, "CreateUserPool", huge)
    assert response.status_code == 413 and wire_error(response) == "RequestEntityTooLargeException"


def test_oversized_chunked_body_is_refused(api_server: Server) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b" " * (64 * 1024)

    headers = {"Content-Type": AMZ_JSON, "X-Amz-Target": TARGET + "ListUserPools"}
    response = httpx.post(api_server.url + "/", content=chunks(), headers=headers)
    assert response.status_code == 413 and wire_error(response) == "RequestEntityTooLargeException"


def test_validation_errors_are_counted_and_named(api_server: Server) -> None:
    response = post(api_server.url, "AdminGetUser", {})
    assert wire_error(response) == "InvalidParameterException"
    assert response.json()["message"] == (
        "2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be "
        "null; Value null at 'username' failed to satisfy constraint: Member must not be null")
    response = post(api_server.url, "ListUsers", {"UserPoolId": 5, "Limit": "ten"})
    assert wire_error(response) == "InvalidParameterException"
    assert "Member must be of type string" in response.json()["message"]
    response = post(api_server.url, "ListUsers", {"UserPoolId": "us-east-1_abc", "Limit": 61})
    assert "Member must have value less than or equal to 60" in response.json()["message"]


def test_errors_carry_cors_and_request_id(api_server: Server) -> None:
    response = post(api_server.url, "DescribeUserPool", {"UserPoolId": "us-east-1_Nope12345"})
    assert wire_error(response) == "ResourceNotFoundException"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["x-amzn-requestid"]


async def test_unreachable_database_is_an_internal_error_without_internals(tmp_path: Path) -> None:
    """In-process: a store that cannot connect must give InternalErrorException (500, retried by botocore)."""
    settings = load_settings(data_dir=tmp_path, database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none",
                             admin_access_key_id=KEY_ID, admin_secret_access_key=SECRET)
    body = json.dumps({"UserPoolId": "us-east-1_abc123456"}).encode()
    headers = signed_headers("http://testserver", "DescribeUserPool", body)
    async with in_process_app(settings, migrate=False, base_url="http://testserver") as app:
        response = await app.http.post("/", content=body, headers=headers)
    assert response.status_code == 500
    body_out: dict[str, Any] = response.json()
    assert body_out == {"__type": "InternalErrorException", "message": body_out["message"]}
    assert "127.0.0.1" not in body_out["message"] and "asyncpg" not in body_out["message"]

"""SigV4 on admin operations (ARCHITECTURE.md: admin auth): requests signed by botocore's own signer, as boto3 signs
them, pass; every way a signature can be missing, unknown, stale, mis-scoped or wrong is refused under AWS's name."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from cognate.cognito_api.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)
from cognate.cognito_api.sigv4 import MISMATCH, SignedRequest, parse_authorization, verify

KEY, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
KEYS = {KEY: SECRET}
URL = "http://127.0.0.1:9229/"
BODY = b'{"UserPoolId": "us-east-1_abcdefghi"}'
TARGET = "AWSCognitoIdentityProviderService.DescribeUserPool"
NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def signed(*, at: datetime = NOW, service: str = "cognito-idp", secret: str = SECRET, body: bytes = BODY,
           extra: dict[str, str] | None = None) -> dict[str, str]:
    """The headers botocore sends for this request, signed at `at`."""
    request = AWSRequest(method="POST", url=URL, data=body, headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET, **(extra or {})})
    with mock.patch("botocore.auth.get_current_datetime", return_value=at.replace(tzinfo=None)):
        SigV4Auth(Credentials(KEY, secret), service, "us-east-1").add_auth(request)
    return dict(request.headers.items())


def as_received(headers: dict[str, str], *, body: bytes = BODY, host: str = "127.0.0.1:9229") -> SignedRequest:
    """The request as the dispatcher hands it over: URL from the Host header, header names in lower case."""
    lowered = [(k.lower(), v) for k, v in headers.items()]
    return SignedRequest(method="POST", url=f"http://{host}/", headers=[("host", host), *lowered], body=body)


def test_a_request_boto3_signed_passes_and_names_its_key() -> None:
    assert verify(as_received(signed()), keys=KEYS, now=NOW) == KEY


def test_within_five_minutes_either_way_passes() -> None:
    for skew in (timedelta(minutes=-4, seconds=-59), timedelta(minutes=4, seconds=59)):
        assert verify(as_received(signed(at=NOW + skew)), keys=KEYS, now=NOW) == KEY


def test_no_authorization_header_is_a_missing_token() -> None:
    headers = {k: v for k, v in signed().items() if k != "Authorization"}
    with pytest.raises(MissingAuthenticationTokenException):
        verify(as_received(headers), keys=KEYS, now=NOW)


def test_an_unknown_key_is_an_unrecognized_client() -> None:
    with pytest.raises(UnrecognizedClientException):
        verify(as_received(signed()), keys={"AKIDOTHER": SECRET}, now=NOW)


def test_a_wrong_secret_or_a_changed_body_does_not_match() -> None:
    for request in (as_received(signed(secret="not-the-secret")), as_received(signed(), body=BODY + b" ")):
        with pytest.raises(InvalidSignatureException) as refused:
            verify(request, keys=KEYS, now=NOW)
        assert refused.value.message == MISMATCH


def test_another_host_does_not_match() -> None:
    """Host is signed: a captured request replayed against another host fails."""
    with pytest.raises(InvalidSignatureException):
        verify(as_received(signed(), host="evil.example.net"), keys=KEYS, now=NOW)


@pytest.mark.parametrize(("skew", "wording"), [(timedelta(minutes=6), "Signature expired"),
                                               (timedelta(minutes=-6), "Signature not yet current")])
def test_outside_the_window_is_refused_in_awss_words(skew: timedelta, wording: str) -> None:
    with pytest.raises(InvalidSignatureException) as refused:
        verify(as_received(signed()), keys=KEYS, now=NOW + skew)
    assert refused.value.message.startswith(wording)


def test_a_signature_for_another_service_is_refused() -> None:
    with pytest.raises(InvalidSignatureException) as refused:
        verify(as_received(signed(service="s3")), keys=KEYS, now=NOW)
    assert "cognito-idp" in refused.value.message


def test_x_amz_target_must_be_signed() -> None:
    """Otherwise a signed DescribeUserPool could be replayed as DeleteUserPool."""
    headers = signed()
    names = headers["Authorization"].split("SignedHeaders=")[1].split(",")[0]
    headers["Authorization"] = headers["Authorization"].replace(
        names, ";".join(n for n in names.split(";") if n != "x-amz-target"))
    with pytest.raises(InvalidSignatureException) as refused:
        verify(as_received(headers), keys=KEYS, now=NOW)
    assert refused.value.message == "'x-amz-target' must be present and a signed header."


def test_a_declared_payload_hash_must_be_the_bodys() -> None:
    headers = signed(extra={"X-Amz-Content-SHA256": hashlib.sha256(b"other").hexdigest()})
    with pytest.raises(InvalidSignatureException):
        verify(as_received(headers), keys=KEYS, now=NOW)


def test_an_http_date_header_instead_of_x_amz_date_is_read() -> None:
    headers = {k: v for k, v in signed().items() if k != "X-Amz-Date"}
    headers["Date"] = "Sun, 01 Mar 2026 11:00:00 GMT"  # one hour off: the window check proves it was read
    with pytest.raises(InvalidSignatureException, match="Signature expired"):
        verify(as_received(headers), keys=KEYS, now=NOW)


@pytest.mark.parametrize("change", [
    lambda h: h.pop("X-Amz-Date"),
    lambda h: h.update({"X-Amz-Date": "yesterday"}),
    lambda h: h.update({"Authorization": h["Authorization"].replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1")}),
    lambda h: h.update({"Authorization": h["Authorization"].split(", Signature=")[0]}),
    lambda h: h.update({"Authorization": h["Authorization"].replace("/aws4_request", "/aws5_request")}),
])
def test_a_malformed_signature_is_incomplete(change: object) -> None:
    headers = signed()
    change(headers)  # type: ignore[operator]
    with pytest.raises(IncompleteSignatureException):
        verify(as_received(headers), keys=KEYS, now=NOW)


def test_parse_authorization_reads_botocores_header() -> None:
    auth = parse_authorization(signed()["Authorization"])
    assert (auth.access_key_id, auth.date, auth.region, auth.service) == (KEY, "20260301", "us-east-1", "cognito-idp")
    assert {"host", "x-amz-target", "x-amz-date"} <= set(auth.signed_headers)
    assert len(auth.signature) == 64

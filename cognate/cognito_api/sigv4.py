"""AWS Signature Version 4 on admin operations, recomputed with botocore's signer (ARCHITECTURE.md: admin auth).

botocore is imported on the first signature actually recomputed, not at start-up: with urllib3, dateutil and xml
it costs start-up time and memory (README "Measured costs") that a process answering only OAuth, hosted-UI and
unsigned API requests never needs.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from cognate.cognito_api.errors import (
    IncompleteSignatureException,
    InvalidSignatureException,
    MissingAuthenticationTokenException,
    UnrecognizedClientException,
)

SERVICE = "cognito-idp"
SIGV4_TIMESTAMP = "%Y%m%dT%H%M%SZ"  # botocore.auth.SIGV4_TIMESTAMP (a unit test checks they agree)
ALGORITHM = "AWS4-HMAC-SHA256"
WINDOW = timedelta(minutes=5)
# Signed so a captured request cannot be replayed against another host or turned into another operation.
MUST_SIGN = ("host", "x-amz-target")
MISMATCH = ("The request signature we calculated does not match the signature you provided. Check your AWS "
            "Secret Access Key and signing method. Consult the service documentation for details.")


@dataclass(frozen=True)
class SignedRequest:
    """The request as the client signed it: URL built from its Host header, header names in lower case."""

    method: str
    url: str
    headers: Sequence[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k == name), None)


@dataclass(frozen=True)
class Authorization:
    access_key_id: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> Authorization:
    """`AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex`."""
    algorithm, _, rest = value.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise IncompleteSignatureException(f"Unsupported AWS 'algorithm': '{algorithm[:40]}'. Use {ALGORITHM}.")
    params = dict(part.strip().partition("=")[::2] for part in rest.split(","))
    missing = [k for k in ("Credential", "Signature", "SignedHeaders") if not params.get(k)]
    if missing:
        raise IncompleteSignatureException(" ".join(f"Authorization header requires '{k}' parameter." for k in missing))
    scope = params["Credential"].split("/")
    if len(scope) != 5 or scope[4] != "aws4_request" or not all(scope):
        raise IncompleteSignatureException(
            "Credential must have the form <access key id>/<date>/<region>/<service>/aws4_request.")
    return Authorization(access_key_id=scope[0], date=scope[1], region=scope[2], service=scope[3],
                         signed_headers=tuple(params["SignedHeaders"].lower().split(";")),
                         signature=params["Signature"])


def request_time(req: SignedRequest) -> datetime:
    """X-Amz-Date (basic ISO 8601), else the HTTP Date header, as botocore sends one or the other."""
    amz_date, http_date = req.header("x-amz-date"), req.header("date")
    try:
        if amz_date:
            return datetime.strptime(amz_date, SIGV4_TIMESTAMP).replace(tzinfo=UTC)
        if http_date:
            return parsedate_to_datetime(http_date).astimezone(UTC)
    except (ValueError, TypeError):
        raise IncompleteSignatureException(
            f"Date must be in ISO-8601 'basic format'. Got '{(amz_date or http_date or '')[:40]}'.") from None
    raise IncompleteSignatureException(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")


def check_window(signed_at: datetime, now: datetime) -> None:
    """AWS's wording, so SDK users recognise a skewed clock."""
    stamp, current = signed_at.strftime(SIGV4_TIMESTAMP), now.strftime(SIGV4_TIMESTAMP)
    if signed_at < now - WINDOW:
        raise InvalidSignatureException(f"Signature expired: {stamp} is now earlier than "
                                        f"{(now - WINDOW).strftime(SIGV4_TIMESTAMP)} ({current} - 5 min.)")
    if signed_at > now + WINDOW:
        raise InvalidSignatureException(f"Signature not yet current: {stamp} is still later than "
                                        f"{(now + WINDOW).strftime(SIGV4_TIMESTAMP)} ({current} + 5 min.)")


def check_scope(auth: Authorization, req: SignedRequest) -> None:
    if auth.service != SERVICE:
        raise InvalidSignatureException(f"Credential should be scoped to correct service: '{SERVICE}'.")
    for name in MUST_SIGN:
        if name not in auth.signed_headers or req.header(name) is None:
            raise InvalidSignatureException(f"'{name}' must be present and a signed header.")
    declared = req.header("x-amz-content-sha256")
    if declared is not None and declared != hashlib.sha256(req.body).hexdigest():
        raise InvalidSignatureException(
            "The provided 'x-amz-content-sha256' header does not match what was computed.")


@lru_cache(maxsize=1)
def _signer_class() -> Any:
    """botocore's SigV4 signer, told to canonicalise exactly the headers the client listed in SignedHeaders."""
    from botocore.auth import SigV4Auth
    from botocore.compat import HTTPHeaders
    from botocore.credentials import Credentials

    class ClientSignedHeaders(SigV4Auth):  # type: ignore[misc]  # botocore ships no type hints
        def __init__(self, secret: str, region: str, signed_headers: tuple[str, ...]) -> None:
            super().__init__(Credentials("", secret), SERVICE, region)
            self._names = signed_headers

        def headers_to_sign(self, request: Any) -> Any:
            headers = HTTPHeaders()
            for name in self._names:
                for value in request.headers.get_all(name) or ():
                    headers[name] = value
            return headers

    return ClientSignedHeaders


def expected_signature(req: SignedRequest, auth: Authorization, secret: str, signed_at: datetime) -> str:
    from botocore.awsrequest import AWSRequest

    aws = AWSRequest(method=req.method, url=req.url, data=req.body)
    for name, value in req.headers:
        if name in auth.signed_headers:
            aws.headers[name] = value
    aws.context["timestamp"] = signed_at.strftime(SIGV4_TIMESTAMP)
    signer = _signer_class()(secret, auth.region, auth.signed_headers)
    string_to_sign = signer.string_to_sign(aws, signer.canonical_request(aws))
    return str(signer.signature(string_to_sign, aws))


def verify(req: SignedRequest, *, keys: Mapping[str, str], now: datetime) -> str:
    """The caller's access key id, or the AWS refusal for a missing, unknown, stale or wrong signature."""
    header = req.header("authorization")
    if not header:
        raise MissingAuthenticationTokenException("Missing Authentication Token")
    auth = parse_authorization(header)
    secret = keys.get(auth.access_key_id)
    if secret is None:
        raise UnrecognizedClientException("The security token included in the request is invalid.")
    signed_at = request_time(req)
    check_window(signed_at, now)
    check_scope(auth, req)
    expected = expected_signature(req, auth, secret, signed_at)
    if not hmac.compare_digest(expected.encode(), auth.signature.encode()):
        raise InvalidSignatureException(MISMATCH)
    return auth.access_key_id

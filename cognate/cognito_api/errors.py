"""The wire errors of the JSON API and the one place a CognitoError becomes `{"__type", "message"}` (spec §6)."""

from __future__ import annotations

from starlette.responses import JSONResponse

from cognate.domain.errors import CognitoError

AMZ_JSON = "application/x-amz-json-1.1"


class UnknownOperationException(CognitoError):
    name = "UnknownOperationException"


class SerializationException(CognitoError):
    name = "SerializationException"


class RequestEntityTooLargeException(CognitoError):
    name = "RequestEntityTooLargeException"
    status = 413


class MissingAuthenticationTokenException(CognitoError):
    name = "MissingAuthenticationTokenException"
    status = 403


class IncompleteSignatureException(CognitoError):
    name = "IncompleteSignatureException"


class UnrecognizedClientException(CognitoError):
    name = "UnrecognizedClientException"


class InvalidSignatureException(CognitoError):
    name = "InvalidSignatureException"


def error_response(exc: CognitoError) -> JSONResponse:
    """botocore reads `__type` and `message`; the JS SDK falls back to the `x-amzn-ErrorType` header."""
    return JSONResponse({"__type": exc.name, "message": exc.message}, status_code=exc.status,
                        media_type=AMZ_JSON, headers={"x-amzn-ErrorType": exc.name})


__all__ = [
    "AMZ_JSON",
    "IncompleteSignatureException",
    "InvalidSignatureException",
    "MissingAuthenticationTokenException",
    "RequestEntityTooLargeException",
    "SerializationException",
    "UnknownOperationException",
    "UnrecognizedClientException",
    "error_response",
]

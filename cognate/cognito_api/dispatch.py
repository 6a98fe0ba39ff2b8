"""`POST /` of the Cognito JSON API: X-Amz-Target → operation table, the admin SigV4 gate, one error path (spec §6).

Every request goes through the same ordered phases (`handle`): bounded body, content type, operation, signature
(unless botocore sends the operation unsigned), JSON object, model checks, then the operation's handler.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from cognate.cognito_api import sigv4
from cognate.cognito_api.errors import (
    AMZ_JSON,
    RequestEntityTooLargeException,
    SerializationException,
    UnknownOperationException,
    error_response,
)
from cognate.cognito_api.ops import (
    Handler,
    Result,
    auth,
    auth_events,
    clients,
    domains,
    groups,
    mfa,
    resource_servers,
    self_service,
    signup,
    ui_customization,
    user_pools,
    users,
)
from cognate.cognito_api.shapes import check_request, in_model
from cognate.domain.errors import CognitoError, InternalErrorException
from cognate.services.deps import Deps
from cognate.services.rate_limit import charge_if_failed, check_caller
from cognate.web.asgi import BodyTooLarge, Disconnected, read_request_body
from cognate.web.errors import Renderer, app_handles
from cognate.web.observe import OPERATION, REASON

log = logging.getLogger("cognate.cognito_api")

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
MAX_BODY = 1024 * 1024
CONTENT_TYPES = frozenset({AMZ_JSON, "application/json"})
OPERATIONS: dict[str, Handler] = {
    **user_pools.OPERATIONS, **clients.OPERATIONS, **domains.OPERATIONS, **resource_servers.OPERATIONS,
    **users.OPERATIONS, **groups.OPERATIONS, **auth.OPERATIONS, **signup.OPERATIONS, **self_service.OPERATIONS,
    **mfa.OPERATIONS, **auth_events.OPERATIONS, **ui_customization.OPERATIONS,
}
# Spec §6: the model marks these `smithy.api#noAuth`; botocore never signs them, so neither does Cognito ask.
UNSIGNED = frozenset({
    "AssociateSoftwareToken", "ChangePassword", "CompleteWebAuthnRegistration", "ConfirmDevice",
    "ConfirmForgotPassword", "ConfirmSignUp", "DeleteUser", "DeleteUserAttributes", "DeleteWebAuthnCredential",
    "ForgetDevice", "ForgotPassword", "GetDevice", "GetTokensFromRefreshToken", "GetUser",
    "GetUserAttributeVerificationCode", "GetUserAuthFactors", "GlobalSignOut", "InitiateAuth", "ListDevices",
    "ListWebAuthnCredentials", "ResendConfirmationCode", "RespondToAuthChallenge", "RevokeToken",
    "SetUserMFAPreference", "SetUserSettings", "SignUp", "StartWebAuthnRegistration", "UpdateAuthEventFeedback",
    "UpdateDeviceStatus", "UpdateUserAttributes", "VerifySoftwareToken", "VerifyUserAttribute",
})
# Rate limited per client IP and per ClientId (OWASP ASVS 2.2.1): the unsigned operations that take a password, a
# code or a refresh token, or that send mail; a failed guess among them is charged to the address (`rate_limit`).
# Token-authenticated reads (GetUser, ...) are not.
RATE_LIMITED = frozenset({
    "ChangePassword", "ConfirmForgotPassword", "ConfirmSignUp", "ForgotPassword", "GetTokensFromRefreshToken",
    "GetUserAttributeVerificationCode", "InitiateAuth", "ResendConfirmationCode", "RespondToAuthChallenge", "SignUp",
    "VerifySoftwareToken", "VerifyUserAttribute",
})
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date",
}
CORS_HEADERS = ("X-Amz-Target", "X-Amz-User-Agent", "Content-Type", "Cache-Control", "Authorization",
                "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256")


async def read_body(request: Request) -> bytes:
    """At most MAX_BODY bytes, refused as soon as the declared or received size passes it."""
    try:
        return await read_request_body(request, MAX_BODY)
    except BodyTooLarge:
        raise RequestEntityTooLargeException(f"Request body must not exceed {MAX_BODY} bytes.") from None
    except Disconnected:
        raise SerializationException("The request body ended early.") from None


def check_content_type(value: str | None) -> None:
    media = (value or "").split(";", 1)[0].strip().lower()
    if media not in CONTENT_TYPES:
        raise SerializationException(
            f"Unsupported Content-Type '{media[:80]}': send {AMZ_JSON} (or application/json).")


def operation_of(target: str | None) -> str:
    if not target or not target.startswith(TARGET_PREFIX):
        raise UnknownOperationException(f"X-Amz-Target must be {TARGET_PREFIX}<Operation>.")
    operation = target.removeprefix(TARGET_PREFIX)
    if operation in OPERATIONS:
        return operation
    if in_model(operation):
        raise UnknownOperationException(f"Operation {operation} is not implemented by Cognate yet.")
    raise UnknownOperationException(f"Unknown operation {operation[:80]}.")


def signed_request(request: Request, body: bytes) -> sigv4.SignedRequest:
    """The request as the client signed it: its Host header, raw path and raw query."""
    host = request.headers.get("host", request.url.netloc)
    path = request.scope.get("raw_path") or request.scope["path"].encode()
    query = request.scope.get("query_string", b"")
    url = f"{request.url.scheme}://{host}{path.decode('latin-1')}" + (f"?{query.decode('latin-1')}" if query else "")
    headers = [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in request.headers.raw]
    return sigv4.SignedRequest(method=request.method, url=url, headers=headers, body=body)


def parse_params(body: bytes) -> Mapping[str, Any]:
    """One JSON object; an empty body counts as `{}`."""
    if not body.strip():
        return {}
    try:
        params = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise SerializationException(f"Request body is not valid JSON: {str(exc)[:120]}") from None
    if not isinstance(params, dict):
        raise SerializationException("Request body must be a JSON object.")
    return params


async def handle(request: Request) -> Result:
    deps: Deps = request.app.state.deps
    body = await read_body(request)
    check_content_type(request.headers.get("content-type"))
    operation = operation_of(request.headers.get("x-amz-target"))
    request.scope[OPERATION] = operation
    if operation not in UNSIGNED:
        now = datetime.fromtimestamp(deps.clock.now(), UTC)
        sigv4.verify(signed_request(request, body), keys=request.app.state.admin_keys, now=now)
    params = parse_params(body)
    check_request(operation, params)
    if operation not in RATE_LIMITED:
        return await OPERATIONS[operation](deps, params)
    client_id = params.get("ClientId")
    await check_caller(deps, client_id=client_id if isinstance(client_id, str) else None)
    try:
        return await OPERATIONS[operation](deps, params)
    except CognitoError as exc:
        await charge_if_failed(deps, exc)
        raise


async def cognito_api(request: Request) -> Response:
    """Errors below 500 tell the caller what was wrong; a 500 says nothing and the log gets the details.

    An error the app handles (the store's Unavailable: this package sees services and domain only) goes to the app,
    which renders it with `unavailable`.
    """
    response: Response
    try:
        response = JSONResponse(await handle(request), media_type=AMZ_JSON)
    except CognitoError as exc:
        request.scope[REASON] = exc.name
        response = error_response(exc)
    except Exception as exc:
        if app_handles(request, exc):
            raise
        log.exception("cognito api: unhandled error")
        request.scope[REASON] = InternalErrorException.name
        response = error_response(InternalErrorException("An internal error occurred."))
    response.headers.update(CORS)
    return response


async def unavailable(request: Request) -> Response:
    """A database outage: Cognito's `InternalErrorException` with 500, which botocore's retry modes retry."""
    request.scope[REASON] = InternalErrorException.name
    response = error_response(InternalErrorException("The service is temporarily unavailable. Try again shortly."))
    response.headers.update(CORS)
    return response


UNAVAILABLE: Renderer = unavailable


async def preflight(request: Request) -> Response:
    """Browsers (Amplify) call the unsigned operations cross-origin; no cookies are involved, so any origin."""
    requested = request.headers.get("access-control-request-headers", "")
    allowed = ", ".join(dict.fromkeys([*CORS_HEADERS, *(h.strip() for h in requested.split(",") if h.strip())]))
    return Response(status_code=200, headers={**CORS, "Access-Control-Allow-Methods": "POST, OPTIONS",
                                              "Access-Control-Allow-Headers": allowed,
                                              "Access-Control-Max-Age": "600"})


routes = [
    Route("/", cognito_api, methods=["POST"]),
    Route("/", preflight, methods=["OPTIONS"]),
]

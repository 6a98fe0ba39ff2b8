"""OAuth 2.0 error codes (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1), one class each, rendered in one place each."""

from __future__ import annotations

import re

from starlette.responses import JSONResponse

from cognate.oauth.vocab import JSON_UTF8

_UNSAFE = re.compile(r"[^\x20-\x21\x23-\x5B\x5D-\x7E]")


class OAuthError(Exception):
    error = "server_error"
    status = 400
    failed_guess = False  # a wrong secret, code, token or password: charged to the caller's address (rate_limit)

    def __init__(self, description: str = "") -> None:
        super().__init__(description)
        # RFC 6749 allows only %x20-21 / %x23-5B / %x5D-7E in error_description: no CR/LF, quotes or backslashes.
        self.description = _UNSAFE.sub(" ", description)[:300]
        self.headers: dict[str, str] = {}

    def bearer_challenge(self) -> str:
        """The `WWW-Authenticate` value of a protected resource (RFC 6750 §3)."""
        return f'Bearer error="{self.error}", error_description="{self.description}"'

    def to_json(self, *, headers: dict[str, str] | None = None) -> JSONResponse:
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return JSONResponse(body, status_code=self.status,
                            headers={"Cache-Control": "no-store", "Pragma": "no-cache", **self.headers,
                                     **(headers or {})},
                            media_type=JSON_UTF8)


class InvalidRequest(OAuthError):
    error = "invalid_request"


class InvalidClient(OAuthError):
    """400 as Cognito's documentation shows; 401 with a Basic challenge when the client used HTTP Basic
    (RFC 6749 §5.2)."""

    error = "invalid_client"
    failed_guess = True

    def __init__(self, description: str = "", *, basic: bool = False) -> None:
        super().__init__(description)
        if basic:
            self.status = 401
            self.headers["WWW-Authenticate"] = 'Basic realm="cognate"'


class InvalidGrant(OAuthError):
    error = "invalid_grant"
    failed_guess = True


class UnauthorizedClient(OAuthError):
    error = "unauthorized_client"


class UnsupportedGrantType(OAuthError):
    error = "unsupported_grant_type"


class UnsupportedResponseType(OAuthError):
    error = "unsupported_response_type"


class UnsupportedTokenType(OAuthError):
    error = "unsupported_token_type"


class InvalidScope(OAuthError):
    error = "invalid_scope"


class AccessDenied(OAuthError):
    error = "access_denied"


class LoginRequired(OAuthError):
    error = "login_required"


class InvalidToken(OAuthError):
    error = "invalid_token"
    status = 401


class InsufficientScope(OAuthError):
    """RFC 6750 §3.1 suggests 403; Cognito answers every unusable bearer token with a 4xx, and we keep 401 for all."""

    error = "insufficient_scope"
    status = 401


class ServerError(OAuthError):
    error = "server_error"
    status = 500


class TooManyRequests(OAuthError):
    """A rate limit (OWASP ASVS 2.2.1) at the token endpoint: RFC 6585 §4's 429 with `Retry-After`.

    RFC 6749 §5.2 has no code for this (`slow_down` belongs to the device grant, RFC 8628 §3.5), so the body says
    `invalid_request` and the status and header carry the meaning."""

    error = "invalid_request"
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__("Too many requests")
        self.headers["Retry-After"] = str(retry_after)


class TemporarilyUnavailable(OAuthError):
    error = "temporarily_unavailable"
    status = 503

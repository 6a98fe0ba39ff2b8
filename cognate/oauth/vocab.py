"""OAuth 2.0 vocabulary used on the wire (RFC 6749 §4, §5; RFC 7009; Cognito spec §1.1-1.3)."""

from __future__ import annotations

AUTHORIZATION_CODE = "authorization_code"
REFRESH_TOKEN = "refresh_token"
CLIENT_CREDENTIALS = "client_credentials"
GRANT_TYPES = (AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS)

RESPONSE_TYPE_CODE = "code"
RESPONSE_TYPE_TOKEN = "token"

COGNITO_IDP = "COGNITO"
PROMPT_NONE = "none"
PROMPT_LOGIN = "login"
OPENID = "openid"

FORM_TYPE = "application/x-www-form-urlencoded"
JSON_UTF8 = "application/json;charset=UTF-8"  # Cognito's Content-Type of token and error responses
MAX_BODY = 64 * 1024  # a token or revoke request is a few hundred bytes; refuse anything absurd
BASIC_REALM = 'Basic realm="cognate"'
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# Token, userInfo, revoke, discovery and JWKS answer any origin: no cookies are involved.
ANY_ORIGIN = {"Access-Control-Allow-Origin": "*",
              "Access-Control-Expose-Headers": "WWW-Authenticate, Retry-After, ETag"}

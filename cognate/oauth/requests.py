"""Parsing OAuth requests once, into frozen values (RFC 6749 §3.1, §3.2, §2.3.1; RFC 6750 §2.1).

Every parameter may appear at most once; a parameter sent without a value counts as omitted (RFC 6749 §3.1).
A client secret is accepted from the Authorization header or the POST body, never from the URL (§2.3.1).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from starlette.requests import Request

from cognate.oauth.errors import InvalidClient, InvalidRequest
from cognate.oauth.vocab import FORM_TYPE, MAX_BODY
from cognate.web.asgi import BodyTooLarge, read_request_body


def single_valued(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Name → value, refusing repeated names; empty values dropped."""
    out: dict[str, str] = {}
    for name, value in pairs:
        if name in out:
            raise InvalidRequest(f"Parameter {name} is included more than once")
        out[name] = value
    return {name: value for name, value in out.items() if value != ""}


def form_pairs(text: str) -> list[tuple[str, str]]:
    """`parse_qsl(text, keep_blank_values=True)`, pair for pair, without its per-pair cost when nothing in a pair
    is escaped (a token request's usual case; this runs on every one)."""
    pairs = []
    for part in text.split("&"):
        if part:
            name, _, value = part.partition("=")
            pairs.append((_unescape(name), _unescape(value)))
    return pairs


def _unescape(text: str) -> str:
    return unquote_plus(text) if "%" in text or "+" in text else text


def parse_query(raw: str) -> dict[str, str]:
    return single_valued(form_pairs(raw))


def parse_form(body: bytes) -> dict[str, str]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidRequest("The request body is not UTF-8") from None
    return single_valued(form_pairs(text))


@dataclass(frozen=True)
class ClientCredentials:
    """Who the caller says it is: `client_id` and the secret(s) to try (raw and form-decoded for Basic)."""

    client_id: str | None
    secrets: tuple[str, ...] = ()
    basic: bool = False


@dataclass(frozen=True)
class FormRequest:
    """A POST to /oauth2/token or /oauth2/revoke: body parameters and the client's credentials."""

    params: Mapping[str, str] = field(default_factory=dict)
    credentials: ClientCredentials = ClientCredentials(None)

    def get(self, name: str) -> str | None:
        return self.params.get(name)

    def require(self, name: str) -> str:
        value = self.params.get(name)
        if value is None:
            raise InvalidRequest(f"Missing required parameter: {name}")
        return value


def _basic(header: str) -> ClientCredentials:
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "basic":
        raise InvalidClient("Unsupported client authentication method")
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise InvalidClient("Malformed Basic credentials", basic=True) from None
    client_id, colon, secret = decoded.partition(":")
    if not colon or not client_id:
        raise InvalidClient("Malformed Basic credentials", basic=True)
    candidates = tuple(dict.fromkeys(s for s in (secret, _unescape(secret)) if s))
    return ClientCredentials(_unescape(client_id), candidates, basic=True)


def client_credentials(header: str | None, params: Mapping[str, str]) -> ClientCredentials:
    """client_secret_basic or client_secret_post (never both), or a public client's bare client_id."""
    body_id, body_secret = params.get("client_id"), params.get("client_secret")
    if header is None:
        return ClientCredentials(body_id, (body_secret,) if body_secret else ())
    creds = _basic(header)
    if body_secret is not None:
        raise InvalidRequest("Use one client authentication method, not Basic and client_secret together")
    if body_id is not None and body_id != creds.client_id:
        raise InvalidClient("client_id does not match the Basic credentials", basic=True)
    return creds


def form_request(*, query: bytes, content_type: str | None, authorization: str | None, body: bytes) -> FormRequest:
    """A token or revoke request from its raw parts; the body must be form-encoded."""
    if query and "client_secret" in parse_query(query.decode("latin-1")):
        raise InvalidRequest("client_secret must not be sent in the URL query string")
    if (content_type or "").split(";", 1)[0].strip().lower() != FORM_TYPE:
        raise InvalidRequest(f"The request body must be {FORM_TYPE}")
    params = parse_form(body)
    return FormRequest(params=params, credentials=client_credentials(authorization, params))


async def bounded_body(reading: Awaitable[bytes]) -> bytes:
    """A token or revoke request's body, read by `web.asgi` with MAX_BODY as its limit: larger is `invalid_request`
    (a token or revoke request is a few hundred bytes)."""
    try:
        return await reading
    except BodyTooLarge:
        raise InvalidRequest("The request body is too large") from None


async def read_form(request: Request) -> FormRequest:
    """`form_request` of a Starlette request (the scope's raw query string: `request.url` would build a URL)."""
    body = await bounded_body(read_request_body(request, MAX_BODY))
    return form_request(query=request.scope.get("query_string", b""), content_type=request.headers.get(
        "content-type"), authorization=request.headers.get("authorization"), body=body)


def bearer_token(header: str | None) -> str:
    """The access token of `Authorization: Bearer <token>` (RFC 6750 §2.1)."""
    scheme, _, token = (header or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidRequest("Missing or malformed Bearer access token")
    return token.strip()

"""RS256 JWT minting and verification with joserfc.

Cognito's header is exactly `{"kid","alg"}` with no `typ` (spec §2).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

RS256_ONLY = jws.JWSRegistry(algorithms=["RS256"])  # made once: `algorithms=` builds a registry on every call


class InvalidToken(Exception):
    """Signature, algorithm or format is wrong; never says which to the caller."""


def mint(claims: Mapping[str, Any], key: RSAKey) -> str:
    payload = json.dumps(claims, separators=(",", ":")).encode()
    return jws.serialize_compact({"kid": key.kid, "alg": "RS256"}, payload, key, registry=RS256_ONLY)


def verify_signature(token: str, public_jwks: list[dict[str, Any]]) -> dict[str, Any]:
    """Claims of an RS256 token signed by one of `public_jwks` (matched by kid); any other alg is refused."""
    try:
        key_set = KeySet.import_key_set({"keys": public_jwks})
        obj = jws.deserialize_compact(token, key_set, registry=RS256_ONLY)
        claims = json.loads(obj.payload)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise InvalidToken(str(exc)) from None
    if obj.protected.get("alg") != "RS256" or not isinstance(claims, dict):
        raise InvalidToken("unexpected token")
    return claims


def unverified_part(token: str, index: int) -> Any:
    """The JSON of one part (0 header, 1 payload) of a compact JWT, NOT verified: only to choose how to verify it
    (which pool's keys) or to show it. ValueError when the token has no such part or it is not base64url JSON."""
    parts = token.split(".")
    if len(parts) <= index:
        raise ValueError("the token has no such part")
    segment = parts[index]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))

"""Verify Cognate and Amazon Cognito JWTs in your own API server (spec §2 "Verify"; RFC 7515; RFC 7519 §7.2).

A client library, not a part of the identity service: it needs only httpx and joserfc and imports nothing else of
`cognate`, so an API server imports it without pulling in the service (import-linter and
tests/unit/verify/test_standalone.py hold it to that). Usage::

    from cognate.verify import TokenInvalid, Verifier

    verifier = Verifier("http://127.0.0.1:9229/us-east-1_AbCdEfGhI", client_ids=["3n4b..."])
    claims = verifier.verify(access_token)          # or: await verifier.averify(access_token)

The same works for real Cognito (`https://cognito-idp.{region}.amazonaws.com/{poolId}`). Keys come from
`{issuer}/.well-known/jwks.json`, cached for `jwks_ttl` seconds and fetched again when a token names an unknown
`kid` (key rotation), at most once every 10 seconds.

Inside: `verifier` checks a token (header, signature, claims); `jwks` keeps the issuer's keys (fetching and
caching); `errors` holds the one exception both raise.
"""

from cognate.verify.errors import TokenInvalid
from cognate.verify.verifier import TOKEN_USES, Verifier

__all__ = ["TOKEN_USES", "TokenInvalid", "Verifier"]

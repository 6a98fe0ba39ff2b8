"""Proving the caller is the app client: SECRET_HASH (spec §8) and client secrets (RFC 6749 §2.3.1)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cognate.domain.clients import AppClient
from cognate.domain.errors import NotAuthorizedException


def secret_hash(client: AppClient, username: str) -> str:
    """Base64(HMAC-SHA256(key=secret, msg=username + client_id)), with the client's first secret."""
    assert client.secret is not None
    return _hash(client.secret, username, client.id)


def _hash(secret: str, username: str, client_id: str) -> str:
    mac = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(mac).decode()


def check_secret_hash(client: AppClient, usernames: tuple[str, ...], given: str | None) -> None:
    """Required for clients with a secret; any of the user's names (typed or internal) may have been hashed."""
    if client.secret is None:
        return
    if not given:
        raise NotAuthorizedException(f"Client {client.id} is configured for secret but secret was not received")
    keys = (client.secret, *client.other_secrets)
    if not any(hmac.compare_digest(_hash(key, name, client.id), given) for key in keys for name in usernames if name):
        raise NotAuthorizedException(f"Unable to verify secret hash for client {client.id}")


def secret_matches(client: AppClient, given: str | None) -> bool:
    """Constant-time comparison; deliberately no slow hash (client secrets are long random strings)."""
    if client.secret is None or given is None:
        return False
    if hmac.compare_digest(client.secret.encode(), given.encode()):
        return True
    return any(hmac.compare_digest(other.encode(), given.encode()) for other in client.other_secrets)

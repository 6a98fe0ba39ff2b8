"""An app client's secrets: at most two at once, so a secret can be replaced without downtime
(AddUserPoolClientSecret, then move the app over, then DeleteUserPoolClientSecret of the old one).

The whole set is stored sealed in one value: a JSON list, or, as stored before rotation existed, the bare secret
(a client secret is `[\\w+]+`, so it never starts with `[`); that one keeps the id `legacy_id(client_id)`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from cognate.domain.errors import InvalidParameterException, LimitExceededException, ResourceNotFoundException

MAX_SECRETS = 2


@dataclass(frozen=True)
class ClientSecret:
    id: str
    value: str
    created_at: float


def legacy_id(client_id: str) -> str:
    """A stable id for a secret stored before secrets had ids."""
    return hashlib.sha256(f"client-secret:{client_id}".encode()).hexdigest()[:32]


def secrets_from_plain(plain: str, *, client_id: str, created_at: float) -> list[ClientSecret]:
    if not plain.startswith("["):
        return [ClientSecret(legacy_id(client_id), plain, created_at)]
    return [ClientSecret(str(e["id"]), str(e["value"]), float(e["created"])) for e in json.loads(plain)]


def secrets_to_plain(secrets: list[ClientSecret]) -> str:
    return json.dumps([{"id": s.id, "value": s.value, "created": s.created_at} for s in secrets])


def with_added(secrets: list[ClientSecret], new: ClientSecret) -> list[ClientSecret]:
    if not secrets:
        raise InvalidParameterException("The app client has no client secret: a public client cannot get one.")
    if len(secrets) >= MAX_SECRETS:
        raise LimitExceededException(f"An app client can have at most {MAX_SECRETS} client secrets.")
    if any(s.value == new.value for s in secrets):
        raise InvalidParameterException("The app client already has this client secret.")
    return [*secrets, new]


def without(secrets: list[ClientSecret], secret_id: str) -> list[ClientSecret]:
    kept = [s for s in secrets if s.id != secret_id]
    if len(kept) == len(secrets):
        raise ResourceNotFoundException(f"Client secret {secret_id} does not exist.")
    if not kept:
        raise InvalidParameterException("You cannot delete the last remaining client secret of an app client.")
    return kept

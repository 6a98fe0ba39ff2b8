"""What every use case receives: storage, time, crypto and the few settings the rules need."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from cognate.crypto.passwords import PasswordHasher
from cognate.crypto.sealing import Sealer
from cognate.domain.clock import Clock
from cognate.domain.errors import InvalidParameterException
from cognate.mail.base import Mailer
from cognate.store.base import Store


@dataclass(frozen=True)
class Deps:
    store: Store
    clock: Clock
    sealer: Sealer
    hasher: PasswordHasher
    mailer: Mailer
    region: str = "us-east-1"
    domain_suffix: str = "auth.localhost"
    public_url: str = "http://127.0.0.1:9229"


def encode_token(after: str) -> str:
    """An opaque pagination token (NextToken / PaginationToken)."""
    return base64.urlsafe_b64encode(json.dumps({"a": after}).encode()).decode()


def decode_token(token: str | None) -> str | None:
    if not token:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(token.encode()))["a"]
    except (ValueError, KeyError, TypeError):
        raise InvalidParameterException("Invalid pagination token") from None
    if not isinstance(value, str):
        raise InvalidParameterException("Invalid pagination token")
    return value


def check_limit(value: int | None, *, default: int, low: int, high: int, field: str) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidParameterException(f"{field} must be between {low} and {high}")
    return value

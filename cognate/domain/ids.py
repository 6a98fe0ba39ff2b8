"""Identifier formats of Cognito (spec §0); the random source is passed in."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"

RandomChoice = Callable[[str], str]

POOL_ID_RE = re.compile(r"^[\w-]+_[0-9a-zA-Z]+$")
CLIENT_ID_RE = re.compile(r"^[\w+]+$")


def _draw(alphabet: str, length: int, choice: RandomChoice) -> str:
    return "".join(choice(alphabet) for _ in range(length))


def new_pool_id(region: str, choice: RandomChoice = secrets.choice) -> str:
    return f"{region}_{_draw(ALNUM, 9, choice)}"


def new_client_id(choice: RandomChoice = secrets.choice) -> str:
    return _draw(LOWER_ALNUM, 26, choice)


def new_client_secret(choice: RandomChoice = secrets.choice) -> str:
    return _draw(LOWER_ALNUM, 52, choice)


def new_sub() -> str:
    return str(uuid.uuid4())


def uuid4_texts(random: bytes) -> list[str]:
    """Version-4 UUIDs (RFC 9562 §5.4) in their text form, one per 16 random bytes given (the caller draws them:
    crypto.randomness.random_uuids), for identifiers such as `jti`, `event_id` and `origin_jti`."""
    digits = random.hex()
    out = []
    for start in range(0, len(digits) - 31, 32):
        h = digits[start:start + 32]  # version nibble 4; variant bits 10 (first digit of the fourth group 8-b)
        out.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}")
    return out


def pool_name_part(pool_id: str) -> str:
    """The part SDKs use as SRP 'pool name' (spec §0)."""
    return pool_id.split("_", 1)[1]


def is_pool_id(value: str) -> bool:
    return 1 <= len(value) <= 55 and bool(POOL_ID_RE.fullmatch(value))

"""Identifier formats of Cognito (spec §0); the random source is passed in."""

from __future__ import annotations

import os
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


class _RandomBytes:
    """OS randomness read 4 KiB at a time: one `getrandom` system call costs more than formatting a UUID, and a
    token set takes four. A forked child starts empty, so parent and child never hand out the same bytes."""

    def __init__(self) -> None:
        self._buffer, self._used = b"", 0
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._buffer, self._used = b"", 0

    def take(self, size: int) -> bytes:
        if self._used + size > len(self._buffer):
            self._buffer, self._used = os.urandom(max(4096, size)), 0
        start, self._used = self._used, self._used + size
        return self._buffer[start:self._used]


_random_bytes = _RandomBytes()


def random_uuids(count: int) -> list[str]:
    """`count` random version-4 UUIDs (RFC 9562 §5.4) for identifiers such as `jti`, `event_id` and `origin_jti`
    (unique, not secret): `uuid.uuid4()` makes a system call and a UUID object for each."""
    digits = _random_bytes.take(16 * count).hex()
    out = []
    for start in range(0, 32 * count, 32):
        h = digits[start:start + 32]  # version nibble 4; variant bits 10 (first digit of the fourth group 8-b)
        out.append(f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}")
    return out


def pool_name_part(pool_id: str) -> str:
    """The part SDKs use as SRP 'pool name' (spec §0)."""
    return pool_id.split("_", 1)[1]


def is_pool_id(value: str) -> bool:
    return 1 <= len(value) <= 55 and bool(POOL_ID_RE.fullmatch(value))

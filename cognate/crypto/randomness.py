"""Where identifiers' randomness comes from: OS randomness, buffered, and fresh in every forked process.

It lives here rather than in `domain` (pure rules, no I/O: .importlinter); `domain.ids` keeps the formats."""

from __future__ import annotations

import os

from cognate.domain.ids import uuid4_texts


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
    """`count` random version-4 UUIDs for identifiers such as `jti`, `event_id` and `origin_jti` (unique, not
    secret): `uuid.uuid4()` makes a system call and a UUID object for each."""
    return uuid4_texts(_random_bytes.take(16 * count))

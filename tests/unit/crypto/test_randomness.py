"""Random identifiers (jti, event_id, origin_jti): version-4 UUIDs from buffered OS randomness (moved from
tests/unit/domain/test_ids.py with the code, issue 14)."""

from __future__ import annotations

import os
import uuid

from cognate.crypto.randomness import random_uuids


def test_random_uuids_are_version_4_rfc_variant_and_distinct() -> None:
    drawn = [u for _ in range(200) for u in random_uuids(3)]
    assert len(set(drawn)) == 600
    for text in drawn:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122
    assert {text[19] for text in drawn} == set("89ab")  # all four variant digits occur: the bits are random


def test_random_uuids_differ_in_a_forked_child() -> None:
    random_uuids(1)  # the parent has bytes buffered
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(write, random_uuids(1)[0].encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 64).decode()
    assert child != random_uuids(1)[0] and uuid.UUID(child).version == 4

"""argon2id hashing at OWASP parameters, run off the event loop."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher as Argon2
from argon2 import extract_parameters

from cognate.crypto.passwords import PasswordHasher, dummy_hash

PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture(scope="module")
def hasher() -> Iterator[PasswordHasher]:
    h = PasswordHasher(workers=2)
    yield h
    h.close()


async def test_hash_is_argon2id_with_owasp_parameters(hasher: PasswordHasher) -> None:
    hashed = await hasher.hash("Passw0rd!")
    assert hashed.startswith(PREFIX)
    assert "Passw0rd!" not in hashed


async def test_hashes_are_salted(hasher: PasswordHasher) -> None:
    assert await hasher.hash("Passw0rd!") != await hasher.hash("Passw0rd!")


async def test_verify_right_password(hasher: PasswordHasher) -> None:
    assert await hasher.verify(await hasher.hash("Passw0rd!"), "Passw0rd!") is True


async def test_verify_wrong_password(hasher: PasswordHasher) -> None:
    hashed = await hasher.hash("Passw0rd!")
    assert await hasher.verify(hashed, "passw0rd!") is False
    assert await hasher.verify(hashed, "") is False


async def test_verify_without_hash_is_false(hasher: PasswordHasher) -> None:
    assert await hasher.verify(None, "Passw0rd!") is False
    assert await hasher.verify(None, "cognate-dummy-password") is False


async def test_the_dummy_costs_what_a_real_hash_costs(hasher: PasswordHasher) -> None:
    """An unknown user is checked against a dummy with the same argon2id parameters as a real hash."""
    real = await hasher.hash("Passw0rd!")
    assert extract_parameters(hasher._dummy) == extract_parameters(real)
    assert not hasher.needs_rehash(hasher._dummy)
    weak = Argon2(time_cost=1, memory_cost=8 * 1024, parallelism=1, hash_len=32, salt_len=16)
    assert extract_parameters(dummy_hash(weak)) == extract_parameters(weak.hash("x"))
    timings = {}
    for name, stored in (("real", real), ("dummy", None)):
        start = time.perf_counter()
        for _ in range(3):
            assert await hasher.verify(stored, "wrong") is False
        timings[name] = time.perf_counter() - start
    assert timings["dummy"] > timings["real"] / 3  # the same argon2 work, not a short cut


async def test_verify_garbage_hash_is_false(hasher: PasswordHasher) -> None:
    assert await hasher.verify("not-a-hash", "Passw0rd!") is False
    assert await hasher.verify("", "Passw0rd!") is False


async def test_unicode_password(hasher: PasswordHasher) -> None:
    hashed = await hasher.hash("Pässwörd1!")
    assert await hasher.verify(hashed, "Pässwörd1!")
    assert not await hasher.verify(hashed, "Passwoerd1!")


async def test_needs_rehash(hasher: PasswordHasher) -> None:
    assert not hasher.needs_rehash(await hasher.hash("x"))
    weak = PasswordHasher(workers=1, time_cost=1, memory_cost=8 * 1024)
    try:
        old = await weak.hash("x")
        assert old.startswith("$argon2id$v=19$m=8192,t=1,p=1$")
        assert hasher.needs_rehash(old)
        assert await hasher.verify(old, "x")
    finally:
        weak.close()

"""Encryption at rest (AES-256-GCM under HKDF-derived keys) and the master key file."""

from __future__ import annotations

import base64
import multiprocessing
import os
import secrets
import stat
import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from cryptography.exceptions import InvalidTag

from cognate.crypto.sealing import (
    MasterKeyError,
    Sealer,
    load_or_create_master_key,
    master_key_problem,
    new_master_key,
)

MASTER = "test-master-key-0123456789abcdefghijklmnop"
SECRET = b"-----BEGIN PRIVATE KEY----- very secret"


@pytest.fixture
def sealer() -> Sealer:
    return Sealer(MASTER)


def test_round_trip(sealer: Sealer) -> None:
    assert sealer.open(sealer.seal(SECRET, context="ctx"), context="ctx") == SECRET


def test_round_trip_with_fresh_sealer_same_key(sealer: Sealer) -> None:
    assert Sealer(MASTER).open(sealer.seal(SECRET, context="ctx"), context="ctx") == SECRET


def test_empty_plaintext(sealer: Sealer) -> None:
    assert sealer.open(sealer.seal(b"", context="c"), context="c") == b""


def test_wrong_context_fails(sealer: Sealer) -> None:
    token = sealer.seal(SECRET, context="signing-key:a")
    with pytest.raises(InvalidTag):
        sealer.open(token, context="signing-key:b")


def test_tampered_ciphertext_fails(sealer: Sealer) -> None:
    token = sealer.seal(SECRET, context="ctx")
    version, _, body = token.partition(".")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-1] ^= 0x01
    with pytest.raises(InvalidTag):
        sealer.open(f"{version}.{base64.urlsafe_b64encode(bytes(raw)).decode()}", context="ctx")


def test_tampered_nonce_fails(sealer: Sealer) -> None:
    version, _, body = sealer.seal(SECRET, context="ctx").partition(".")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[0] ^= 0x80
    with pytest.raises(InvalidTag):
        sealer.open(f"{version}.{base64.urlsafe_b64encode(bytes(raw)).decode()}", context="ctx")


def test_different_master_key_fails(sealer: Sealer) -> None:
    token = sealer.seal(SECRET, context="ctx")
    with pytest.raises(InvalidTag):
        Sealer(MASTER + "x").open(token, context="ctx")


def test_unknown_version_refused(sealer: Sealer) -> None:
    token = sealer.seal(SECRET, context="ctx")
    with pytest.raises(ValueError, match="unknown sealed-value version"):
        sealer.open("v2" + token[2:], context="ctx")


def test_sealed_value_hides_plaintext(sealer: Sealer) -> None:
    plaintext = b"client-secret-abcdefghijklmnopqrstuvwxyz"
    token = sealer.seal(plaintext, context="ctx")
    assert token.startswith("v1.")
    assert plaintext.decode() not in token
    assert plaintext not in base64.urlsafe_b64decode(token[3:])
    assert base64.urlsafe_b64encode(plaintext).decode()[:20] not in token


def test_sealing_is_randomised(sealer: Sealer) -> None:
    assert sealer.seal(SECRET, context="ctx") != sealer.seal(SECRET, context="ctx")


def test_mac_is_keyed_and_context_bound(sealer: Sealer) -> None:
    mac = sealer.mac("code-123", context="signup")
    assert mac == Sealer(MASTER).mac("code-123", context="signup")
    assert len(mac) == 64
    assert mac != sealer.mac("code-123", context="forgot")
    assert mac != sealer.mac("code-124", context="signup")
    assert mac != Sealer(MASTER + "x").mac("code-123", context="signup")


def test_derive_is_purpose_bound(sealer: Sealer) -> None:
    assert len(sealer.derive("csrf")) == 32
    assert sealer.derive("csrf") == Sealer(MASTER).derive("csrf")
    assert sealer.derive("csrf") != sealer.derive("cookie")


def test_master_key_created_once_with_mode_0600(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    key = load_or_create_master_key("", data_dir)
    path = data_dir / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == key
    assert len(key) >= 32
    assert load_or_create_master_key("", data_dir) == key


def test_master_key_differs_between_data_dirs(tmp_path: Path) -> None:
    assert load_or_create_master_key("", tmp_path / "a") != load_or_create_master_key("", tmp_path / "b")


GOOD_KEY = "Jq3vX9_kT2mW-8rYb5Ln0HcZsE4uFd7GaP1oQiRjKt6yVwUxBeMhNlSpCzDgOf"  # today's format: 64 characters
OTHER_KEY = "3f9a0c1e7b2d4f68a5c9e0b1d3f7a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b2d4f6"  # `openssl rand -hex 32`


def test_configured_master_key_wins(tmp_path: Path) -> None:
    assert load_or_create_master_key(OTHER_KEY, tmp_path) == OTHER_KEY
    assert not (tmp_path / "secret.key").exists()
    generated = load_or_create_master_key("", tmp_path)
    assert load_or_create_master_key(OTHER_KEY, tmp_path) == OTHER_KEY != generated


def test_existing_key_file_is_read_stripped(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text(GOOD_KEY + "\n")
    assert load_or_create_master_key("", tmp_path) == GOOD_KEY


def test_generated_keys_are_in_the_accepted_format() -> None:
    for _ in range(200):
        assert master_key_problem(new_master_key()) is None
    assert master_key_problem(GOOD_KEY) is None and master_key_problem(OTHER_KEY) is None


def test_standard_base64_keys_are_accepted() -> None:
    """`openssl rand -base64 32`: 32 bytes, standard alphabet, `=` padding; a common way to make a key."""
    for _ in range(50):
        assert master_key_problem(base64.b64encode(secrets.token_bytes(32)).decode()) is None


@pytest.mark.parametrize("weak", [
    "", "short", "a-very-long-and-random-master-key", secrets.token_urlsafe(24), secrets.token_hex(24),
    "A" * 80, "ab" * 40, "not a key: " + secrets.token_urlsafe(48),
    secrets.token_urlsafe(24) + "=" + secrets.token_urlsafe(24),
    base64.b64encode(secrets.token_bytes(16)).decode(),
])
def test_weak_or_malformed_keys_are_refused(weak: str) -> None:
    assert master_key_problem(weak) is not None


@pytest.mark.parametrize("content", [b"", b"\n", b"short\n", b"\xff\xfe garbage \x00" * 8])
def test_attack_unusable_key_file_is_refused_naming_it(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "secret.key").write_bytes(content)
    with pytest.raises(MasterKeyError, match=str(tmp_path / "secret.key")):
        load_or_create_master_key("", tmp_path)


def test_attack_short_configured_key_is_refused_naming_the_variable(tmp_path: Path) -> None:
    with pytest.raises(MasterKeyError, match="COGNATE_SECRET_KEY"):
        load_or_create_master_key(secrets.token_urlsafe(16), tmp_path)


def _first_start(data_dir: str, start: float, results: Any) -> None:
    """One process starting on a fresh data dir whose disk is slow: each write takes 0.3 s."""
    real_write = os.write

    def slow_write(fd: int, data: bytes) -> int:
        time.sleep(0.3)
        return real_write(fd, data)

    time.sleep(max(0.0, start - time.time()))
    try:
        with mock.patch("os.write", slow_write):
            results.put(load_or_create_master_key("", Path(data_dir)))
    except Exception as exc:  # reported to the parent as the test's failure
        results.put(f"{type(exc).__name__}: {exc}")


def test_attack_parallel_first_starts_end_with_one_complete_key(tmp_path: Path) -> None:
    """Processes starting together on a fresh data dir (`serve --workers N`, CLI calls) never read a half-written
    (empty) key file nor crash on each other's: one key file, complete, and every process uses it."""
    context = multiprocessing.get_context("fork")
    data_dir, results = tmp_path / "data", context.Queue()
    start = time.time() + 0.5
    procs = [context.Process(target=_first_start, args=(str(data_dir), start + 0.05 * i, results))
             for i in range(6)]
    for proc in procs:
        proc.start()
    keys = {results.get(timeout=30) for _ in procs}
    for proc in procs:
        proc.join(timeout=30)
    assert keys == {(data_dir / "secret.key").read_text()}, keys
    assert master_key_problem(keys.pop()) is None
    assert sorted(p.name for p in data_dir.iterdir()) == ["secret.key"]  # no temp file left behind
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_key_file_is_private_from_creation(tmp_path: Path) -> None:
    seen: list[int] = []
    real_link = os.link

    def link(src: Any, dst: Any, **kw: Any) -> None:
        seen.append(stat.S_IMODE(os.stat(src).st_mode))
        real_link(src, dst, **kw)

    with mock.patch("os.link", link):
        load_or_create_master_key("", tmp_path / "data")
    assert seen == [0o600]


def test_uncreatable_key_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(MasterKeyError, match="cannot create the master key file"):
        load_or_create_master_key("", tmp_path / "a-file" / "data")  # even root cannot make a dir inside a file

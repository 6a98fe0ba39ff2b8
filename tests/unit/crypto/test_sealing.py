"""Encryption at rest (AES-256-GCM under HKDF-derived keys) and the master key file."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag

from cognate.crypto.sealing import Sealer, load_or_create_master_key

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


def test_configured_master_key_wins(tmp_path: Path) -> None:
    assert load_or_create_master_key("configured", tmp_path) == "configured"
    assert not (tmp_path / "secret.key").exists()
    generated = load_or_create_master_key("", tmp_path)
    assert load_or_create_master_key("configured", tmp_path) == "configured" != generated


def test_existing_key_file_is_read_stripped(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("from-file\n")
    assert load_or_create_master_key("", tmp_path) == "from-file"

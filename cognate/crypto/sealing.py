"""Encryption at rest with AES-256-GCM under keys derived (HKDF-SHA256) from the deployment's master key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

VERSION = "v1"


def _derive(master: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"cognate", info=purpose).derive(master)


class Sealer:
    """Seals small secrets (private keys, client secrets) so a database dump does not reveal them."""

    def __init__(self, master_key: str) -> None:
        master = master_key.encode()
        self._aead = AESGCM(_derive(master, b"seal"))
        self._mac_key = _derive(master, b"mac")

    def seal(self, plaintext: bytes, *, context: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext, context.encode())
        return f"{VERSION}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, token: str, *, context: str) -> bytes:
        version, _, body = token.partition(".")
        if version != VERSION:
            raise ValueError("unknown sealed-value version")
        raw = base64.urlsafe_b64decode(body)
        return self._aead.decrypt(raw[:12], raw[12:], context.encode())

    def mac(self, value: str, *, context: str) -> str:
        """A keyed digest for looking values up (codes, tokens) without storing them."""
        return hmac.new(self._mac_key, f"{context}\x00{value}".encode(), hashlib.sha256).hexdigest()

    def derive(self, purpose: str) -> bytes:
        """Purpose-bound sub-keys for cookies and CSRF tokens."""
        return _derive(self._mac_key, purpose.encode())


def load_or_create_master_key(configured: str, data_dir: Path) -> str:
    """`COGNATE_SECRET_KEY`, else the key generated once into `{data_dir}/secret.key` with mode 0600."""
    if configured:
        return configured
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key.encode())
    finally:
        os.close(fd)
    return key

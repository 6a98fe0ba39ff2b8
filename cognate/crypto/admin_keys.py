"""The developer credentials SigV4-signed admin operations need (contracts table: admin auth)."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from cognate.domain.ids import new_client_secret

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def load_or_create_admin_keys(key_id: str, secret: str, data_dir: Path) -> tuple[str, str, bool]:
    """(access key id, secret access key, created now). Configured values win; else one pair kept in the data dir."""
    if key_id and secret:
        return key_id, secret, False
    path = data_dir / "admin-credentials.json"
    if path.exists():
        data = json.loads(path.read_text())
        return str(data["access_key_id"]), str(data["secret_access_key"]), False
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    pair = {"access_key_id": "AKCG" + "".join(secrets.choice(ALPHABET) for _ in range(16)),
            "secret_access_key": new_client_secret()[:40]}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, json.dumps(pair).encode())
    finally:
        os.close(fd)
    return pair["access_key_id"], pair["secret_access_key"], True

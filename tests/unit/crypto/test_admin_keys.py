"""Admin (SigV4) credentials: configured pair, else one generated pair kept in a 0600 file."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

from cognate.crypto.admin_keys import load_or_create_admin_keys


def test_creates_a_0600_file_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    key_id, secret, created = load_or_create_admin_keys("", "", data_dir)
    path = data_dir / "admin-credentials.json"
    assert created is True
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {"access_key_id": key_id, "secret_access_key": secret}
    assert load_or_create_admin_keys("", "", data_dir) == (key_id, secret, False)


def test_generated_pair_format(tmp_path: Path) -> None:
    key_id, secret, _ = load_or_create_admin_keys("", "", tmp_path)
    assert re.fullmatch(r"AKCG[A-Z2-7]{16}", key_id)
    assert re.fullmatch(r"[a-z0-9]{40}", secret)


def test_pairs_differ_between_data_dirs(tmp_path: Path) -> None:
    first = load_or_create_admin_keys("", "", tmp_path / "a")
    second = load_or_create_admin_keys("", "", tmp_path / "b")
    assert first[0] != second[0] and first[1] != second[1]


def test_configured_pair_wins(tmp_path: Path) -> None:
    assert load_or_create_admin_keys("AKIDCONFIGURED", "s3cret", tmp_path) == ("AKIDCONFIGURED", "s3cret", False)
    assert not (tmp_path / "admin-credentials.json").exists()
    load_or_create_admin_keys("", "", tmp_path)
    assert load_or_create_admin_keys("AKIDCONFIGURED", "s3cret", tmp_path) == ("AKIDCONFIGURED", "s3cret", False)


def test_half_configured_pair_is_ignored(tmp_path: Path) -> None:
    key_id, secret, created = load_or_create_admin_keys("AKIDONLY", "", tmp_path)
    assert created and key_id != "AKIDONLY" and secret

"""Cognito SRP (spec §7) against pycognito's client implementation: the real SDK's maths, not ours twice."""

from __future__ import annotations

import base64
import os

import pytest
from pycognito import aws_srp

from cognate.crypto import srp

POOL_ID = "us-east-1_abcdefghi"


def _client(user: str, password: str) -> aws_srp.AWSSRP:
    return aws_srp.AWSSRP(username=user, password=password, pool_id=POOL_ID, client_id="client", client=object())


def _round(password_at_set: str, password_at_login: str) -> bool:
    user, salt = "alice", srp.new_salt()
    v = srp.verifier("abcdefghi", user, password_at_set, salt)
    client = _client(user, password_at_login)
    a = srp.valid_a(client.get_auth_params()["SRP_A"])
    assert a is not None
    b, big_b = srp.server_ephemeral(v)
    block = base64.b64encode(os.urandom(48)).decode()
    answer = client.process_challenge(
        {"SALT": salt, "SRP_B": f"{big_b:x}", "SECRET_BLOCK": block, "USER_ID_FOR_SRP": user, "USERNAME": user},
        {"USERNAME": user})
    key = srp.session_key(a, big_b, b, v)
    assert key is not None
    expected = srp.signature(key, "abcdefghi", user, block, answer["TIMESTAMP"])
    return srp.signatures_match(expected, answer["PASSWORD_CLAIM_SIGNATURE"])


@pytest.mark.parametrize("_", range(5))  # random salts and ephemerals: padding edge cases show up across runs
def test_pycognito_signature_verifies(_: int) -> None:
    assert _round("Passw0rd!", "Passw0rd!")


def test_wrong_password_fails() -> None:
    assert not _round("Passw0rd!", "Passw0rd?")


def test_pad_hex_rules() -> None:
    assert srp.pad_hex(0xF) == "0f"
    assert srp.pad_hex(0x8F) == "008f"
    assert srp.pad_hex(0x7F) == "7f"
    assert srp.pad_hex("abc") == "0abc"


def test_a_multiple_of_n_is_refused() -> None:
    assert srp.valid_a(f"{srp.N:x}") is None
    assert srp.valid_a("0") is None
    assert srp.valid_a("not-hex") is None
    assert srp.valid_a("02") == 2


def test_k_is_hash_of_padded_n_and_g() -> None:
    assert int(srp.hex_hash("00" + srp.N_HEX + "02"), 16) == srp.K

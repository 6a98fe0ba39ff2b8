"""Cognito's SRP-6a variant (spec §7): 3072-bit group, SHA-256, the 'Caldera Derived Key' HKDF and its signature.

The server keeps only (salt, verifier) made when the password is set; the password never leaves the client.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
INFO = b"Caldera Derived Key"


def pad_hex(value: int | str) -> str:
    """Hex with an even length and a leading 00 when the first nibble is ≥ 8 (a positive two's-complement)."""
    hexed = value if isinstance(value, str) else f"{value:x}"
    if len(hexed) % 2:
        hexed = "0" + hexed
    elif hexed[0] in "89abcdefABCDEF":
        hexed = "00" + hexed
    return hexed


def hex_hash(hex_string: str) -> str:
    return hashlib.sha256(bytes.fromhex(hex_string)).hexdigest().rjust(64, "0")


K = int(hex_hash("00" + N_HEX + "02"), 16)


def new_salt() -> str:
    return pad_hex(int.from_bytes(secrets.token_bytes(16), "big"))


def private_x(pool_name: str, user_id: str, password: str, salt_hex: str) -> int:
    inner = hashlib.sha256(f"{pool_name}{user_id}:{password}".encode()).hexdigest().rjust(64, "0")
    return int(hex_hash(pad_hex(salt_hex) + inner), 16)


def verifier(pool_name: str, user_id: str, password: str, salt_hex: str) -> int:
    return pow(G, private_x(pool_name, user_id, password, salt_hex), N)


def server_ephemeral(v: int) -> tuple[int, int]:
    """(b, B = k·v + g^b mod N) with b random; B ≠ 0 mod N."""
    while True:
        b = int.from_bytes(secrets.token_bytes(128), "big")
        big_b = (K * v + pow(G, b, N)) % N
        if big_b % N:
            return b, big_b


HEX_RE = re.compile(r"[0-9a-fA-F]{1,1024}")


def in_group(value: int) -> bool:
    """1 ≤ value ≤ N-1: RFC 5054 §2.5.4 aborts when A mod N = 0; Python's `int` also takes signs, `0x` and `_`,
    and a negative A once passed the first step and broke the second (issue 12)."""
    return 0 < value < N


def valid_a(a_hex: object) -> int | None:
    """The client's public value A from plain hex, or None (the caller answers with a Cognito error)."""
    if not isinstance(a_hex, str) or not HEX_RE.fullmatch(a_hex):
        return None
    a = int(a_hex, 16)
    return a if in_group(a) else None


def session_key(a: int, big_b: int, b: int, v: int) -> bytes | None:
    """K = HKDF(u, S) where u = H(A‖B), S = (A·v^u)^b mod N; None when u = 0 or A or B is outside the group."""
    if not (in_group(a) and in_group(big_b)):
        return None
    u = int(hex_hash(pad_hex(a) + pad_hex(big_b)), 16)
    if u == 0:
        return None
    s = pow(a * pow(v, u, N), b, N)
    prk = hmac.new(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(s)), hashlib.sha256).digest()
    return hmac.new(prk, INFO + b"\x01", hashlib.sha256).digest()[:16]


def signature(key: bytes, pool_name: str, user_id: str, secret_block: str, timestamp: str) -> str:
    message = pool_name.encode() + user_id.encode() + base64.b64decode(secret_block) + timestamp.encode()
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def signatures_match(expected: str, given: str) -> bool:
    return hmac.compare_digest(expected.encode(), given.encode())

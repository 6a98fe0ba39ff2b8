"""GetSigningCertificate (spec §6 T2 Other): a self-signed X.509 certificate around a pool's ID-token key."""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

VALIDITY = dt.timedelta(days=3650)


def self_signed_pem(private_key: object, *, common_name: str, now: float, serial_seed: str) -> str:
    """A PEM certificate whose subject and issuer are `common_name`, signed by the (RSA) key it certifies."""
    if not isinstance(private_key, rsa.RSAPrivateKey):
        raise TypeError("a signing certificate needs an RSA private key")
    serial = int.from_bytes(hashlib.sha256(serial_seed.encode()).digest()[:16], "big") >> 1
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64])])
    start = dt.datetime.fromtimestamp(now, dt.UTC) - dt.timedelta(minutes=5)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(private_key.public_key()).serial_number(serial)
            .not_valid_before(start).not_valid_after(start + VALIDITY)
            .sign(private_key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()

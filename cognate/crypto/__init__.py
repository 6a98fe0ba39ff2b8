"""Cryptography of Cognate: argon2id passwords, encryption at rest, RSA signing keys and JWTs, TOTP, and the OS
randomness of identifiers.

Owns every use of `cryptography`, `argon2`, `joserfc` and `pyotp` (.importlinter). May import `cognate.domain` only.
"""

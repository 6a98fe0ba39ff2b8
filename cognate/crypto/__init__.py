"""Cryptography of Cognate: argon2id passwords, encryption at rest, RSA signing keys and JWTs.

Owns every use of `cryptography`, `argon2` and `joserfc`. May import `cognate.domain` only.
"""

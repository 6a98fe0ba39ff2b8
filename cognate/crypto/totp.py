"""RFC 6238 TOTP as Cognito uses it (spec §6 T2): 6 digits, SHA-1, 30 s steps, base32 secrets (via pyotp)."""

from __future__ import annotations

import hmac

import pyotp

STEP = 30
DIGITS = 6
SKEW_STEPS = 1  # a code of the previous or next step still counts (clock drift, typing time)


def new_secret() -> str:
    """32 base32 characters (160 bits), what authenticator apps expect."""
    return pyotp.random_base32(32)


def code_at(secret: str, now: float) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP).at(int(now))


def matching_step(secret: str, code: str, now: float) -> int | None:
    """The step whose code `code` is, within ±SKEW_STEPS of now; None when none matches."""
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP)
    current = int(now) // STEP
    for step in range(current - SKEW_STEPS, current + SKEW_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def otpauth_uri(secret: str, *, account: str, issuer: str) -> str:
    """The `otpauth://totp/...` enrolment link an authenticator app reads (from a QR code): made here, from the
    same digits and step the codes are checked with, so the app and Cognate cannot disagree."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP).provisioning_uri(name=account, issuer_name=issuer)

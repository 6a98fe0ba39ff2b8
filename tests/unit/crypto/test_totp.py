"""The otpauth enrolment URI and the codes Cognate checks agree (crypto/totp.py is the one home of both, issue 14)."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

import pyotp

from cognate.crypto.totp import code_at, matching_step, new_secret, otpauth_uri

NOW = 1_767_225_600.0


def test_an_app_reading_the_enrolment_uri_makes_the_codes_cognate_accepts() -> None:
    secret = new_secret()
    uri = otpauth_uri(secret, account="jane@example.com", issuer="My Pool")
    app = pyotp.parse_uri(uri)
    assert isinstance(app, pyotp.TOTP) and app.digits == 6 and app.interval == 30
    assert app.at(int(NOW)) == code_at(secret, NOW)
    assert matching_step(secret, app.at(int(NOW)), NOW) == int(NOW) // 30


def test_the_uri_names_the_account_under_the_issuer() -> None:
    secret = new_secret()
    uri = otpauth_uri(secret, account="jane@example.com", issuer="My Pool")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, unquote(parts.path)) == ("otpauth", "totp", "/My Pool:jane@example.com")
    assert parse_qs(parts.query) == {"secret": [secret], "issuer": ["My Pool"]}

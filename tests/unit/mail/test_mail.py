"""`COGNATE_SMTP_URL` parsing (STARTTLS unless opted out, never credentials in clear) and what the outbox logs."""

from __future__ import annotations

import asyncio
import logging
import stat
from pathlib import Path

import pytest

from cognate.app import load_settings
from cognate.mail.base import Mail, mask_address
from cognate.mail.outbox import OutboxMailer
from cognate.mail.smtp import SmtpTarget, parse_smtp_url
from cognate.settings import SettingsError


def test_smtp_requires_starttls_by_default() -> None:
    assert parse_smtp_url("smtp://mail.example:587") == SmtpTarget(host="mail.example", port=587,
                                                                   implicit_tls=False, starttls=True)
    assert parse_smtp_url("smtp://u%40x:p%3Aw@mail.example").username == "u@x"
    assert parse_smtp_url("smtp://u%40x:p%3Aw@mail.example").password == "p:w"


def test_explicit_opt_out_and_implicit_tls() -> None:
    assert parse_smtp_url("smtp://relay:25?starttls=off").starttls is False
    target = parse_smtp_url("smtps://user:pass@mail.example")
    assert target.implicit_tls and target.port == 465 and target.username == "user"


@pytest.mark.parametrize("url", [
    "smtp://user:pass@relay:25?starttls=off", "smtp://user@relay:25?starttls=off", "smtps://mail:465?starttls=off",
    "smtp://relay:25?starttls=no", "smtp://relay:25?tls=off", "http://relay:25", "smtp://:25", "smtp://relay:99999",
])
def test_attack_unsafe_or_malformed_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_smtp_url(url)
    assert url not in str(info.value)


def test_settings_refuse_credentials_with_the_opt_out_without_echoing_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COGNATE_SMTP_URL", "smtp://mailer:hunter2@relay:25?starttls=off")
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert "COGNATE_SMTP_URL" in str(info.value) and "hunter2" not in str(info.value)


def test_mask_address() -> None:
    assert mask_address("jane@example.com") == "j***@example.com"
    assert mask_address("") == "***"


def test_attack_outbox_logs_the_code_at_debug_only(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    mailer = OutboxMailer(tmp_path / "data" / "outbox")
    with caplog.at_level(logging.DEBUG, logger="cognate.mail"):
        asyncio.run(mailer.send(Mail(to="jane@example.com", subject="Your code", body="code 493817", code="493817")))
    info = [r for r in caplog.records if r.levelno >= logging.INFO]
    debug = [r for r in caplog.records if r.levelno == logging.DEBUG]
    assert info and all("493817" not in str(r.__dict__) and "jane@" not in str(r.__dict__) for r in info)
    assert any(getattr(r, "fields", {}).get("code") == "493817" for r in debug)
    [written] = (tmp_path / "data" / "outbox").iterdir()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700

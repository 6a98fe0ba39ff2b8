"""Real delivery through an SMTP server with the standard library's smtplib, run off the event loop."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from urllib.parse import unquote, urlsplit

from cognate.mail.base import Mail
from cognate.mail.outbox import to_email_message


class SmtpMailer:
    """`smtp://host:port` (STARTTLS when offered), `smtps://user:pass@host:port` (implicit TLS)."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("COGNATE_SMTP_URL must look like smtp://host:port or smtps://user:pass@host:port")
        self.tls = parts.scheme == "smtps"
        self.host = parts.hostname
        self.port = parts.port or (465 if self.tls else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout

    async def send(self, mail: Mail) -> None:
        await asyncio.to_thread(self._send, mail)

    def _send(self, mail: Mail) -> None:
        message = to_email_message(mail)
        if self.tls:
            with smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            ) as conn:
                self._deliver(conn, message)
            return
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as conn:
            conn.ehlo()
            if conn.has_extn("starttls"):
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            self._deliver(conn, message)

    def _deliver(self, conn: smtplib.SMTP, message: object) -> None:
        if self.username:
            conn.login(self.username, self.password or "")
        conn.send_message(message)  # type: ignore[arg-type]

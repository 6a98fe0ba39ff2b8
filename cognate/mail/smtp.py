"""Real delivery through an SMTP server with the standard library's smtplib, run off the event loop.

Nothing travels in clear unless the URL says so: `smtp://` upgrades with STARTTLS or sends nothing (a server, or a
man in the middle, that does not offer STARTTLS would otherwise receive the codes and the AUTH PLAIN password in
clear); `smtp://host:port?starttls=off` is the explicit opt-out for a local relay, and refuses credentials.
Certificates are verified (`ssl.create_default_context`). A failed delivery is logged and raised as Cognito's
`CodeDeliveryFailureException`.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qsl, unquote, urlsplit

from cognate.domain.errors import CodeDeliveryFailureException
from cognate.mail.base import Mail, mask_address
from cognate.mail.outbox import to_email_message

log = logging.getLogger("cognate.mail")
URL_SHAPE = "smtp://[user:pass@]host:port, smtps://[user:pass@]host:port or smtp://host:port?starttls=off"


@dataclass(frozen=True)
class SmtpTarget:
    """`COGNATE_SMTP_URL`, parsed; `starttls` False only when the URL opted out."""

    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpTarget:
    """The target of `url`, or ValueError saying what is wrong (without repeating the URL: it may hold a password)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError(f"must look like {URL_SHAPE}")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    if set(query) - {"starttls"} or query.get("starttls", "on") not in ("on", "off"):
        raise ValueError("the only query parameter is starttls=off (smtp:// only)")
    implicit_tls = parts.scheme == "smtps"
    starttls = not implicit_tls and query.get("starttls", "on") == "on"
    if implicit_tls and "starttls" in query:
        raise ValueError("starttls applies to smtp:// only; smtps:// is TLS from the first byte")
    if parts.username is not None and not implicit_tls and not starttls:
        raise ValueError("credentials are never sent over an unencrypted connection: drop starttls=off or the "
                         "user:pass")
    try:
        port = parts.port or (465 if implicit_tls else 25)
    except ValueError:
        raise ValueError(f"has an invalid port; must look like {URL_SHAPE}") from None
    return SmtpTarget(host=parts.hostname, port=port, implicit_tls=implicit_tls, starttls=starttls,
                      username=unquote(parts.username) if parts.username else None,
                      password=unquote(parts.password) if parts.password else None)


class StartTlsUnavailable(smtplib.SMTPException):
    """The server did not offer STARTTLS, and the URL did not opt out of it."""


class SmtpMailer:
    """Sends each message over a new connection to the configured server (see the module docstring)."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.target = parse_smtp_url(url)
        self.timeout = timeout

    async def send(self, mail: Mail) -> None:
        where = f"{self.target.host}:{self.target.port}"
        try:
            await asyncio.to_thread(self._send, mail)
        except (smtplib.SMTPException, OSError) as exc:
            log.error("mail not sent", extra={"fields": {"to": mask_address(mail.to), "server": where,
                                                         "error": f"{type(exc).__name__}: {exc}"[:300]}})
            raise CodeDeliveryFailureException("Unable to deliver the message; please try again later.") from None
        log.info("mail sent", extra={"fields": {"to": mask_address(mail.to), "subject": mail.subject,
                                                "server": where}})

    def _send(self, mail: Mail) -> None:
        message = to_email_message(mail)
        target = self.target
        if target.implicit_tls:
            with smtplib.SMTP_SSL(target.host, target.port, timeout=self.timeout,
                                  context=ssl.create_default_context()) as conn:
                self._deliver(conn, message)
            return
        with smtplib.SMTP(target.host, target.port, timeout=self.timeout) as conn:
            conn.ehlo()
            if target.starttls:
                if not conn.has_extn("starttls"):
                    raise StartTlsUnavailable(
                        f"{target.host}:{target.port} does not offer STARTTLS; nothing was sent (a local relay "
                        "without TLS needs ?starttls=off in COGNATE_SMTP_URL)")
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            self._deliver(conn, message)

    def _deliver(self, conn: smtplib.SMTP, message: EmailMessage) -> None:
        if self.target.username:  # only ever on a TLS connection: `parse_smtp_url` refuses credentials otherwise
            conn.login(self.target.username, self.target.password or "")
        conn.send_message(message)

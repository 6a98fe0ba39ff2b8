"""With no SMTP server configured, every message becomes an `.eml` file in `{data_dir}/outbox/` and a log line."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

from cognate.mail.base import Mail

log = logging.getLogger("cognate.mail")


def to_email_message(mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = mail.sender, mail.to, mail.subject
    message["Message-ID"] = f"<{uuid.uuid4()}@cognate>"
    message.set_content(mail.body)
    return message


class OutboxMailer:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def send(self, mail: Mail) -> None:
        await asyncio.to_thread(self._write, mail)
        log.info(
            "mail written to outbox", extra={"fields": {"to": mail.to, "subject": mail.subject, "code": mail.code}}
        )

    def _write(self, mail: Mail) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{time.time():.6f}-{uuid.uuid4().hex[:8]}.eml"
        (self.directory / name).write_bytes(bytes(to_email_message(mail)))

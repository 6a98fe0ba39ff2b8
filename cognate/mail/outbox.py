"""With no SMTP server configured, every message becomes an `.eml` file in `{data_dir}/outbox/` and a log line.

The directory is 0700 and each file 0600 (they hold live codes); the INFO line names the file and a masked
recipient, and the code itself is logged at DEBUG only, for a developer who asked for it (ARCHITECTURE.md).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

from cognate.mail.base import Mail, mask_address

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
        name = await asyncio.to_thread(self._write, mail)
        log.info("mail written to outbox",
                 extra={"fields": {"to": mask_address(mail.to), "subject": mail.subject, "file": name}})
        if mail.code is not None:
            log.debug("outbox mail code", extra={"fields": {"to": mail.to, "file": name, "code": mail.code}})

    def _write(self, mail: Mail) -> str:
        self._directory()
        name = f"{time.time():.6f}-{uuid.uuid4().hex[:8]}.eml"
        fd = os.open(self.directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(bytes(to_email_message(mail)))
        return name

    def _directory(self) -> None:
        """Created 0700 (its parent, the data dir, too); one an earlier version made 0755 is tightened."""
        self.directory.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.directory.mkdir(mode=0o700, exist_ok=True)
        if self.directory.stat().st_mode & 0o077:
            self.directory.chmod(0o700)

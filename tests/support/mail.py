"""A mailer that keeps what it is asked to send, for in-process tests that read confirmation codes."""

from __future__ import annotations

from dataclasses import dataclass, field

from cognate.mail.base import Mail


@dataclass
class RecordingMailer:
    sent: list[Mail] = field(default_factory=list)

    async def send(self, mail: Mail) -> None:
        self.sent.append(mail)

    def last_code(self, to: str) -> str:
        mail = next(m for m in reversed(self.sent) if m.to == to)
        assert mail.code is not None
        return mail.code

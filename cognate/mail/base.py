"""What the services hand to a mailer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    sender: str = "no-reply@cognate.localhost"
    # Logged by the outbox at DEBUG only, so a developer can read the code from the console; never a password.
    code: str | None = field(default=None, repr=False)


class Mailer(Protocol):
    async def send(self, mail: Mail) -> None: ...


def mask_address(address: str) -> str:
    """`jane@example.com` → `j***@example.com`: enough for an operator to tell messages apart in an INFO log."""
    local, at, domain = address.partition("@")
    return f"{local[:1]}***{at}{domain}"

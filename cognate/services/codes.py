"""Verification codes (6 digits, expiring, single use, limited attempts) and where they were sent (spec §5)."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from cognate.domain.errors import CodeMismatchException, ExpiredCodeException, LimitExceededException
from cognate.domain.pools import UserPool
from cognate.domain.signin import MAX_CODE_ATTEMPTS, VerificationCode
from cognate.domain.users import User
from cognate.mail.base import Mail
from cognate.services.deps import Deps


@dataclass(frozen=True)
class Delivery:
    """`CodeDeliveryDetails` of the JSON API; the hosted UI shows `destination`."""

    destination: str
    medium: str = "EMAIL"
    attribute: str = "email"

    def to_cognito(self) -> dict[str, str]:
        return {"Destination": self.destination, "DeliveryMedium": self.medium, "AttributeName": self.attribute}


def mask_email(email: str) -> str:
    """`jane@example.com` → `j***@e***`, as Cognito shows it."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


def new_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _digest(deps: Deps, code: str, sub: str, purpose: str) -> str:
    return deps.sealer.mac(code, context=f"verification:{sub}:{purpose}")


async def issue_code(deps: Deps, user: User, purpose: str, lifetime: int) -> str:
    code = new_code()
    now = deps.clock.now()
    async with deps.store.transaction() as tx:
        await tx.verifications.put(VerificationCode(sub=user.sub, purpose=purpose,
                                                    code_hash=_digest(deps, code, user.sub, purpose),
                                                    created_at=now, expires_at=now + lifetime,
                                                    destination=user.email))
    return code


async def check_code(deps: Deps, user: User, purpose: str, code: str) -> None:
    """Raise unless `code` is the live code; a wrong guess counts, too many guesses invalidate it.

    The error is raised after the transaction commits: raising inside it would roll back the counted attempt.
    """
    failure: Exception | None = None
    async with deps.store.transaction() as tx:
        stored = await tx.verifications.get(user.sub, purpose)
        if stored is None or stored.expires_at <= deps.clock.now():
            failure = ExpiredCodeException("Invalid code provided, please request a code again.")
        elif stored.attempts >= MAX_CODE_ATTEMPTS:
            await tx.verifications.delete(user.sub, purpose)
            failure = LimitExceededException("Attempt limit exceeded, please try after some time.")
        elif not hmac.compare_digest(stored.code_hash, _digest(deps, code.strip(), user.sub, purpose)):
            await tx.verifications.count_attempt(user.sub, purpose)
            failure = CodeMismatchException("Invalid verification code provided, please try again.")
    if failure is not None:
        raise failure


async def consume_code(deps: Deps, user: User, purpose: str) -> None:
    async with deps.store.transaction() as tx:
        await tx.verifications.delete(user.sub, purpose)


async def send_code(deps: Deps, pool: UserPool, user: User, code: str, *, subject: str, template: str) -> Delivery:
    """Mail the code with the pool's template (`{####}` = code, `{username}` = username)."""
    email = user.email or ""
    body = template.replace("{####}", code).replace("{username}", user.username)
    await deps.mailer.send(Mail(to=email, subject=subject, body=body, code=code))
    return Delivery(destination=mask_email(email))

"""Verification codes (6 digits, expiring, single use, limited attempts) and where they were sent (spec §5).

A code is bound to the address it was mailed to and dies when that address changes. Wrong codes and code mails are
budgeted per user and purpose over a rolling hour in the database, so a fresh code buys no fresh guesses and the
budgets hold across nodes and restarts (issue 12).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from cognate.domain.errors import CodeMismatchException, CognitoError, ExpiredCodeException, LimitExceededException
from cognate.domain.pools import UserPool
from cognate.domain.signin import (
    CODE_BUDGET_SECONDS,
    CODE_SENT,
    MAX_CODE_ATTEMPTS,
    MAX_CODE_SENDS,
    MAX_WRONG_CODES,
    WRONG_CODE,
    VerificationCode,
)
from cognate.domain.triggers import Occasion, refuse_unrun_triggers
from cognate.domain.users import User
from cognate.mail.base import Mail
from cognate.services.deps import Deps
from cognate.services.rate_limit import charge_failure
from cognate.store.base import UnitOfWork

EXPIRED = "Invalid code provided, please request a code again."
ATTEMPTS = "Attempt limit exceeded, please try after some time."
MISMATCH = "Invalid verification code provided, please try again."


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


def _address(user: User) -> str | None:
    """The address a code is bound to: codes go by email only (SMS is not supported), whatever their purpose."""
    return user.email


def _still_bound(user: User, destination: str | None) -> bool:
    """The user's address is still the one the code went to; a change since kills the code."""
    return _address(user) == destination


def require_bound(user: User, destination: str | None) -> None:
    """For a write after `check_code` (in its own transaction): the address must not have changed in between."""
    if not _still_bound(user, destination):
        raise ExpiredCodeException(EXPIRED)


async def issue_code(deps: Deps, user: User, purpose: str, lifetime: int) -> str:
    """A new code replaces the pending one, bound to the address it goes to; its own attempts start at zero but the
    hour's wrong codes still count. Past MAX_CODE_SENDS codes per user and purpose in the hour: LimitExceeded."""
    code = new_code()
    now = deps.clock.now()
    async with deps.store.transaction() as tx:
        # Replace first: the row lock it takes makes parallel issues for this user and purpose count one by one.
        await tx.verifications.put(VerificationCode(sub=user.sub, purpose=purpose,
                                                    code_hash=_digest(deps, code, user.sub, purpose),
                                                    created_at=now, expires_at=now + lifetime,
                                                    destination=_address(user)))
        since = now - CODE_BUDGET_SECONDS
        if await tx.verifications.count_events(user.sub, purpose, CODE_SENT, since=since) >= MAX_CODE_SENDS:
            raise LimitExceededException(ATTEMPTS)  # inside: the rollback keeps the code sent before
        await tx.verifications.record_event(user.sub, purpose, CODE_SENT, now, forget_before=since)
    return code


async def check_code(deps: Deps, user: User, purpose: str, code: str) -> str | None:
    """Raise unless `code` is the live code of `user`'s current address; a right code is consumed, and the address
    it was bound to is returned for `require_bound`.

    One write transaction with the code's row locked (SQLite: `BEGIN IMMEDIATE`), so parallel guesses are judged
    one after another. The error is raised after it commits: raising inside would roll back the counted attempt.
    """
    async with deps.store.transaction() as tx:
        outcome = await _judge(deps, tx, user, purpose, code)
    if isinstance(outcome, CognitoError):
        raise outcome
    return outcome.destination


async def _judge(deps: Deps, tx: UnitOfWork, user: User, purpose: str, code: str) -> VerificationCode | CognitoError:
    """Dead, spent or over budget before comparing; the attempt is counted before the comparison (spec §5)."""
    now = deps.clock.now()
    stored = await tx.verifications.get(user.sub, purpose, for_update=True)
    if stored is None or stored.expires_at <= now:
        return ExpiredCodeException(EXPIRED)
    current = await tx.users.get_by_sub(user.pool_id, user.sub)
    if current is None or not _still_bound(current, stored.destination):
        await tx.verifications.delete(user.sub, purpose)
        return ExpiredCodeException(EXPIRED)
    since = now - CODE_BUDGET_SECONDS
    if (stored.attempts >= MAX_CODE_ATTEMPTS
            or await tx.verifications.count_events(user.sub, purpose, WRONG_CODE, since=since) >= MAX_WRONG_CODES):
        return LimitExceededException(ATTEMPTS)
    await tx.verifications.count_attempt(user.sub, purpose)
    if hmac.compare_digest(stored.code_hash, _digest(deps, code.strip(), user.sub, purpose)):
        await tx.verifications.delete(user.sub, purpose)
        return stored
    await tx.verifications.record_event(user.sub, purpose, WRONG_CODE, now, forget_before=since)
    return CodeMismatchException(MISMATCH)


async def consume_code(deps: Deps, user: User, purpose: str) -> None:
    """After the step a code guarded: `check_code` already consumed that code; this ends any issued meanwhile."""
    async with deps.store.transaction() as tx:
        await tx.verifications.delete(user.sub, purpose)


async def send_code(deps: Deps, pool: UserPool, user: User, code: str, *, subject: str, template: str) -> Delivery:
    """Mail the code with the pool's template (`{####}` = code, `{username}` = username); the message is charged to
    the calling address's failure budget (`rate_limit`), so one address cannot mail without end."""
    refuse_unrun_triggers(pool.lambda_config, Occasion.MESSAGE)  # every send; the doors check earlier where they can
    email = user.email or ""
    body = template.replace("{####}", code).replace("{username}", user.username)
    await charge_failure(deps)
    await deps.mailer.send(Mail(to=email, subject=subject, body=body, code=code))
    return Delivery(destination=mask_email(email))

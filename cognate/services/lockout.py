"""Cognito's temporary lockout after repeated wrong passwords (spec §5 Lockout) and the per-Session limit on TOTP
codes (`domain.mfa.MAX_CODE_ATTEMPTS`), shared by every door that compares a secret.

Counts live in the database (so every node and restart sees them); a lock answers like Cognito:
NotAuthorizedException "Password attempts exceeded", without extending the lock.

An attempt is *reserved* before its secret is compared: the lock is checked and the attempt counted as a failure
in one transaction that holds the user's row lock (PostgreSQL `SELECT ... FOR UPDATE`; SQLite's writer lock, as
writers begin with `BEGIN IMMEDIATE`). So N guesses sent at once meet the lock exactly as N sent one by one would;
checking first and counting after the comparison let all N through. A right answer then forgets the failures.
"""

from __future__ import annotations

from dataclasses import dataclass

from cognate.domain.errors import NotAuthorizedException
from cognate.domain.mfa import MAX_CODE_ATTEMPTS
from cognate.domain.signin import FailureCount, after_failure
from cognate.domain.users import User
from cognate.services.deps import Deps
from cognate.store.base import UnitOfWork

LOCKED = "Password attempts exceeded"
INVALID_SESSION = "Invalid session for the user."


@dataclass(frozen=True)
class SessionCodes:
    """The challenge Session a TOTP code answers: the random id sealed in it, and when it expires."""

    session_id: str
    expires_at: float


def refuse_if_counted_locked(deps: Deps, count: FailureCount | None) -> FailureCount | None:
    """Raise while `count` holds a lock that has not run out; otherwise `count`."""
    if count is not None and count.locked_until > deps.clock.now():
        raise NotAuthorizedException(LOCKED)
    return count


async def reserve_attempt(deps: Deps, user: User, *, session: SessionCodes | None = None) -> None:
    """Before comparing a password, SRP proof or TOTP code of `user`: refuse while locked (and, for a code, once its
    Session has had MAX_CODE_ATTEMPTS codes), otherwise count this attempt as a failure now. A raise writes nothing,
    so refused attempts never extend the lock."""
    now = deps.clock.now()
    async with deps.store.transaction() as tx:
        if await tx.users.get_by_sub(user.pool_id, user.sub, for_update=True) is None:
            return  # deleted meanwhile: nothing left to protect, and no row to count against
        count = refuse_if_counted_locked(deps, await tx.failures.get(user.sub))
        if session is not None:
            await _take_code_attempt(tx, user, session, now)
        await tx.failures.put(after_failure(count, user.sub, now))


async def _take_code_attempt(tx: UnitOfWork, user: User, session: SessionCodes, now: float) -> None:
    """One of the Session's codes; a Session that used them all (or already signed in) is dead, as in Cognito."""
    tried = await tx.challenge_attempts.get(session.session_id)
    if tried >= MAX_CODE_ATTEMPTS:
        raise NotAuthorizedException(INVALID_SESSION)
    await tx.challenge_attempts.purge_expired(user.sub, now)
    await tx.challenge_attempts.put(session.session_id, user.sub, tried + 1, session.expires_at)


async def record_success(deps: Deps, user: User) -> None:
    """The secret was right: forget the failures, this attempt's reservation among them. Under the user's row lock,
    like every write of the count: a delete racing `reserve_attempt`'s read-then-update of the same row made that
    update match no row (an error, not a count) on PostgreSQL."""
    async with deps.store.transaction() as tx:
        if await tx.users.get_by_sub(user.pool_id, user.sub, for_update=True) is not None:
            await forget_failures(tx, user)


async def forget_failures(tx: UnitOfWork, user: User, *, spent: SessionCodes | None = None) -> None:
    """`record_success` inside the caller's transaction, which holds the user's row lock; `spent`: a Session that
    signed in cannot sign in again."""
    await tx.failures.clear(user.sub)
    if spent is not None:
        await tx.challenge_attempts.put(spent.session_id, user.sub, MAX_CODE_ATTEMPTS, spent.expires_at)

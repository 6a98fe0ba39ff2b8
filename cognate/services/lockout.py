"""Cognito's temporary lockout after repeated wrong passwords (spec §5 Lockout), shared by every sign-in door.

Counts live in the database (so every node and restart sees them); a lock answers like Cognito:
NotAuthorizedException "Password attempts exceeded", without extending the lock.
"""

from __future__ import annotations

from cognate.domain.errors import NotAuthorizedException
from cognate.domain.signin import FailureCount, after_failure
from cognate.domain.users import User
from cognate.services.deps import Deps
from cognate.store.base import AlreadyExists

LOCKED = "Password attempts exceeded"


async def refuse_if_locked(deps: Deps, user: User) -> FailureCount | None:
    """Raise while locked; otherwise the user's current failure count (None when clean)."""
    async with deps.store.transaction(readonly=True) as tx:
        count = await tx.failures.get(user.sub)
    return refuse_if_counted_locked(deps, count)


def refuse_if_counted_locked(deps: Deps, count: FailureCount | None) -> FailureCount | None:
    """`refuse_if_locked` for a count the caller read in its own transaction."""
    if count is not None and count.locked_until > deps.clock.now():
        raise NotAuthorizedException(LOCKED)
    return count


async def record_failure(deps: Deps, user: User) -> None:
    """Count one wrong password; two racing failures both count (row lock, or a retry after a racing insert)."""
    for _ in range(2):
        try:
            async with deps.store.transaction() as tx:
                previous = await tx.failures.get(user.sub, for_update=True)
                await tx.failures.put(after_failure(previous, user.sub, deps.clock.now()))
            return
        except AlreadyExists:
            continue


async def record_success(deps: Deps, user: User, count: FailureCount | None) -> None:
    """Forget earlier failures; no write at all for the common case of a clean record."""
    if count is None:
        return
    async with deps.store.transaction() as tx:
        await tx.failures.clear(user.sub)

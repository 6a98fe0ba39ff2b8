"""Helpers shared by the repositories: turning constraint violations into the store's sentinel errors."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cognate.store.base import AlreadyExists, NotFound


async def add_unique(session: AsyncSession, row: object, what: str) -> None:
    """Insert `row` inside a savepoint so a duplicate is reported as `AlreadyExists(what)` and the transaction survives.

    The row is added only once the savepoint is open: `begin_nested()` flushes whatever is pending *before* it emits
    SAVEPOINT, so a row added earlier would hit the constraint outside the savepoint and doom the whole transaction.
    """
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        raise AlreadyExists(what) from None


def require(found: object, what: str) -> None:
    if found is None:
        raise NotFound(what)

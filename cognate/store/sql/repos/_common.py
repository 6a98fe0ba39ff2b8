"""Helpers shared by the repositories: turning constraint violations into the store's sentinel errors."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from cognate.store.base import AlreadyExists, NotFound


async def flush_unique(session: AsyncSession, what: str) -> None:
    """Flush inside a savepoint so a duplicate is reported as `AlreadyExists(what)` and the transaction survives."""
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise AlreadyExists(what) from None


def require(found: object, what: str) -> None:
    if found is None:
        raise NotFound(what)

"""Loading entities inside a transaction, with Cognito's not-found errors."""

from __future__ import annotations

from cognate.domain.errors import ResourceNotFoundException, UserNotFoundException
from cognate.domain.pools import UserPool
from cognate.domain.users import User, username_key
from cognate.store.base import StoredClient, UnitOfWork


async def require_pool(tx: UnitOfWork, pool_id: str) -> UserPool:
    pool = await tx.pools.get(pool_id)
    if pool is None:
        raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
    return pool


async def require_client_record(tx: UnitOfWork, pool_id: str | None, client_id: str, *,
                                for_update: bool = False) -> StoredClient:
    record = await tx.clients.get(client_id, for_update=for_update)
    if record is None or (pool_id is not None and record.client.pool_id != pool_id):
        raise ResourceNotFoundException(f"User pool client {client_id} does not exist.")
    return record


async def find_user(tx: UnitOfWork, pool: UserPool, typed: str) -> User | None:
    """By username, then by alias (email, phone, preferred_username), then by sub, as Cognito resolves it."""
    user = await tx.users.get(pool.id, username_key(pool, typed))
    if user is not None:
        return user
    for attribute in (*pool.username_attributes, *pool.alias_attributes):
        key = typed if attribute == "preferred_username" and pool.case_sensitive else typed.lower()
        user = await tx.users.get_by_alias(pool.id, attribute, key)
        if user is not None:
            return user
    if pool.username_attributes:
        return await tx.users.get_by_sub(pool.id, typed)
    return None


async def require_user(tx: UnitOfWork, pool: UserPool, typed: str) -> User:
    user = await find_user(tx, pool, typed)
    if user is None:
        raise UserNotFoundException("User does not exist.")
    return user

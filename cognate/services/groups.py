"""Group use cases: CRUD and memberships, with Cognito's limits and messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cognate.domain.errors import GroupExistsException, LimitExceededException, ResourceNotFoundException
from cognate.domain.groups import MAX_GROUPS_PER_POOL, MAX_GROUPS_PER_USER, Group, build_group, update_group
from cognate.domain.users import User
from cognate.services import audit
from cognate.services.deps import Deps
from cognate.services.limits import check_limit
from cognate.services.lookups import require_pool, require_user
from cognate.services.pagination import decode_token, encode_token
from cognate.store.base import AlreadyExists, UnitOfWork


async def _require(tx: UnitOfWork, pool_id: str, name: str) -> Group:
    group = await tx.groups.get(pool_id, name)
    if group is None:
        raise ResourceNotFoundException("Group not found.")
    return group


async def create_group(deps: Deps, pool_id: str, req: Mapping[str, Any]) -> Group:
    group = build_group(pool_id, req, deps.clock.now())
    async with deps.store.transaction() as tx:
        await require_pool(tx, pool_id)
        if await tx.groups.count(pool_id) >= MAX_GROUPS_PER_POOL:
            raise LimitExceededException(f"A user pool can have at most {MAX_GROUPS_PER_POOL} groups.")
        try:
            await tx.groups.add(group)
        except AlreadyExists:
            raise GroupExistsException("A group with the name already exists.") from None
    await audit.admin_change(deps, "CreateGroup", pool_id=pool_id)
    return group


async def get_group(deps: Deps, pool_id: str, name: str) -> Group:
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
        return await _require(tx, pool_id, name)


async def list_groups(deps: Deps, pool_id: str, *, limit: int | None = None, token: str | None = None
                      ) -> tuple[list[Group], str | None]:
    size = check_limit(limit, default=60, low=0, high=60, field="Limit") or 60
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
        groups = list(await tx.groups.list(pool_id, limit=size + 1, after=decode_token(token)))
    more = len(groups) > size
    groups = groups[:size]
    return groups, encode_token(groups[-1].name) if more else None


async def update_group_settings(deps: Deps, pool_id: str, name: str, req: Mapping[str, Any]) -> Group:
    async with deps.store.transaction() as tx:
        await require_pool(tx, pool_id)
        group = update_group(await _require(tx, pool_id, name), req, deps.clock.now())
        await tx.groups.update(group)
    await audit.admin_change(deps, "UpdateGroup", pool_id=pool_id)
    return group


async def delete_group(deps: Deps, pool_id: str, name: str) -> None:
    async with deps.store.transaction() as tx:
        await require_pool(tx, pool_id)
        await _require(tx, pool_id, name)
        await tx.groups.delete(pool_id, name)
    await audit.admin_change(deps, "DeleteGroup", pool_id=pool_id)


async def add_user_to_group(deps: Deps, pool_id: str, username: str, name: str) -> None:
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        user = await require_user(tx, pool, username)
        await _require(tx, pool_id, name)
        if len(await tx.groups.groups_of(pool_id, user.sub, limit=MAX_GROUPS_PER_USER + 1)) >= MAX_GROUPS_PER_USER:
            raise LimitExceededException(f"A user can be a member of at most {MAX_GROUPS_PER_USER} groups.")
        await tx.groups.add_member(pool_id, name, user.sub)
    await audit.admin_change(deps, "AdminAddUserToGroup", pool_id=pool_id, sub=user.sub)


async def remove_user_from_group(deps: Deps, pool_id: str, username: str, name: str) -> None:
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        user = await require_user(tx, pool, username)
        await _require(tx, pool_id, name)
        await tx.groups.remove_member(pool_id, name, user.sub)
    await audit.admin_change(deps, "AdminRemoveUserFromGroup", pool_id=pool_id, sub=user.sub)


async def groups_for_user(deps: Deps, pool_id: str, username: str, *, limit: int | None = None,
                          token: str | None = None) -> tuple[list[Group], str | None]:
    size = check_limit(limit, default=60, low=0, high=60, field="Limit") or 60
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, pool_id)
        user = await require_user(tx, pool, username)
        groups = list(await tx.groups.groups_of(pool_id, user.sub, limit=size + 1, after=decode_token(token)))
    more = len(groups) > size
    groups = groups[:size]
    return groups, encode_token(groups[-1].name) if more else None


async def users_in_group(deps: Deps, pool_id: str, name: str, *, limit: int | None = None,
                         token: str | None = None) -> tuple[list[User], str | None]:
    size = check_limit(limit, default=60, low=0, high=60, field="Limit") or 60
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
        await _require(tx, pool_id, name)
        rows = list(await tx.groups.members(pool_id, name, limit=size + 1, after=decode_token(token)))
    more = len(rows) > size
    rows = rows[:size]
    return [u for _, u in rows], encode_token(rows[-1][0]) if more else None

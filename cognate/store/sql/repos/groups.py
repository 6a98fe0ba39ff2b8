"""Groups and memberships."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cognate.domain.groups import Group
from cognate.domain.users import User
from cognate.store.sql.repos._common import add_unique, require
from cognate.store.sql.repos.users import to_user
from cognate.store.sql.tables import GroupMemberRow, GroupRow, UserRow


def _group(row: GroupRow) -> Group:
    return Group(pool_id=row.pool_id, name=row.name, created_at=row.created_at, updated_at=row.updated_at,
                 description=row.description, precedence=row.precedence, role_arn=row.role_arn)


class SqlGroupRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, group: Group) -> None:
        row = GroupRow(pool_id=group.pool_id, name=group.name, description=group.description,
                       precedence=group.precedence, role_arn=group.role_arn, created_at=group.created_at,
                       updated_at=group.updated_at)
        await add_unique(self._s, row, "group")

    async def get(self, pool_id: str, name: str) -> Group | None:
        row = await self._s.get(GroupRow, (pool_id, name))
        return _group(row) if row else None

    async def list(self, pool_id: str, *, limit: int, after: str | None = None) -> Sequence[Group]:
        query = select(GroupRow).where(GroupRow.pool_id == pool_id).order_by(GroupRow.name).limit(limit)
        if after:
            query = query.where(GroupRow.name > after)
        return [_group(r) for r in (await self._s.scalars(query)).all()]

    async def count(self, pool_id: str) -> int:
        return int(await self._s.scalar(select(func.count()).where(GroupRow.pool_id == pool_id)) or 0)

    async def update(self, group: Group) -> None:
        row = await self._s.get(GroupRow, (group.pool_id, group.name))
        require(row, "group")
        assert row is not None
        row.description, row.precedence, row.role_arn = group.description, group.precedence, group.role_arn
        row.updated_at = group.updated_at
        await self._s.flush()

    async def delete(self, pool_id: str, name: str) -> None:
        await self._s.execute(delete(GroupRow).where(GroupRow.pool_id == pool_id, GroupRow.name == name))

    async def add_member(self, pool_id: str, name: str, sub: str) -> None:
        if await self._s.get(GroupMemberRow, (pool_id, name, sub)) is None:
            await add_unique(self._s, GroupMemberRow(pool_id=pool_id, group_name=name, sub=sub), "membership")

    async def remove_member(self, pool_id: str, name: str, sub: str) -> None:
        await self._s.execute(delete(GroupMemberRow).where(
            GroupMemberRow.pool_id == pool_id, GroupMemberRow.group_name == name, GroupMemberRow.sub == sub))

    async def groups_of(self, pool_id: str, sub: str, *, limit: int = 100,
                        after: str | None = None) -> Sequence[Group]:
        query = (select(GroupRow).join(GroupMemberRow, (GroupMemberRow.pool_id == GroupRow.pool_id)
                                       & (GroupMemberRow.group_name == GroupRow.name))
                 .where(GroupMemberRow.pool_id == pool_id, GroupMemberRow.sub == sub)
                 .order_by(GroupRow.name).limit(limit))
        if after:
            query = query.where(GroupRow.name > after)
        return [_group(r) for r in (await self._s.scalars(query)).all()]

    async def members(self, pool_id: str, name: str, *, limit: int,
                      after: str | None = None) -> Sequence[tuple[str, User]]:
        query = (select(UserRow).join(GroupMemberRow, GroupMemberRow.sub == UserRow.sub)
                 .where(GroupMemberRow.pool_id == pool_id, GroupMemberRow.group_name == name)
                 .order_by(UserRow.username_key).limit(limit))
        if after:
            query = query.where(UserRow.username_key > after)
        return [(r.username_key, to_user(r)) for r in (await self._s.scalars(query)).all()]

"""Users and their unique aliases (email / phone / preferred_username lookups)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from cognate.domain.mfa import UserMfa
from cognate.domain.users import User
from cognate.store.base import AlreadyExists, UserFilter
from cognate.store.sql.repos._common import add_unique, require
from cognate.store.sql.tables import UserAliasRow, UserRow

# ListUsers filter attributes that are columns; the others are matched inside the JSON attributes.
COLUMN_FILTERS: dict[str, Any] = {
    "username": UserRow.username,
    "sub": UserRow.sub,
    "email": UserRow.email,
    "cognito:user_status": UserRow.status,
}


# Collations that order text by code point: there, `prefix <= x < successor(prefix)` is exactly "x starts with prefix".
CODE_POINT_COLLATIONS = frozenset({"c", "posix", "c.utf-8", "c.utf8", "ucs_basic"})
_code_point_order: dict[str, bool] = {}  # per database URL, learnt once per process


def prefix_successor(prefix: str) -> str | None:
    """The smallest string greater than every string starting with `prefix`; None when there is none."""
    chars = list(prefix)
    while chars:
        last = ord(chars.pop())
        if last < sys.maxunicode:
            return "".join(chars) + chr(last + 1 if last + 1 != 0xD800 else 0xE000)
    return None


def _row(user: User, key: str) -> dict[str, Any]:
    return {"sub": user.sub, "pool_id": user.pool_id, "username": user.username, "username_key": key,
            "email": user.attributes.get("email"), "attributes": dict(user.attributes), "status": user.status,
            "enabled": user.enabled, "password_hash": user.password_hash, "srp_salt": user.srp_salt,
            "srp_verifier": user.srp_verifier, "created_at": user.created_at, "updated_at": user.updated_at,
            **_mfa_columns(user.mfa)}


def _mfa_columns(mfa: UserMfa) -> dict[str, Any]:
    return {"totp_pending": mfa.pending_secret, "totp_secret": mfa.secret, "totp_enabled": mfa.enabled,
            "totp_preferred": mfa.preferred, "totp_last_step": mfa.last_step}


def to_user(row: UserRow) -> User:
    return User(pool_id=row.pool_id, username=row.username, sub=row.sub, created_at=row.created_at,
                updated_at=row.updated_at, attributes=dict(row.attributes), status=row.status,
                enabled=row.enabled, password_hash=row.password_hash, srp_salt=row.srp_salt,
                srp_verifier=row.srp_verifier,
                mfa=UserMfa(pending_secret=row.totp_pending, secret=row.totp_secret, enabled=bool(row.totp_enabled),
                            preferred=bool(row.totp_preferred), last_step=row.totp_last_step))


class SqlUserRepo:
    def __init__(self, session: AsyncSession) -> None:
        self._s = session

    async def add(self, user: User, *, key: str, aliases: dict[str, str]) -> None:
        row = UserRow(**_row(user, key))
        await add_unique(self._s, row, "username")
        await self._set_aliases(user, aliases)

    async def add_many(self, users: Sequence[tuple[User, str, dict[str, str]]]) -> None:
        """Bulk insert of (user, username key, aliases) in two multi-row statements (a benchmarking and import aid).

        All or nothing: any duplicate username or alias raises `AlreadyExists("username")` and the batch is lost.
        """
        if not users:
            return
        aliases = [{"pool_id": u.pool_id, "attribute": attribute, "value_key": value_key, "sub": u.sub}
                   for u, _, found in users for attribute, value_key in found.items()]
        try:
            async with self._s.begin_nested():
                await self._s.execute(insert(UserRow), [_row(u, key) for u, key, _ in users])
                if aliases:
                    await self._s.execute(insert(UserAliasRow), aliases)
        except IntegrityError:
            raise AlreadyExists("username") from None

    async def _set_aliases(self, user: User, aliases: dict[str, str]) -> None:
        await self._s.execute(delete(UserAliasRow).where(UserAliasRow.sub == user.sub))
        for attribute, value_key in aliases.items():
            alias = UserAliasRow(pool_id=user.pool_id, attribute=attribute, value_key=value_key, sub=user.sub)
            await add_unique(self._s, alias, attribute)

    async def get(self, pool_id: str, key: str) -> User | None:
        row = await self._s.scalar(select(UserRow).where(UserRow.pool_id == pool_id, UserRow.username_key == key))
        return to_user(row) if row else None

    async def get_by_sub(self, pool_id: str, sub: str, *, for_update: bool = False) -> User | None:
        """`for_update`: lock the row (PostgreSQL) so racing read-change-writes of one user take turns."""
        row = await self._s.get(UserRow, sub, with_for_update=for_update or None)
        return to_user(row) if row and row.pool_id == pool_id else None

    async def get_by_alias(self, pool_id: str, attribute: str, value_key: str) -> User | None:
        query = select(UserRow).join(UserAliasRow, UserAliasRow.sub == UserRow.sub).where(
            UserAliasRow.pool_id == pool_id, UserAliasRow.attribute == attribute, UserAliasRow.value_key == value_key)
        row = await self._s.scalar(query)
        return to_user(row) if row else None

    async def update(self, user: User, *, aliases: dict[str, str]) -> None:
        row = await self._s.get(UserRow, user.sub)
        require(row, "user")
        assert row is not None
        row.attributes, row.email = dict(user.attributes), user.attributes.get("email")
        row.status, row.enabled, row.password_hash = user.status, user.enabled, user.password_hash
        row.srp_salt, row.srp_verifier = user.srp_salt, user.srp_verifier
        for column, value in _mfa_columns(user.mfa).items():
            setattr(row, column, value)
        row.updated_at = user.updated_at
        await self._s.flush()
        await self._set_aliases(user, aliases)

    async def delete(self, pool_id: str, sub: str) -> None:
        await self._s.execute(delete(UserRow).where(UserRow.pool_id == pool_id, UserRow.sub == sub))

    async def list(self, pool_id: str, *, limit: int, after: str | None = None,
                   where: UserFilter | None = None) -> Sequence[tuple[str, User]]:
        """Users ordered by username key; each with its key so the caller can make a pagination token."""
        order: ColumnElement[str] | InstrumentedAttribute[str] = UserRow.username_key
        if where is not None and where.attribute == "email" and self._s.get_bind().dialect.name == "sqlite":
            # Without statistics SQLite walks the username index in ORDER BY order (all of the pool; README "Measured
            # costs") rather than take the few email index hits and sort them; `|| ''` takes that path away.
            order = UserRow.username_key + ""
        query = select(UserRow).where(UserRow.pool_id == pool_id).order_by(order).limit(limit)
        if after is not None:
            query = query.where(UserRow.username_key > after)
        if where is not None:
            query = query.where(self._condition(where))
            if where.prefix and where.attribute in COLUMN_FILTERS and await self._ordered_by_code_point():
                query = query.where(*self._prefix_range(COLUMN_FILTERS[where.attribute], where.value))
        return [(r.username_key, to_user(r)) for r in (await self._s.scalars(query)).all()]

    def _condition(self, where: UserFilter) -> Any:
        if where.attribute == "status":
            return UserRow.enabled.is_(where.value == "Enabled")
        column = COLUMN_FILTERS.get(where.attribute)
        if column is None:
            column = UserRow.attributes[where.attribute].as_string()
        if where.prefix:
            # Not LIKE: SQLite's LIKE ignores ASCII case while PostgreSQL's does not; substr compares exactly on both.
            return func.substr(column, 1, len(where.value)) == where.value
        return column == where.value

    @staticmethod
    def _prefix_range(column: Any, prefix: str) -> tuple[Any, ...]:
        """`column >= prefix AND column < successor`: the same rows as the exact check, found through the index."""
        upper = prefix_successor(prefix)
        return (column >= prefix,) if upper is None else (column >= prefix, column < upper)

    async def _ordered_by_code_point(self) -> bool:
        """SQLite compares text bytewise (BINARY); PostgreSQL does so only under a C-like database collation."""
        bind = self._s.get_bind()
        if bind.dialect.name == "sqlite":
            return True
        url = str(bind.engine.url)
        if url not in _code_point_order:
            collation = await self._s.scalar(text(
                "SELECT datcollate FROM pg_database WHERE datname = current_database()"))
            _code_point_order[url] = str(collation).lower() in CODE_POINT_COLLATIONS
        return _code_point_order[url]

    async def count(self, pool_id: str) -> int:
        return int(await self._s.scalar(select(func.count()).where(UserRow.pool_id == pool_id)) or 0)

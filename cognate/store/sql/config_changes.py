"""Which configuration a write transaction changed, noted by its session from every write to a configuration table.

The services remember configuration for up to a second (`services/memo.py`) and must forget it the moment this
process changes it. Rather than each use case (or each repository method) saying what it touched, the session
watches its own writes: ORM flushes (inserts, attribute changes) and UPDATE/DELETE statements alike. A new
repository method or use case therefore cannot change configuration and forget to announce it; a statement whose
WHERE does not name the pool or the row is announced with None there, and listeners then forget more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, BooleanClauseList, ColumnClause

from cognate.store.base import ConfigChange, Configured

CHANGES = "cognate_config_changes"  # the key of the noted changes in `Session.info`


@dataclass(frozen=True)
class _Watched:
    what: Configured
    pool_column: str
    key_column: str


WATCHED = {  # table name → what its rows are, and which columns name their pool and the row
    "user_pools": _Watched(Configured.POOL, "id", "id"),
    "signing_keys": _Watched(Configured.SIGNING_KEY, "pool_id", "kid"),
    "app_clients": _Watched(Configured.CLIENT, "pool_id", "id"),
    "resource_servers": _Watched(Configured.RESOURCE_SERVER, "pool_id", "identifier"),
    "domains": _Watched(Configured.DOMAIN, "pool_id", "domain"),
    "ui_customizations": _Watched(Configured.UI_CUSTOMIZATION, "pool_id", "client_id"),
}


class WatchedSession(Session):
    """The session of write transactions: notes each configuration write in `info[CHANGES]`."""


def changes_of(session: Session) -> list[ConfigChange]:
    found: list[ConfigChange] = session.info.get(CHANGES, [])
    return found


def _note(session: Session, watched: _Watched, pool_id: object, key: object) -> None:
    change = ConfigChange(watched.what, None if pool_id is None else str(pool_id), None if key is None else str(key))
    session.info.setdefault(CHANGES, []).append(change)


@event.listens_for(WatchedSession, "after_flush")
def _flushed(session: Session, _flush: UOWTransaction) -> None:
    """Rows inserted, changed or deleted through the ORM (the lists still hold the flushed rows here)."""
    for row in (*session.new, *session.dirty, *session.deleted):
        watched = WATCHED.get(getattr(row, "__tablename__", ""))
        if watched is not None:
            _note(session, watched, getattr(row, watched.pool_column), getattr(row, watched.key_column))


@event.listens_for(WatchedSession, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    """INSERT/UPDATE/DELETE statements: the pool and row are read from the WHERE's `column = value` terms."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    statement: Any = state.statement
    watched = WATCHED.get(getattr(statement.table, "name", ""))
    if watched is not None:
        named = _equalities(getattr(statement, "whereclause", None))
        _note(state.session, watched, named.get(watched.pool_column), named.get(watched.key_column))


def _equalities(where: Any) -> dict[str, object]:
    """`column = value` terms ANDed at the top of a WHERE. Any other term only narrows the rows further, so these
    still name every row written; under an OR nothing is named."""
    if where is None:
        return {}
    if isinstance(where, BooleanClauseList):
        if where.operator is not operators.and_:
            return {}
        terms = list(where.clauses)
    else:
        terms = [where]
    named: dict[str, object] = {}
    for term in terms:
        if (isinstance(term, BinaryExpression) and term.operator is operators.eq
                and isinstance(term.left, ColumnClause) and isinstance(term.right, BindParameter)
                and term.right.effective_value is not None):
            named[term.left.name] = term.right.effective_value
    return named

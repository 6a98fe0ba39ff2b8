"""AdminListUserAuthEvents (spec §6): a user's sign-in, sign-up and password events from the audit trail, newest
first, paged by audit id."""

from __future__ import annotations

from typing import Any

from cognate.domain.auth_events import auth_event_to_cognito, is_auth_event
from cognate.domain.errors import InvalidParameterException
from cognate.domain.signin import AuditEvent
from cognate.services.deps import Deps
from cognate.services.limits import check_limit
from cognate.services.lookups import require_pool, require_user
from cognate.services.pagination import decode_token, encode_token
from cognate.store.base import UnitOfWork

MAX_RESULTS = 60  # Cognito returns 60 when MaxResults is 0 or absent
SCAN = 200  # audit rows read per query while skipping the user's non-auth events (token issues, admin changes)


def _before(next_token: str | None) -> int | None:
    after = decode_token(next_token)
    if after is None:
        return None
    if not after.isdigit():
        raise InvalidParameterException("Invalid pagination token")
    return int(after)


async def _scan(tx: UnitOfWork, pool_id: str, sub: str, before: int | None,
                want: int) -> tuple[list[tuple[int, AuditEvent]], bool]:
    """Up to `want` auth events older than `before`, and whether there are more."""
    found: list[tuple[int, AuditEvent]] = []
    while True:
        rows = await tx.audit.list(pool_id=pool_id, sub=sub, limit=SCAN, before_id=before)
        for row_id, event in rows:
            if not is_auth_event(event):
                continue
            if len(found) == want:
                return found, True
            found.append((row_id, event))
        if len(rows) < SCAN:
            return found, False
        before = rows[-1][0]


async def list_user_auth_events(deps: Deps, pool_id: str, username: str, *, max_results: int | None,
                                next_token: str | None) -> tuple[list[dict[str, Any]], str | None]:
    limit = check_limit(max_results or None, default=MAX_RESULTS, low=1, high=MAX_RESULTS, field="MaxResults")
    before = _before(next_token)
    await deps.store.flush_audit()
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, pool_id)
        user = await require_user(tx, pool, username)
        found, more = await _scan(tx, pool.id, user.sub, before, limit)
    events = [auth_event_to_cognito(str(row_id), event) for row_id, event in found]
    return events, encode_token(str(found[-1][0])) if more and found else None

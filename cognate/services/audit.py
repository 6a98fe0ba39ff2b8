"""The audit trail (issue 5): every sign-in, sign-up, confirmation, password change, token event, admin change
and lockout, with time, pool, client, user, IP, user agent and outcome — never a password, code, secret or token.

The IP, user agent and door come from `caller.request_info`, which the web layer sets for each request.
"""

from __future__ import annotations

import logging

from cognate.domain.signin import OUTCOME_LENGTH, AuditEvent
from cognate.services.caller import request_info
from cognate.services.deps import Deps
from cognate.services.metrics import event_counter

log = logging.getLogger("cognate.audit")


async def record(deps: Deps, event: str, outcome: str, *, pool_id: str | None = None, client_id: str | None = None,
                 sub: str | None = None, **detail: str) -> None:
    """Write one event, batched with others (the store logs a failure to write; it never fails a sign-in)."""
    event_counter(event, outcome).inc()
    info = request_info.get()
    entry = AuditEvent(at=deps.clock.now(), event=event, outcome=outcome[:OUTCOME_LENGTH], pool_id=pool_id,
                       client_id=client_id, sub=sub, ip=info.ip, user_agent=(info.user_agent or "")[:512] or None,
                       detail={"door": info.door, **detail})
    deps.store.add_audit(entry)


async def list_events(deps: Deps, *, pool_id: str | None = None, sub: str | None = None,
                      since: float | None = None, limit: int = 100) -> list[AuditEvent]:
    await deps.store.flush_audit()
    async with deps.store.transaction(readonly=True) as tx:
        return [e for _, e in await tx.audit.list(pool_id=pool_id, sub=sub, since=since, limit=limit)]


async def admin_change(deps: Deps, action: str, *, pool_id: str | None, sub: str | None = None) -> None:
    """A successful administrative change, named by its Cognito operation."""
    await record(deps, "admin_change", "success", pool_id=pool_id, sub=sub, action=action)

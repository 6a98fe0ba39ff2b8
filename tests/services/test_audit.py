"""The audit trail records sign-ins and admin changes with who/where/outcome and never a secret."""

from __future__ import annotations

import contextlib
import json

from cognate.domain.errors import NotAuthorizedException
from cognate.services import audit, caller, clients, pools, users
from cognate.services.authenticate import password_sign_in
from cognate.services.deps import Deps

PASSWORD = "Sup3r-secret-Passw0rd!"


async def test_sign_in_and_admin_events(deps: Deps) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "audited"})
    client = await clients.create_client(deps, pool.id, {"ClientName": "c", "GenerateSecret": True})
    user, _ = await users.create_user(deps, pool.id, username="carol", attributes={}, password=PASSWORD,
                                      permanent=True)
    token = caller.request_info.set(caller.RequestInfo(ip="203.0.113.9", user_agent="pytest-agent", door="api"))
    try:
        with contextlib.suppress(NotAuthorizedException):
            await password_sign_in(deps, pool=pool, client=client, username="carol", password="wrong-" + PASSWORD)
        await password_sign_in(deps, pool=pool, client=client, username="carol", password=PASSWORD)
    finally:
        caller.request_info.reset(token)

    events = await audit.list_events(deps, pool_id=pool.id)
    summary = [(e.event, e.outcome, e.detail.get("action") or e.detail.get("reason") or e.detail.get("flow"))
               for e in events]
    assert summary[:3] == [("sign_in", "success", "password"), ("sign_in", "failure", "wrong password"),
                           ("admin_change", "success", "AdminCreateUser")]
    assert ("admin_change", "success", "CreateUserPoolClient") in summary
    sign_in = events[0]
    assert (sign_in.sub, sign_in.client_id, sign_in.ip, sign_in.user_agent) == (
        user.sub, client.id, "203.0.113.9", "pytest-agent")
    assert sign_in.detail["door"] == "api"
    assert [e.event for e in await audit.list_events(deps, sub=user.sub)][:2] == ["sign_in", "sign_in"]

    dumped = json.dumps([e.__dict__ for e in events])
    assert PASSWORD not in dumped and client.secret is not None and client.secret not in dumped


async def test_every_cognito_exception_name_is_kept_and_nothing_is_lost_with_it(deps: Deps) -> None:
    """An outcome is any Cognito exception name. PostgreSQL refused InvalidSmsRoleAccessPolicyException (35 characters)
    in a 32-character column, and the batch it was written in was lost with it (a wrong-password event beside it).
    Longer than any name: cut, never lost."""
    pool = await pools.create_pool(deps, {"PoolName": "long-outcomes"})
    names = ["InvalidSmsRoleAccessPolicyException", "InvalidSmsRoleTrustRelationshipException", "x" * 70]
    for name in names:
        await audit.record(deps, "sign_in", name, pool_id=pool.id)
    await audit.record(deps, "sign_in", "failure", pool_id=pool.id, reason="wrong password")
    outcomes = [e.outcome for e in await audit.list_events(deps, pool_id=pool.id) if e.event == "sign_in"]
    assert sorted(outcomes) == sorted([*names[:2], "x" * 64, "failure"])

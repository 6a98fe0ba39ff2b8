"""Cognito's temporary lockout (spec §5): 5 failures lock 1 s, doubling to ~15 min; quiet 15 min resets."""

from __future__ import annotations

import asyncio

from cognate.domain.clients import AppClient
from cognate.domain.clock import FrozenClock
from cognate.domain.errors import NotAuthorizedException
from cognate.domain.pools import UserPool
from cognate.domain.signin import FailureCount, after_failure
from cognate.services import clients, pools, users
from cognate.services.authenticate import SignedIn, password_sign_in
from cognate.services.deps import Deps

PASSWORD = "Corr3ct-horse!"


def test_lock_durations() -> None:
    count: FailureCount | None = None
    durations = []
    for _ in range(9):
        count = after_failure(count, "s", 1000.0)
        durations.append(count.locked_until - 1000.0 if count.locked_until else 0)
    assert durations == [0, 0, 0, 0, 1, 2, 4, 8, 16]
    many = FailureCount("s", 40, 1000.0, 0)
    assert after_failure(many, "s", 1001.0).locked_until == 1001.0 + 900
    assert after_failure(many, "s", 1000.0 + 901).failures == 1


async def _setup(deps: Deps) -> tuple[UserPool, AppClient]:
    pool = await pools.create_pool(deps, {"PoolName": "p"})
    client = await clients.create_client(deps, pool.id, {"ClientName": "c"})
    await users.create_user(deps, pool.id, username="bob", attributes={}, password=PASSWORD, permanent=True)
    return pool, client


async def _try(deps: Deps, pool: UserPool, client: AppClient, password: str) -> str:
    try:
        outcome = await password_sign_in(deps, pool=pool, client=client, username="bob", password=password)
    except NotAuthorizedException as exc:
        return exc.message
    return "ok" if isinstance(outcome, SignedIn) else "challenge"


async def test_lockout_engages_and_expires(deps: Deps, clock: FrozenClock) -> None:
    pool, client = await _setup(deps)
    for _ in range(5):
        assert await _try(deps, pool, client, "wrong") == "Incorrect username or password."
    # Locked for 1 s: even the right password is refused, and the attempt does not extend the lock.
    assert await _try(deps, pool, client, PASSWORD) == "Password attempts exceeded"
    clock.advance(1.5)
    assert await _try(deps, pool, client, "wrong") == "Incorrect username or password."  # 6th failure: 2 s lock
    clock.advance(1.0)
    assert await _try(deps, pool, client, PASSWORD) == "Password attempts exceeded"
    clock.advance(1.5)
    assert await _try(deps, pool, client, PASSWORD) == "ok"
    # Success forgets the failures: four more wrong passwords do not lock.
    for _ in range(4):
        assert await _try(deps, pool, client, "wrong") == "Incorrect username or password."
    assert await _try(deps, pool, client, PASSWORD) == "ok"


async def test_quiet_period_resets(deps: Deps, clock: FrozenClock) -> None:
    pool, client = await _setup(deps)
    for _ in range(4):
        await _try(deps, pool, client, "wrong")
    clock.advance(901)
    assert await _try(deps, pool, client, "wrong") == "Incorrect username or password."
    assert await _try(deps, pool, client, PASSWORD) == "ok"


async def test_parallel_failures_all_count(deps: Deps) -> None:
    pool, client = await _setup(deps)
    await asyncio.gather(*(_try(deps, pool, client, "wrong") for _ in range(10)))
    assert await _try(deps, pool, client, PASSWORD) == "Password attempts exceeded"

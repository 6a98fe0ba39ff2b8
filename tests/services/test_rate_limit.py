"""Rate limits (OWASP ASVS 2.2.1) through `check_caller`, on both counter backends: the database of the run
(SQLite or PostgreSQL) and Redis at 127.0.0.1:6379 (each test under its own key prefix). Frozen clock: engage,
answer with a Retry-After, recover after it.
"""

from __future__ import annotations

import asyncio
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from cognate.domain.clock import FrozenClock
from cognate.domain.errors import InvalidPasswordException, NotAuthorizedException
from cognate.domain.rate_limit import Rate, RateLimits
from cognate.services.caller import RequestInfo, request_info
from cognate.services.deps import Deps
from cognate.services.rate_limit import RateLimited, charge_failure, charge_if_failed, check_caller
from cognate.store.redis_counter import RedisRateCounter
from cognate.store.sql.auth_tables import RateWindowRow
from cognate.store.sql.engine import SqlStore
from cognate.store.sql.repos.rate_limits import SqlRateCounter
from cognate.store.synced_counter import SyncedRateCounter
from tests.conftest import need

REDIS_URL = "redis://127.0.0.1:6379/0"
LIMITS = RateLimits(per_ip=Rate(5, 60), per_client=Rate(8, 60))
FAILURES = RateLimits(failures_per_ip=Rate(3, 60))


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(params=["database", "redis"])
async def limited(request: pytest.FixtureRequest, deps: Deps) -> AsyncIterator[Deps]:
    """`deps` with small limits, counting in the database or in Redis (as the server does: `SyncedRateCounter`)."""
    if request.param == "database":
        yield replace(deps, rate_limits=LIMITS)
        return
    need(redis_reachable(), "Redis not reachable at 127.0.0.1:6379")
    counter = SyncedRateCounter(RedisRateCounter(REDIS_URL, prefix=f"cognate-test:{uuid.uuid4().hex}:"))
    yield replace(deps, rate_counter=counter, rate_limits=LIMITS)
    await counter.close()


@pytest.fixture(autouse=True)
def caller() -> Iterator[None]:
    token = request_info.set(RequestInfo(ip="203.0.113.7", door="api"))
    yield
    request_info.reset(token)


def from_ip(ip: str) -> None:
    request_info.set(RequestInfo(ip=ip, door="api"))


async def refused(deps: Deps, client_id: str | None = "app") -> RateLimited | None:
    try:
        await check_caller(deps, client_id=client_id)
    except RateLimited as exc:
        return exc
    return None


async def test_engages_answers_and_recovers(limited: Deps, clock: FrozenClock) -> None:
    for _ in range(5):
        assert await refused(limited) is None
    exc = await refused(limited)
    assert exc is not None and exc.name == "TooManyRequestsException" and exc.status == 400
    assert exc.scope == "ip" and exc.retry_after == 80
    assert "try again in 80 seconds" in exc.message
    clock.advance(79)
    assert await refused(limited) is not None  # still refused (and counted: the caller did not wait)
    clock.advance(200)
    assert await refused(limited) is None  # two windows later, clean


async def test_waiting_retry_after_is_enough(limited: Deps, clock: FrozenClock) -> None:
    for _ in range(5):
        await refused(limited)
    exc = await refused(limited)
    assert exc is not None
    clock.advance(exc.retry_after)
    assert await refused(limited) is None


async def test_other_addresses_are_not_affected(limited: Deps) -> None:
    for _ in range(6):
        await refused(limited, client_id=None)
    assert await refused(limited, client_id=None) is not None
    from_ip("198.51.100.1")
    assert await refused(limited, client_id=None) is None


async def test_per_client_limit_counts_every_address(limited: Deps) -> None:
    for n in range(8):
        from_ip(f"198.51.100.{n}")
        assert await refused(limited) is None
    from_ip("198.51.100.99")
    exc = await refused(limited)
    assert exc is not None and exc.scope == "client"
    assert await refused(limited, client_id="another-app") is None


async def test_zero_means_off(limited: Deps) -> None:
    off = replace(limited, rate_limits=RateLimits())
    for _ in range(50):
        assert await refused(off) is None


async def test_two_nodes_share_the_counts(limited: Deps) -> None:
    """A second counter on the same backend (another node) sees the first one's counts."""
    assert isinstance(limited.store, SqlStore) and isinstance(limited.rate_counter, SyncedRateCounter)
    mine = limited.rate_counter.shared
    shared = RedisRateCounter(REDIS_URL, prefix=mine.prefix) if isinstance(mine, RedisRateCounter) else (
        SqlRateCounter(limited.store))
    other = SyncedRateCounter(shared)
    node_b = replace(limited, rate_counter=other)
    for node in (limited, node_b, limited, node_b, limited):
        assert await refused(node) is None
    assert await refused(node_b) is not None
    await other.close()


async def test_racing_hits_all_count(limited: Deps) -> None:
    results = await asyncio.gather(*(refused(limited, client_id=None) for _ in range(12)))
    assert sum(r is None for r in results) == 5


async def test_old_windows_are_deleted(deps: Deps, clock: FrozenClock) -> None:
    limited = replace(deps, rate_limits=LIMITS)
    assert isinstance(limited.store, SqlStore)
    for n in range(4):
        from_ip(f"192.0.2.{n}")
        await refused(limited)
    assert await _rows(limited.store) == 4 + 1  # four addresses and one client
    clock.advance(3600)
    from_ip("192.0.2.200")
    await refused(limited)
    assert await _rows(limited.store) == 2  # only the windows just written


async def _rows(store: SqlStore) -> int:
    async with store.transaction(readonly=True) as tx:
        return int(await tx.session.scalar(select(func.count()).select_from(RateWindowRow)) or 0)


# --- the failure budget (issue 13): charged by failures and mailed codes, only read by every request ------------

async def test_failure_budget_refuses_the_address_once_its_failures_fill_it(limited: Deps, clock: FrozenClock) -> None:
    budget = replace(limited, rate_limits=FAILURES)
    for _ in range(3):
        assert await refused(budget) is None
        await charge_failure(budget)
    exc = await refused(budget)
    assert exc is not None and exc.scope == "ip-failures" and exc.name == "TooManyRequestsException"
    assert "Too many failed requests from this address" in exc.message and exc.retry_after >= 1
    from_ip("198.51.100.1")
    assert await refused(budget) is None  # another address has its own budget
    from_ip("203.0.113.7")
    clock.advance(exc.retry_after)
    assert await refused(budget) is None


async def test_successes_only_read_the_failure_budget(limited: Deps) -> None:
    """A hundred checked requests that do not fail: none refused, and not one count written."""
    budget = replace(limited, rate_limits=FAILURES)
    for _ in range(100):
        assert await refused(budget) is None
    assert isinstance(budget.rate_counter, SyncedRateCounter)
    await budget.rate_counter.sync()
    if isinstance(budget.rate_counter.shared, SqlRateCounter):
        assert isinstance(budget.store, SqlStore)
        assert await _rows(budget.store) == 0


async def test_only_failed_guesses_are_charged(limited: Deps) -> None:
    budget = replace(limited, rate_limits=FAILURES)
    for _ in range(5):
        await charge_if_failed(budget, InvalidPasswordException("too short"))  # a refusal, not a wrong guess
    assert await refused(budget) is None
    for _ in range(3):
        await charge_if_failed(budget, NotAuthorizedException("Incorrect username or password."))
    assert await refused(budget) is not None


async def test_no_address_is_never_charged(limited: Deps) -> None:
    """The CLI and in-process callers have no address: nothing to charge, nothing to refuse."""
    budget = replace(limited, rate_limits=FAILURES)
    request_info.set(RequestInfo(ip=None, door="cli"))
    for _ in range(5):
        await charge_failure(budget)
    assert await refused(budget) is None


async def test_racing_failures_all_count(limited: Deps) -> None:
    budget = replace(limited, rate_limits=RateLimits(failures_per_ip=Rate(20, 60)))
    await asyncio.gather(*(charge_failure(budget) for _ in range(20)))
    assert await refused(budget) is not None

"""`cognate bench seed`'s use case: many users, one shared argon2id hash, numbered on from the pool's count."""

from __future__ import annotations

import pytest

from cognate.domain.errors import InvalidParameterException, UsernameExistsException
from cognate.services import bench, clients, pools, users
from cognate.services.authenticate import SignedIn, password_sign_in
from cognate.services.deps import Deps
from cognate.store.base import UserFilter


async def test_seed_numbers_on_and_shares_one_hash(deps: Deps) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "p"})
    seen: list[int] = []
    first = await bench.seed_users(deps, pool.id, count=7, batch=3, progress=seen.append)
    second = await bench.seed_users(deps, pool.id, count=2, email_domain="example.org")
    assert (first.first, first.count, seen) == (0, 7, [3, 3, 1])
    assert (second.first, second.count) == (7, 2)
    async with deps.store.transaction(readonly=True) as tx:
        assert await tx.users.count(pool.id) == 9
        listed = [u for _, u in await tx.users.list(pool.id, limit=100)]
        found = await tx.users.list(pool.id, limit=10, where=UserFilter("email", "user8@example.org"))
    assert sorted(u.username for u in listed) == [f"user{i}" for i in range(9)]
    assert len({u.password_hash for u in listed if int(u.username[4:]) < 7}) == 1  # one hash per seeding
    assert all(u.status == "CONFIRMED" and u.srp_verifier is None and u.is_verified("email") for u in listed)
    assert [u.username for _, u in found] == ["user8"]


async def test_seeded_users_sign_in_with_the_shared_password(deps: Deps) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "p", "UsernameAttributes": ["email"]})
    client = await clients.create_client(deps, pool.id, {"ClientName": "c"})
    await bench.seed_users(deps, pool.id, count=3, password="Other-Passw0rd!")
    outcome = await password_sign_in(deps, pool=pool, client=client, username="user2@example.com",
                                     password="Other-Passw0rd!")
    assert isinstance(outcome, SignedIn)
    assert (await users.get_user(deps, pool.id, "user2@example.com")).email == "user2@example.com"


async def test_seed_refuses_taken_numbers_and_silly_counts(deps: Deps) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "p"})
    await bench.seed_users(deps, pool.id, count=2)
    with pytest.raises(UsernameExistsException):
        await bench.seed_users(deps, pool.id, count=2, first=1)
    with pytest.raises(InvalidParameterException):
        await bench.seed_users(deps, pool.id, count=0)
    async with deps.store.transaction(readonly=True) as tx:
        assert await tx.users.count(pool.id) == 2

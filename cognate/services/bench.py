"""Bulk seeding of a pool for benchmarks: many confirmed users sharing ONE precomputed argon2id hash.

Real sign-ups hash each password (argon2id: README "Measured costs") and derive an SRP verifier; a million of
those would take hours. The seeded users get the same hash (so USER_PASSWORD_AUTH and the hosted UI work with the
one password) and no SRP verifier (so USER_SRP_AUTH does not). Never use this to create real accounts.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from cognate.domain.errors import InvalidParameterException, UsernameExistsException
from cognate.domain.ids import new_sub
from cognate.domain.pools import UserPool
from cognate.domain.users import User, alias_keys, username_key
from cognate.services.deps import Deps
from cognate.services.lookups import require_pool
from cognate.store.base import AlreadyExists

DEFAULT_PASSWORD = "Bench-Passw0rd!"
MAX_COUNT = 10_000_000


@dataclass(frozen=True)
class SeedResult:
    pool_id: str
    first: int
    count: int
    seconds: float
    password: str

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else 0.0


def bench_user(pool: UserPool, number: int, *, email_domain: str, password_hash: str, now: float) -> User:
    """`user{number}` with a verified `user{number}@{email_domain}`, CONFIRMED."""
    email = f"user{number}@{email_domain}"
    username = email if pool.username_attributes else f"user{number}"
    sub = new_sub()
    return User(pool_id=pool.id, username=sub if pool.username_attributes else username, sub=sub, created_at=now,
                updated_at=now, attributes={"email": email, "email_verified": "true"}, status="CONFIRMED",
                password_hash=password_hash)


async def seed_users(deps: Deps, pool_id: str, *, count: int, email_domain: str = "example.com",
                     password: str = DEFAULT_PASSWORD, first: int | None = None, batch: int = 5000,
                     progress: Callable[[int], None] | None = None) -> SeedResult:
    """Add `count` users numbered from `first` (default: the pool's current user count) in batches of `batch`."""
    if not 1 <= count <= MAX_COUNT or not 1 <= batch <= 50_000:
        raise InvalidParameterException(f"count must be 1..{MAX_COUNT} and batch 1..50000")
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, pool_id)
        start = await tx.users.count(pool_id) if first is None else first
    pool.password_policy.check(password)
    password_hash = await deps.hasher.hash(password)
    began = time.perf_counter()
    done = 0
    while done < count:
        size = min(batch, count - done)
        now = deps.clock.now()
        users = [bench_user(pool, start + done + i, email_domain=email_domain, password_hash=password_hash, now=now)
                 for i in range(size)]
        rows = [(u, username_key(pool, u.username), alias_keys(pool, u)) for u in users]
        try:
            async with deps.store.transaction() as tx:
                await tx.users.add_many(rows)
        except AlreadyExists:
            raise UsernameExistsException(
                f"a user numbered {start + done}..{start + done + size - 1} already exists; pass another --first"
            ) from None
        done += size
        if progress is not None:
            progress(size)
    return SeedResult(pool_id, start, count, time.perf_counter() - began, password)

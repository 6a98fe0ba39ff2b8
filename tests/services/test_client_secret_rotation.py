"""Client-secret rotation under concurrency: parallel additions to a one-secret client leave exactly two secrets
(the row lock serialises them on PostgreSQL; SQLite's writers queue), and every added secret that was
acknowledged works."""

from __future__ import annotations

import asyncio

from cognate.domain.errors import LimitExceededException
from cognate.services import clients, pools
from cognate.services.client_auth import secret_matches
from cognate.services.deps import Deps


async def test_parallel_additions_never_lose_one(deps: Deps) -> None:
    pool = await pools.create_pool(deps, {"PoolName": "rot"})
    client = await clients.create_client(deps, pool.id, {"ClientName": "c", "GenerateSecret": True})

    async def attempt() -> str | None:
        try:
            return (await clients.add_client_secret(deps, pool.id, client.id, None)).value
        except LimitExceededException:
            return None

    results = await asyncio.gather(*(attempt() for _ in range(6)))
    added = [r for r in results if r]
    assert len(added) == 1
    stored = await clients.list_client_secrets(deps, pool.id, client.id)
    assert len(stored) == 2 and stored[1].value == added[0]
    current = await clients.get_client(deps, client.id)
    assert secret_matches(current, client.secret) and secret_matches(current, added[0])
    assert not secret_matches(current, "z" * 52)

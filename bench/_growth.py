"""Workload 7: how sign-in and ListUsers behave as a pool grows (1k, 100k, 1M users), seeded by `cognate bench seed`."""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from _http import Connection, HttpError
from _workloads import initiate_auth_once

SIGN_INS = 30
LISTS = 20
SEED_TIMEOUT = 1800.0


@dataclass(frozen=True)
class GrowthTarget:
    cognate: Sequence[str]          # argv prefix of the `cognate` CLI with --data-dir / --database-url
    port: int
    pool_id: str
    client_id: str
    password: str
    admin_key: tuple[str, str]
    initiate_auth: bool
    postgres_dsn: str | None = None  # set on PostgreSQL: statistics are refreshed after seeding


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * (len(ordered) - 1) + 0.5))] * 1000, 2)}


def seed(target: GrowthTarget, count: int) -> dict[str, Any]:
    argv = [*target.cognate, "bench", "seed", target.pool_id, "--count", str(count), "--batch", "10000", "--json"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=SEED_TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"cognate bench seed failed: {done.stderr.strip()[:500]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


async def analyze(dsn: str) -> None:
    """What autovacuum does within a minute or so of a bulk insert; without it the planner, still believing the
    table empty, walks the whole pool for an email lookup (about 1 s at 1M users)."""
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("ANALYZE users, user_aliases")
    finally:
        await conn.close()


async def sign_in_latency(target: GrowthTarget, size: int) -> dict[str, float]:
    conn = Connection("127.0.0.1", target.port)
    samples: list[float] = []
    try:
        for _ in range(SIGN_INS):
            t0 = time.perf_counter()
            await initiate_auth_once(conn, target.client_id, f"user{random.randrange(size)}", target.password)
            samples.append(time.perf_counter() - t0)
    finally:
        await conn.close()
    return _ms(samples)


def list_users_latency(target: GrowthTarget, filter_: str) -> dict[str, Any]:
    import boto3

    client = boto3.client("cognito-idp", endpoint_url=f"http://127.0.0.1:{target.port}", region_name="us-east-1",
                          aws_access_key_id=target.admin_key[0], aws_secret_access_key=target.admin_key[1])
    samples, found = [], 0
    for _ in range(LISTS):
        t0 = time.perf_counter()
        found = len(client.list_users(UserPoolId=target.pool_id, Filter=filter_, Limit=60)["Users"])
        samples.append(time.perf_counter() - t0)
    return {"filter": filter_, "found": found, **_ms(samples)}


async def run_growth(target: GrowthTarget, sizes: Sequence[int]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    current = 0
    for size in sorted(sizes):
        seeded = seed(target, size - current) if size > current else {"seconds": 0.0, "users_per_second": 0}
        current = max(current, size)
        if target.postgres_dsn:
            await analyze(target.postgres_dsn)
        row: dict[str, Any] = {"users": size, "seed_seconds": seeded["seconds"],
                               "seed_users_per_second": seeded["users_per_second"]}
        try:
            row["sign_in"] = await sign_in_latency(target, size) if target.initiate_auth else "skipped"
        except HttpError as exc:
            row["sign_in"] = f"failed: {exc}"
        prefix = "user12345" if size > 12345 else "user123"
        row["list_prefix"] = await asyncio.to_thread(list_users_latency, target, f'email ^= "{prefix}"')
        exact = f'email = "user{size // 2}@example.com"'
        row["list_exact"] = await asyncio.to_thread(list_users_latency, target, exact)
        rows.append(row)
        print(f"  growth {size:>9,} users: {json.dumps(row)}", flush=True)
    return rows

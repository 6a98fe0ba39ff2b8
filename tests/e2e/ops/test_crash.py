"""kill -9 in the middle of a burst of sign-ups (issue 6): after a restart every acknowledged sign-up exists,
with its alias, and nothing is half-created (each sign-up is one transaction)."""

from __future__ import annotations

import asyncio
import json
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.processes import Cli, Server

HEADERS = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService.SignUp"}


def _burst(url: str, client_id: str, stop: threading.Event) -> list[str]:
    acknowledged: list[str] = []

    def one(i: int) -> None:
        if stop.is_set():
            return
        email = f"crash{i}@example.com"
        body = {"ClientId": client_id, "Username": email, "Password": "Crash-Passw0rd!"}
        try:
            response = httpx.post(url, content=json.dumps(body), headers=HEADERS, timeout=10)
        except httpx.HTTPError:
            return
        if response.status_code == 200:
            acknowledged.append(email)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(one, range(400)))
    return acknowledged


async def _counts(url: str) -> tuple[int, int, int]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        users = (await conn.execute(text("SELECT count(*) FROM users"))).scalar_one()
        complete = (await conn.execute(text(
            "SELECT count(*) FROM users u JOIN user_aliases a ON a.sub = u.sub AND a.attribute = 'email' "
            "WHERE u.password_hash IS NOT NULL AND u.srp_verifier IS NOT NULL"))).scalar_one()
        aliases = (await conn.execute(text("SELECT count(*) FROM user_aliases"))).scalar_one()
    await engine.dispose()
    return int(users), int(complete), int(aliases)


def test_kill_9_loses_no_acknowledged_sign_up(cli: Cli, server: Server) -> None:
    pool_id = cli.json("pool", "create", "crash", "--username-attribute", "email", "--auto-verify",
                       "email")["UserPool"]["Id"]
    client_id = cli.json("client", "create", pool_id, "app", "--no-secret")["UserPoolClient"]["ClientId"]
    server.start()
    stop = threading.Event()
    result: list[list[str]] = []
    burst = threading.Thread(target=lambda: result.append(_burst(server.url + "/", client_id, stop)))
    burst.start()
    time.sleep(2.0)
    assert server.process is not None
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=10)
    stop.set()
    burst.join(timeout=60)
    acknowledged = result[0]
    assert acknowledged, "the burst should have had time to create some users"
    server.process = None
    server.start()
    users, complete, aliases = asyncio.run(_counts(cli.database_url))
    assert users == complete == aliases  # no user without its alias, hash and verifier; no orphan alias
    found = {a["Value"] for u in cli.json("user", "list", pool_id) for a in u["Attributes"] if a["Name"] == "email"}
    assert set(acknowledged) <= found, sorted(set(acknowledged) - found)[:5]
    assert users >= len(acknowledged)

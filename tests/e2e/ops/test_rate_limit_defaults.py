"""Issue 13: the default rate limits let a test suite through and stop guessing, against a real `cognate serve`.

Cognito has no per-address limit, only account quotas (120 sign-ins a second), so a suite run from one machine must
never meet TooManyRequestsException for its successes; what one address is allowed to spend is failures (wrong
passwords, unknown users, wrong codes, failed client authentication) and messages sent. Users are seeded with a
cheap argon2id hash (t=1, 8 MiB): verification runs at the stored hash's parameters, so the thousand sign-ins
cost the server milliseconds each and the test measures the limits, not argon2. Parallel clients, as a suite's
workers would be. With Redis configured the counts take a separate path (`RedisRateCounter`), tested too.
"""

from __future__ import annotations

import asyncio
import base64
import math
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from cognate.crypto.passwords import PasswordHasher
from cognate.services import clients, pools, resource_servers, users
from cognate.settings import load_settings
from tests.conftest import need
from tests.services.test_rate_limit import redis_reachable
from tests.support.inprocess import open_deps
from tests.support.processes import Cli, Server, free_port

PASSWORD = "Corr3ct-horse!"
API = "https://api.example.com"
SPRAYED = 300
WORKERS = 8
REDIS_DB = "redis://127.0.0.1:6379/13"  # a database of its own: other runs' counts of 127.0.0.1 stay apart


@dataclass(frozen=True)
class Setup:
    public: str
    m2m: str
    m2m_secret: str


async def _seed(cli: Cli, users_count: int) -> Setup:
    """A pool, a public client (USER_PASSWORD_AUTH), a client_credentials client and `users_count` users."""
    hasher = PasswordHasher(workers=2, time_cost=1, memory_cost=8 * 1024)
    settings = load_settings(data_dir=cli.data_dir, database_url=cli.database_url)
    async with open_deps(settings, hasher=hasher) as deps:
        pool = await pools.create_pool(deps, {"PoolName": "suite"})
        await resource_servers.create_resource_server(deps, pool.id, {
            "Identifier": API, "Name": "api", "Scopes": [{"ScopeName": "read", "ScopeDescription": "read"}]})
        public = await clients.create_client(deps, pool.id, {
            "ClientName": "app", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})
        m2m = await clients.create_client(deps, pool.id, {
            "ClientName": "m2m", "GenerateSecret": True, "AllowedOAuthFlows": ["client_credentials"],
            "AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthScopes": [f"{API}/read"]})
        for n in range(users_count):
            await users.create_user(deps, pool.id, username=f"user{n}", attributes={}, password=PASSWORD,
                                    permanent=True)
        assert m2m.secret
        return Setup(public.id, m2m.id, m2m.secret)


def _api(url: str) -> Any:
    """What an app holds: unsigned, and no retries (botocore would retry a TooManyRequestsException)."""
    return boto3.client("cognito-idp", endpoint_url=url, region_name="us-east-1",
                        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1},
                                      max_pool_connections=WORKERS))


def _sign_in(api: Any, client_id: str, username: str, password: str) -> str:
    try:
        api.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": username, "PASSWORD": password})
    except ClientError as exc:
        assert exc.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        return str(exc.response["Error"]["Code"])
    return "ok"


def _client_credentials(http: httpx.Client, url: str, setup: Setup) -> str:
    basic = base64.b64encode(f"{setup.m2m}:{setup.m2m_secret}".encode()).decode()
    response = http.post(f"{url}/oauth2/token", data={"grant_type": "client_credentials", "scope": f"{API}/read"},
                         headers={"Authorization": f"Basic {basic}"})
    if response.status_code == 429:
        return "TooManyRequestsException"
    assert response.status_code == 200, response.text
    return "ok"


def _parallel(count: int, one: Callable[[int], str]) -> list[str]:
    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(one, range(count)))


@pytest.fixture(params=["database", "redis"])
def backend(request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Where the server counts: the database of the run, or Redis (its own database, emptied before and after)."""
    if request.param == "database":
        yield {}
        return
    need(redis_reachable(), "Redis not reachable at 127.0.0.1:6379")
    import redis

    client = redis.Redis.from_url(REDIS_DB)
    client.flushdb()
    yield {"COGNATE_REDIS_URL": REDIS_DB}
    client.flushdb()
    client.close()


def _server(tmp_path: Path, database_url: str, env: dict[str, str], users_count: int) -> tuple[Server, Setup]:
    cli = Cli(data_dir=tmp_path / f"data-{uuid.uuid4().hex[:6]}", database_url=database_url, env=env)
    setup = asyncio.run(_seed(cli, users_count))
    server = Server(cli=cli, port=free_port())
    server.start()
    return server, setup


def test_a_test_suite_of_1000_sign_ins_and_token_requests_is_not_throttled(
        tmp_path: Path, database_url: str, backend: dict[str, str]) -> None:
    """Default settings: 500 InitiateAuth USER_PASSWORD_AUTH and 500 client_credentials grants from 127.0.0.1,
    eight at a time, well within two minutes; not one TooManyRequestsException. With Redis counting (not the
    default) 300 requests: the same path of reads and counts, in a third of the suite's time."""
    total = 300 if backend else 1000
    server, setup = _server(tmp_path, database_url, backend, users_count=10)
    try:
        api = _api(server.url)
        with httpx.Client(timeout=30) as http:
            def one(n: int) -> str:
                if n % 2:
                    return _client_credentials(http, server.url, setup)
                return _sign_in(api, setup.public, f"user{n % 10}", PASSWORD)

            started = time.monotonic()
            answers = _parallel(total, one)
            elapsed = time.monotonic() - started
        assert answers == ["ok"] * total, {a: answers.count(a) for a in set(answers)}
        assert elapsed < 120, elapsed
    finally:
        server.kill()
    assert "Traceback" not in server.log()


def test_password_spraying_300_users_from_one_address_is_throttled(
        tmp_path: Path, database_url: str, backend: dict[str, str]) -> None:
    """Default settings: one wrong password for each of 300 users (no user's lockout ever starts) from one
    address, in parallel: the address's failure budget answers TooManyRequestsException before the 300th, and then
    refuses even the right password (the check comes before the work)."""
    server, setup = _server(tmp_path, database_url, backend, users_count=SPRAYED)
    try:
        api = _api(server.url)
        started = time.monotonic()
        answers = _parallel(SPRAYED, lambda n: _sign_in(api, setup.public, f"user{n}", "Wrong-passw0rd!"))
        elapsed = time.monotonic() - started
        assert elapsed < 60
        assert set(answers) == {"NotAuthorizedException", "TooManyRequestsException"}
        assert answers.index("TooManyRequestsException") < SPRAYED - 1
        # The default budget is 100 failures a minute; requests already admitted when it fills may still fail, and
        # the sliding window's estimate lets the previous minute's share decay while the burst runs (at most
        # 100 per 60 s of burst, when the burst straddles a window boundary).
        slack = WORKERS + math.ceil(100 * elapsed / 60)
        assert 100 <= answers.count("NotAuthorizedException") <= 100 + slack, (answers.count("NotAuthorizedException"),
                                                                               elapsed)
        assert _sign_in(api, setup.public, "user0", PASSWORD) == "TooManyRequestsException"
        with httpx.Client(timeout=30) as http:
            wrong = Setup(setup.public, setup.m2m, "not-the-secret")
            token = http.post(f"{server.url}/oauth2/token", data={"grant_type": "client_credentials"},
                              auth=(wrong.m2m, wrong.m2m_secret))
            assert token.status_code == 429 and int(token.headers["retry-after"]) >= 1
    finally:
        server.kill()
    assert "Traceback" not in server.log()

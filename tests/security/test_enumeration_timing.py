"""User enumeration by timing, against a real `cognate serve` (real argon2, real sockets): an unknown user and a
known user with a wrong password must answer alike and take about as long (the dummy hash check), through the JSON
API (InitiateAuth USER_PASSWORD_AUTH, PreventUserExistenceErrors ENABLED) and the hosted-UI /login POST."""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from cognate.services import users
from cognate.settings import load_settings
from tests.security.conftest import CB, PASSWORD, csrf_of, pkce_pair, populate
from tests.support.inprocess import open_deps
from tests.support.processes import Cli, Server, free_port

ATTEMPTS = 15
USERS_PER_SURFACE = 4  # each known user gets at most 4 wrong passwords: the 5th would start a lockout
LOW, HIGH = 0.6, 1.6
TARGET = "AWSCognitoIdentityProviderService.InitiateAuth"


@dataclass(frozen=True)
class Target:
    server: Server
    client_id: str


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory, module_database_url: str) -> Iterator[Target]:
    data_dir = Path(tmp_path_factory.mktemp("timing")) / "data"
    cli = Cli(data_dir=data_dir, database_url=module_database_url,
              env={"COGNATE_RATE_LIMIT_PER_IP": "0", "COGNATE_RATE_LIMIT_PER_CLIENT": "0",
                   "COGNATE_RATE_LIMIT_FAILURES_PER_IP": "0"})
    cli.run("db", "upgrade")
    settings = load_settings(data_dir=data_dir, database_url=module_database_url)

    async def setup() -> str:
        async with open_deps(settings, migrate=False) as deps:
            _, _, spa = await populate(deps)
            for surface in ("api", "ui"):
                for i in range(USERS_PER_SURFACE):
                    await users.create_user(deps, spa.pool_id, username=f"timing-{surface}-{i}",
                                            attributes={}, password=PASSWORD, permanent=True)
            return spa.id

    client_id = asyncio.run(setup())
    server = Server(cli=cli, port=free_port())
    server.start()
    try:
        yield Target(server, client_id)
    finally:
        server.kill()
    assert "Traceback" not in server.log(), server.log()[-3000:]


def _medians(measure: Callable[[str, bool], tuple[float, str]], surface: str) -> tuple[float, float, set[str]]:
    unknown: list[float] = []
    wrong: list[float] = []
    answers: set[str] = set()
    for _ in range(2):  # warm-up: connections, caches, the first argon2 call
        measure("timing-warmup-nobody", False)
    for i in range(ATTEMPTS):
        for known in (False, True) if i % 2 else (True, False):
            name = f"timing-{surface}-{i % USERS_PER_SURFACE}" if known else f"timing-{surface}-nobody-{i}"
            took, answer = measure(name, known)
            (wrong if known else unknown).append(took)
            answers.add(answer)
    return statistics.median(unknown), statistics.median(wrong), answers


@pytest.mark.slow
def test_enumeration_timing_initiate_auth_within_tolerance(target: Target) -> None:
    http = httpx.Client(base_url=target.server.url, timeout=10)

    def measure(username: str, _known: bool) -> tuple[float, str]:
        body = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": target.client_id,
                "AuthParameters": {"USERNAME": username, "PASSWORD": "Wrong-Passw0rd"}}
        started = time.perf_counter()
        response = http.post("/", json=body, headers={"X-Amz-Target": TARGET,
                                                      "Content-Type": "application/x-amz-json-1.1"})
        took = time.perf_counter() - started
        assert response.status_code == 400
        return took, response.text

    with http:
        unknown, wrong, answers = _medians(measure, "api")
    assert answers == {'{"__type":"NotAuthorizedException","message":"Incorrect username or password."}'}, answers
    assert LOW <= unknown / wrong <= HIGH, f"unknown {unknown * 1000:.1f} ms vs wrong password {wrong * 1000:.1f} ms"


@pytest.mark.slow
def test_enumeration_timing_hosted_ui_login_within_tolerance(target: Target) -> None:
    http = httpx.Client(base_url=target.server.url, timeout=10)
    query = httpx.QueryParams({"response_type": "code", "client_id": target.client_id, "redirect_uri": CB,
                               "scope": "openid", "code_challenge": pkce_pair()[1], "code_challenge_method": "S256"})

    def measure(username: str, _known: bool) -> tuple[float, str]:
        token = csrf_of(http.get(f"/login?{query}").text)
        started = time.perf_counter()
        response = http.post(f"/login?{query}", data={"_csrf": token, "username": username,
                                                      "password": "Wrong-Passw0rd"})
        took = time.perf_counter() - started
        assert response.status_code == 400
        found = re.search(r"Incorrect username or password\.", response.text)
        return took, found.group(0) if found else response.text[:200]

    with http:
        unknown, wrong, answers = _medians(measure, "ui")
    assert answers == {"Incorrect username or password."}, answers
    assert LOW <= unknown / wrong <= HIGH, f"unknown {unknown * 1000:.1f} ms vs wrong password {wrong * 1000:.1f} ms"

"""Credential-stuffing brakes: over the per-IP or per-client rate the JSON API answers TooManyRequestsException,
the token endpoint and the hosted UI HTTP 429 with `Retry-After`; once the window has slid by, requests pass again.
The world here has its own small limits (5 per minute per IP, 8 per minute per client) on the frozen clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from tests.security.conftest import ASYNC, BASE, CB, PASSWORD, World, build_world, close_world, csrf_of
from tests.support.inprocess import InProcessApp

pytestmark = ASYNC
PER_IP, PER_CLIENT = 5, 8


@pytest_asyncio.fixture(loop_scope="module")
async def limited(tmp_path: Path, database_url: str) -> AsyncIterator[tuple[World, InProcessApp]]:
    """A fresh world per test (tests/conftest.py `database_url`): counters must start at zero."""
    world, app = await build_world(tmp_path / "data", database_url, rate_limit_per_ip=f"{PER_IP}/minute",
                                   rate_limit_per_client=f"{PER_CLIENT}/minute")
    try:
        yield world, app
    finally:
        await close_world(world)


async def test_rate_limit_json_api_answers_too_many_requests_and_recovers(limited: tuple[World, InProcessApp]) -> None:
    world, _ = limited
    answers = [(await world.password_auth("alice", "Wrong-Passw0rd")).json()["__type"] for _ in range(PER_IP + 1)]
    assert answers == ["NotAuthorizedException"] * PER_IP + ["TooManyRequestsException"]
    refused = await world.password_auth("alice", PASSWORD)
    assert refused.status_code == 400 and refused.json()["__type"] == "TooManyRequestsException"
    world.clock.advance(121)
    assert (await world.password_auth("alice", PASSWORD)).status_code == 200


async def test_rate_limit_token_endpoint_answers_429_with_retry_after_and_recovers(
        limited: tuple[World, InProcessApp]) -> None:
    world, _ = limited
    statuses = [(await world.token(grant_type="authorization_code", code="nope", redirect_uri=CB)).status_code
                for _ in range(PER_IP)]
    assert statuses == [400] * PER_IP
    refused = await world.token(grant_type="authorization_code", code="nope", redirect_uri=CB)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"] == "invalid_request"
    world.clock.advance(121)
    assert (await world.tokens())["access_token"]


async def test_rate_limit_hosted_ui_login_answers_429_and_recovers(limited: tuple[World, InProcessApp]) -> None:
    world, _ = limited
    url = f"/login?{world.authorize_query()}"
    token = csrf_of((await world.http.get(url)).text)
    for _ in range(PER_IP):
        wrong = await world.http.post(url, data={"_csrf": token, "username": "alice", "password": "Wrong-1a"})
        assert wrong.status_code == 400
    refused = await world.http.post(url, data={"_csrf": token, "username": "alice", "password": PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "location" not in refused.headers and refused.headers["x-frame-options"] == "DENY"
    world.clock.advance(1000)  # past the lockout the 5 failures started, too
    ok = await world.http.post(url, data={"_csrf": token, "username": "alice", "password": PASSWORD})
    assert ok.status_code == 303 and ok.headers["location"].startswith(CB + "?code=")


async def test_rate_limit_per_client_spans_addresses(limited: tuple[World, InProcessApp]) -> None:
    world, app = limited
    clients = [app.client(peer=(f"198.51.100.{i}", 40000), base_url=BASE) for i in range(PER_CLIENT + 1)]
    try:
        answers = []
        for http in clients:  # one request from each address: only the client's count grows past its limit
            response = await http.post("/", json={"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": world.spa.id,
                                                  "AuthParameters": {"USERNAME": "nobody", "PASSWORD": "x"}},
                                       headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
                                                "Content-Type": "application/x-amz-json-1.1"})
            answers.append(response.json()["__type"])
        assert answers == ["NotAuthorizedException"] * PER_CLIENT + ["TooManyRequestsException"]
        world.clock.advance(121)
        assert (await world.password_auth("alice", PASSWORD)).status_code == 200
    finally:
        for http in clients:
            await http.aclose()


# --- the per-address failure budget (issue 13): failures and mailed codes are charged, successes are not --------

BUDGET = 5


@pytest_asyncio.fixture(loop_scope="module")
async def budgeted(tmp_path: Path, database_url: str) -> AsyncIterator[World]:
    """Only the failure budget on (5 a minute per address), as the defaults have it (100 a minute)."""
    world, _ = await build_world(tmp_path / "data", database_url, rate_limit_failures_per_ip=f"{BUDGET}/minute")
    try:
        yield world
    finally:
        await close_world(world)


async def test_successful_sign_ins_never_spend_the_failure_budget(budgeted: World) -> None:
    answers = [(await budgeted.password_auth("alice", PASSWORD)).status_code for _ in range(4 * BUDGET)]
    assert answers == [200] * (4 * BUDGET)
    assert (await budgeted.tokens())["access_token"]


async def test_password_spraying_over_users_trips_the_failure_budget_before_the_work(budgeted: World) -> None:
    """One wrong password per user name (no user's lockout ever starts): the address is refused after BUDGET, and
    then even the right password is refused, unverified."""
    answers = [(await budgeted.password_auth(f"user{n}", "Wrong-Passw0rd")).json()["__type"] for n in range(BUDGET + 1)]
    assert answers == ["NotAuthorizedException"] * BUDGET + ["TooManyRequestsException"]
    refused = await budgeted.password_auth("alice", PASSWORD)
    assert refused.json()["__type"] == "TooManyRequestsException"
    assert "Too many failed requests from this address" in refused.json()["message"]
    budgeted.clock.advance(121)
    assert (await budgeted.password_auth("alice", PASSWORD)).status_code == 200


async def test_failed_client_authentication_at_the_token_endpoint_is_charged(budgeted: World) -> None:
    statuses = []
    for _ in range(BUDGET + 1):
        response = await budgeted.http.post("/oauth2/token", data={"grant_type": "client_credentials"},
                                            auth=(budgeted.web.id, "not-the-secret"))
        statuses.append(response.status_code)
    assert statuses == [401] * BUDGET + [429]
    assert (await budgeted.token(grant_type="authorization_code", code="nope", redirect_uri=CB)).status_code == 429


async def test_wrong_passwords_in_the_hosted_ui_are_charged(budgeted: World) -> None:
    url = f"/login?{budgeted.authorize_query()}"
    token = csrf_of((await budgeted.http.get(url)).text)
    for n in range(BUDGET):
        wrong = await budgeted.http.post(url, data={"_csrf": token, "username": f"user{n}", "password": "Wrong-1a"})
        assert wrong.status_code == 400
    refused = await budgeted.http.post(url, data={"_csrf": token, "username": "alice", "password": PASSWORD})
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1


async def test_mailed_codes_are_charged_to_the_address(budgeted: World) -> None:
    """Sign-ups that each mail a code to a new address spend the budget: one address cannot mail without end."""
    answers = []
    for n in range(BUDGET + 1):
        response = await budgeted.api("SignUp", {"ClientId": budgeted.spa.id, "Username": f"new{n}",
                                                 "Password": PASSWORD,
                                                 "UserAttributes": [{"Name": "email", "Value": f"n{n}@example.com"}]})
        answers.append(response.json().get("__type", "ok"))
    assert answers == ["ok"] * BUDGET + ["TooManyRequestsException"]
    assert len(budgeted.mail.sent) == BUDGET

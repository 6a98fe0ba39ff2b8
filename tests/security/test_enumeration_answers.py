"""Account enumeration by answer with PreventUserExistenceErrors ENABLED (issue 12, item 9; Cognito's "Managing user
existence error responses"): ConfirmSignUp and ResendConfirmationCode answer a confirmed user exactly as an unknown
one, and USER_SRP_AUTH's simulated USER_ID_FOR_SRP and SALT look like a real user's (a version-4 UUID where real ids
are UUIDs, the typed name where they are usernames) and cannot be recomputed without the deployment's key."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest_asyncio

from cognate.crypto import srp
from cognate.domain.clients import AppClient
from cognate.services import clients, pools, users
from tests.security.conftest import API_FLOWS, ASYNC, PASSWORD, World

pytestmark = ASYNC

SRP_A = "ab" * 64
SALT_RE = re.compile(r"^(00)?[0-9a-f]{1,32}$")


async def _answer(world: World, operation: str, body: dict[str, Any]) -> tuple[int, bytes]:
    response = await world.api(operation, body)
    return response.status_code, response.content


async def test_confirm_sign_up_confirmed_user_answers_like_an_unknown_one(world: World) -> None:
    for code in ("123456", "000000"):
        known = await _answer(world, "ConfirmSignUp", {"ClientId": world.spa.id, "Username": "alice",
                                                       "ConfirmationCode": code})
        unknown = await _answer(world, "ConfirmSignUp", {"ClientId": world.spa.id, "Username": "nobody-confirm",
                                                         "ConfirmationCode": code})
        assert known == unknown, (known, unknown)
        assert known[0] == 400 and b"CodeMismatchException" in known[1]


async def test_resend_confirmation_code_confirmed_user_answers_like_an_unknown_one(world: World) -> None:
    known = await _answer(world, "ResendConfirmationCode", {"ClientId": world.spa.id, "Username": "alice"})
    unknown = await _answer(world, "ResendConfirmationCode", {"ClientId": world.spa.id, "Username": "nobody-resend"})
    assert known == unknown, (known, unknown)
    assert known[0] == 200 and b'"DeliveryMedium":"EMAIL"' in known[1]
    sent = len(world.mail.sent)
    await world.api("ResendConfirmationCode", {"ClientId": world.spa.id, "Username": "alice"})
    assert len(world.mail.sent) == sent, "a confirmed user gets no mail"


async def test_confirm_pages_confirmed_user_answers_like_an_unknown_one_hosted_ui(world: World) -> None:
    query = world.authorize_query()
    known = await world.submit(f"/confirmUser?{query}", {"username": "alice", "code": "123456"})
    unknown = await world.submit(f"/confirmUser?{query}", {"username": "nobody-page", "code": "123456"})
    assert known.status_code == unknown.status_code == 400
    strip = re.compile(r'name="_csrf" value="[^"]+"|alice|nobody-page')
    assert strip.sub("", known.text) == strip.sub("", unknown.text)


async def test_legacy_client_still_names_a_confirmed_user(world: World) -> None:
    """The control: with prevention off the answers stay Cognito's (LEGACY tells users apart, by design)."""
    legacy = await clients.create_client(world.deps, world.pool.id, {"ClientName": "legacy",
                                                                     "ExplicitAuthFlows": API_FLOWS})
    known = await world.api("ResendConfirmationCode", {"ClientId": legacy.id, "Username": "alice"})
    unknown = await world.api("ResendConfirmationCode", {"ClientId": legacy.id, "Username": "nobody-legacy"})
    assert known.json()["__type"] == "NotAuthorizedException"
    assert unknown.json()["__type"] == "UserNotFoundException"


async def _srp_challenge(world: World, client: AppClient, username: str) -> dict[str, str]:
    response = await world.api("InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": client.id,
                                                "AuthParameters": {"USERNAME": username, "SRP_A": SRP_A}})
    assert response.status_code == 200, response.text
    return dict(response.json()["ChallengeParameters"])


@pytest_asyncio.fixture(loop_scope="module")
async def email_pool_client(world: World) -> AppClient:
    """A pool whose usernames are e-mail addresses: the internal id of a real user is its sub (a v4 UUID)."""
    pool = await pools.create_pool(world.deps, {"PoolName": f"mail-{uuid.uuid4().hex[:6]}",
                                                "UsernameAttributes": ["email"]})
    client = await clients.create_client(world.deps, pool.id, {
        "ClientName": "mail", "ExplicitAuthFlows": API_FLOWS, "PreventUserExistenceErrors": "ENABLED"})
    await users.create_user(world.deps, pool.id, username="real@example.com", attributes={}, password=PASSWORD,
                            permanent=True)
    return client


def _shape(challenge: dict[str, str]) -> tuple[int, int, bool]:
    user_id = uuid.UUID(challenge["USER_ID_FOR_SRP"])
    return user_id.version or 0, len(challenge["USER_ID_FOR_SRP"]), bool(SALT_RE.match(challenge["SALT"]))


async def test_srp_unknown_user_id_is_a_v4_uuid_like_a_real_one(world: World, email_pool_client: AppClient) -> None:
    real = await _srp_challenge(world, email_pool_client, "real@example.com")
    fake = await _srp_challenge(world, email_pool_client, "nobody@example.com")
    assert _shape(fake) == _shape(real) == (4, 36, True), (real, fake)
    assert uuid.UUID(fake["USER_ID_FOR_SRP"]).variant == uuid.RFC_4122
    again = await _srp_challenge(world, email_pool_client, "nobody@example.com")
    assert (again["USER_ID_FOR_SRP"], again["SALT"]) == (fake["USER_ID_FOR_SRP"], fake["SALT"])


async def test_srp_simulated_id_and_salt_cannot_be_recomputed(world: World, email_pool_client: AppClient) -> None:
    """The old derivation (public UUIDv5 of pool and name) let anyone predict the fake answer and compare."""
    fake = await _srp_challenge(world, email_pool_client, "nobody@example.com")
    public_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{email_pool_client.pool_id}/nobody@example.com"))
    assert fake["USER_ID_FOR_SRP"] != public_id
    assert fake["SALT"] != srp.pad_hex(uuid.uuid5(uuid.NAMESPACE_OID, fake["USER_ID_FOR_SRP"]).int)
    assert fake["SALT"] != srp.pad_hex(uuid.uuid5(uuid.NAMESPACE_OID, public_id).int)


async def test_srp_unknown_user_id_echoes_the_name_in_a_username_pool(world: World) -> None:
    """Where real ids are usernames (alice's is "alice"), a UUID would give the unknown name away."""
    real = await _srp_challenge(world, world.spa, "alice")
    fake = await _srp_challenge(world, world.spa, "nobody-srp")
    assert real["USER_ID_FOR_SRP"] == "alice" and fake["USER_ID_FOR_SRP"] == "nobody-srp"
    assert SALT_RE.match(real["SALT"]) and SALT_RE.match(fake["SALT"])

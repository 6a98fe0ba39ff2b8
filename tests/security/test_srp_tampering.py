"""Tampered SRP input (issue 12, item 10; spec §7, RFC 5054 §2.5.4): an SRP_A outside 1..N-1 (negative, zero, N or
more, a multiple of N, not plain hex) is refused with a Cognito error at the step that sends it, and the second step
answers every tampered PASSWORD_CLAIM_SECRET_BLOCK with a Cognito error, never a 500."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import httpx

from cognate.crypto import srp
from cognate.services import users
from tests.security.conftest import ASYNC, PASSWORD, World

pytestmark = ASYNC

GOOD_A = "ab" * 64
BAD_A = [
    "-" + GOOD_A, "-1", "+" + GOOD_A, "0x" + GOOD_A, "ab_cd", f" {GOOD_A}", f"{GOOD_A}\n", "0", "00" * 10,
    f"{srp.N:x}", f"{srp.N + 1:x}", f"{2 * srp.N:x}", f"{srp.N * 7:x}", "f" * 2000, "é", "",
]
REFUSALS = {"NotAuthorizedException", "InvalidParameterException"}


def _refused(response: httpx.Response) -> bool:
    return response.status_code == 400 and response.json().get("__type") in REFUSALS


async def _start(world: World, username: str, srp_a: Any) -> httpx.Response:
    return await world.api("InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": world.spa.id,
                                            "AuthParameters": {"USERNAME": username, "SRP_A": srp_a}})


async def test_srp_a_outside_the_group_refused_at_the_first_step(world: World) -> None:
    for username in ("alice", "nobody-srp-a"):
        for bad in BAD_A:
            response = await _start(world, username, bad)
            assert _refused(response), (username, bad[:20], response.status_code, response.text[:200])


def _timestamp(world: World) -> str:
    return datetime.fromtimestamp(world.clock.now(), UTC).strftime("%a %b %d %H:%M:%S UTC %Y").replace(" 0", " ")


def _tampered(block: str) -> list[Any]:
    raw = base64.b64decode(block)
    flipped = bytes([raw[0], raw[1], raw[2] ^ 1]) + raw[3:]
    return [
        "", "x", block[:-4], block + "AAAA", block[::-1], base64.b64encode(flipped).decode(),
        base64.b64encode(raw[:-1]).decode(), base64.b64encode(b"v1." + b"\xff" * 40).decode(),
        base64.b64encode(b"not sealed at all").decode(), "é" * 10, "A" * 100_000, block.replace("A", "-"),
    ]


async def _answer(world: World, block: Any, *, signature: str = "c2lnbmF0dXJl",
                  username: str = "alice") -> httpx.Response:
    return await world.api("RespondToAuthChallenge", {
        "ClientId": world.spa.id, "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": {"USERNAME": username, "PASSWORD_CLAIM_SECRET_BLOCK": block,
                               "PASSWORD_CLAIM_SIGNATURE": signature, "TIMESTAMP": _timestamp(world)}})


async def test_srp_second_step_never_fails_with_500_on_a_tampered_secret_block(world: World) -> None:
    for username in ("alice", "nobody-srp-block"):
        start = await _start(world, username, GOOD_A)
        assert start.status_code == 200, start.text
        block = start.json()["ChallengeParameters"]["SECRET_BLOCK"]
        for tampered in _tampered(block):
            response = await _answer(world, tampered)
            assert response.status_code < 500, (username, str(tampered)[:30], response.text[:200])
            assert _refused(response), (username, str(tampered)[:30], response.text[:200])
        for signature in ("", "!!!", "é", "A" * 10_000):
            assert _refused(await _answer(world, block, signature=signature))


async def test_srp_negative_a_never_reaches_a_500_at_the_second_step(world: World) -> None:
    """The attack as found: `-<hex>` passed the first step and the second step failed with a 500."""
    await users.create_user(world.deps, world.pool.id, username="srp-negative", attributes={}, password=PASSWORD,
                            permanent=True)
    for bad in ("-" + GOOD_A, "-1", f"{srp.N * 3:x}"):
        start = await _start(world, "srp-negative", bad)
        if start.status_code == 200:
            block = start.json()["ChallengeParameters"]["SECRET_BLOCK"]
            response = await _answer(world, block, username="srp-negative")
            assert response.status_code < 500, (bad[:20], response.text[:200])
        assert _refused(start), (bad[:20], start.text[:200])

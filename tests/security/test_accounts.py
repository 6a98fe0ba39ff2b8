"""Attacks on accounts and the JSON API gate: lockout, enumeration by answer, SQL-injection-shaped input, unicode
look-alike usernames, oversized bodies and forged SigV4 signatures (spec §5, §6; ARCHITECTURE.md admin auth)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from cognate.domain.users import User
from cognate.services import users
from tests.e2e.cognito_api._helpers import KEY_ID, signed_headers
from tests.security.conftest import ASYNC, BASE, PASSWORD, World, csrf_of

pytestmark = ASYNC

WRONG = "Incorrect username or password."
LOCKED = "Password attempts exceeded"
MIB = 1024 * 1024


def fullwidth(text: str) -> str:
    """ASCII letters as their FULLWIDTH compatibility forms (U+FF01..), which NFKC folds back."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


FULLWIDTH_ALICE = fullwidth("alice")


def api_error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    assert response.headers["x-amzn-ErrorType"] == body["__type"]
    return response.status_code, body["__type"], body["message"]


async def _user(world: World, username: str, **attributes: str) -> User:
    user, _ = await users.create_user(world.deps, world.pool.id, username=username, attributes=attributes,
                                      password=PASSWORD, permanent=True)
    return user


# --- lockout (spec §5: 5 failures → 1 s, doubling, attempts while locked do not extend it) --------------------


async def _fail(world: World, username: str, times: int) -> list[str]:
    return [(await world.password_auth(username, "Wrong-Passw0rd")).json()["message"] for _ in range(times)]


async def test_lockout_engages_after_five_failures(world: World) -> None:
    await _user(world, "lock-engage")
    assert await _fail(world, "lock-engage", 5) == [WRONG] * 5
    assert api_error(await world.password_auth("lock-engage", PASSWORD)) == (400, "NotAuthorizedException", LOCKED)


async def test_lockout_expires(world: World) -> None:
    await _user(world, "lock-expire")
    await _fail(world, "lock-expire", 5)
    assert api_error(await world.password_auth("lock-expire", PASSWORD))[2] == LOCKED
    world.clock.advance(1.01)
    assert (await world.password_auth("lock-expire", PASSWORD)).status_code == 200
    assert await _fail(world, "lock-expire", 4) == [WRONG] * 4, "a success must reset the count"


async def test_lockout_attempts_while_locked_do_not_extend_it(world: World) -> None:
    await _user(world, "lock-steady")
    await _fail(world, "lock-steady", 5)
    for _ in range(5):
        assert api_error(await world.password_auth("lock-steady", "Wrong-Passw0rd"))[2] == LOCKED
        world.clock.advance(0.15)
    world.clock.advance(0.3)
    assert (await world.password_auth("lock-steady", PASSWORD)).status_code == 200


async def test_lockout_doubles_on_further_failures(world: World) -> None:
    await _user(world, "lock-double")
    await _fail(world, "lock-double", 5)
    world.clock.advance(1.01)
    assert await _fail(world, "lock-double", 1) == [WRONG]  # the 6th failure: locked for 2 s
    world.clock.advance(1.5)
    assert api_error(await world.password_auth("lock-double", PASSWORD))[2] == LOCKED
    world.clock.advance(0.6)
    assert (await world.password_auth("lock-double", PASSWORD)).status_code == 200


async def test_lockout_applies_to_the_hosted_ui(world: World) -> None:
    await _user(world, "lock-ui")
    await _fail(world, "lock-ui", 5)
    response = await world.submit(f"/login?{world.authorize_query()}", {"username": "lock-ui", "password": PASSWORD})
    assert response.status_code == 400 and "location" not in response.headers
    world.clock.advance(1.01)
    response = await world.submit(f"/login?{world.authorize_query()}", {"username": "lock-ui", "password": PASSWORD})
    assert response.status_code == 303


# --- enumeration by answer (PreventUserExistenceErrors ENABLED) -------------------------------------------------


async def test_unknown_user_and_wrong_password_answer_identically_api(world: World) -> None:
    await _user(world, "enum-known")
    unknown = await world.password_auth("enum-nobody", "Wrong-Passw0rd")
    wrong = await world.password_auth("enum-known", "Wrong-Passw0rd")
    assert api_error(unknown) == api_error(wrong) == (400, "NotAuthorizedException", WRONG)
    assert unknown.content == wrong.content


def _page_without_echo(page: str, username: str) -> str:
    page = page.replace(username, "USERNAME")
    page = re.sub(r'name="_csrf" value="[^"]+"', "", page)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", page)


async def test_unknown_user_and_wrong_password_answer_identically_hosted_ui(world: World) -> None:
    await _user(world, "enum-ui-known")
    url = f"/login?{world.authorize_query()}"
    unknown = await world.submit(url, {"username": "enum-ui-nobody", "password": "Wrong-Passw0rd"})
    wrong = await world.submit(url, {"username": "enum-ui-known", "password": "Wrong-Passw0rd"})
    assert unknown.status_code == wrong.status_code == 400
    assert WRONG in unknown.text
    assert _page_without_echo(unknown.text, "enum-ui-nobody") == _page_without_echo(wrong.text, "enum-ui-known")


async def test_forgot_password_unknown_user_gets_simulated_delivery(world: World) -> None:
    known = await world.api("ForgotPassword", {"ClientId": world.spa.id, "Username": "alice"})
    unknown = await world.api("ForgotPassword", {"ClientId": world.spa.id, "Username": "nobody-at-all"})
    assert known.status_code == unknown.status_code == 200
    assert set(known.json()["CodeDeliveryDetails"]) == set(unknown.json()["CodeDeliveryDetails"])
    assert unknown.json()["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"


async def test_srp_unknown_user_gets_a_stable_simulated_challenge(world: World) -> None:
    body = {"AuthFlow": "USER_SRP_AUTH", "ClientId": world.spa.id,
            "AuthParameters": {"USERNAME": "srp-nobody", "SRP_A": "ab" * 64}}
    first, second = (await world.api("InitiateAuth", body)).json(), (await world.api("InitiateAuth", body)).json()
    known = (await world.api("InitiateAuth", {**body, "AuthParameters": {"USERNAME": "alice",
                                                                         "SRP_A": "ab" * 64}})).json()
    assert first["ChallengeName"] == known["ChallengeName"] == "PASSWORD_VERIFIER"
    assert set(first["ChallengeParameters"]) == set(known["ChallengeParameters"])
    assert first["ChallengeParameters"]["SALT"] == second["ChallengeParameters"]["SALT"]
    assert first["ChallengeParameters"]["USER_ID_FOR_SRP"] == second["ChallengeParameters"]["USER_ID_FOR_SRP"]


# --- SQL-injection-shaped input ---------------------------------------------------------------------------------

INJECTIONS = ["x'OR'1'='1", "admin'--", 'q";DROP/**/TABLE/**/users;--', "%", "_", "*", "\\",
              "1);DELETE/**/FROM/**/users"]


async def _list(world: World, filter_expr: str) -> httpx.Response:
    return await world.api("ListUsers", {"UserPoolId": world.pool.id, "Filter": filter_expr}, signed=True)


async def test_sql_injection_usernames_stored_literally(world: World) -> None:
    before = len((await world.api("ListUsers", {"UserPoolId": world.pool.id}, signed=True)).json()["Users"])
    for name in INJECTIONS:
        created = await world.api("AdminCreateUser", {
            "UserPoolId": world.pool.id, "Username": name, "TemporaryPassword": "Temp-Passw0rd!",
            "MessageAction": "SUPPRESS"}, signed=True)
        assert created.status_code == 200, (name, created.text)
        assert created.json()["User"]["Username"] == name
        got = await world.api("AdminGetUser", {"UserPoolId": world.pool.id, "Username": name}, signed=True)
        assert got.status_code == 200 and got.json()["Username"] == name
    after = (await world.api("ListUsers", {"UserPoolId": world.pool.id}, signed=True)).json()["Users"]
    assert len(after) == before + len(INJECTIONS)
    assert {u["Username"] for u in after} >= {"alice", *INJECTIONS}
    set_password = await world.api("AdminSetUserPassword", {"UserPoolId": world.pool.id, "Username": "admin'--",
                                                            "Password": PASSWORD, "Permanent": True}, signed=True)
    assert set_password.status_code == 200
    signed_in = await world.password_auth("admin'--", PASSWORD)
    assert signed_in.status_code == 200, signed_in.text
    claims = signed_in.json()["AuthenticationResult"]["AccessToken"].split(".")[1]
    assert '"username":"admin\'--"' in json.dumps(json.loads(_b64(claims)), separators=(",", ":"))
    assert api_error(await world.password_auth("alice'--", PASSWORD)) == (400, "NotAuthorizedException", WRONG)


def _b64(part: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


async def test_sql_injection_filters_matched_literally(world: World) -> None:
    for name in ("sqlf-%", "sqlf-_x", "sqlf-plain"):
        await _user(world, name, email=f"{name.replace('%', 'pct')}@example.com")

    def names(response: httpx.Response) -> set[str]:
        assert response.status_code == 200, response.text
        return {u["Username"] for u in response.json()["Users"]}

    assert names(await _list(world, 'username ^= "sqlf-%"')) == {"sqlf-%"}
    assert names(await _list(world, 'username ^= "sqlf-_"')) == {"sqlf-_x"}
    assert names(await _list(world, 'username = "sqlf-%"')) == {"sqlf-%"}
    assert names(await _list(world, "username = \"x' OR '1'='1\"")) == set()
    assert names(await _list(world, 'username ^= "\' OR 1=1 --"')) == set()
    assert names(await _list(world, 'email ^= "%"')) == set()
    assert names(await _list(world, 'email = "\\" OR \\"1\\"=\\"1"')) == set()
    for bad in ('username = "a" OR 1=1', 'username = "a"; DROP TABLE users; --', "1=1", 'sub ^= "" UNION SELECT *'):
        response = await _list(world, bad)
        assert api_error(response) == (400, "InvalidParameterException", "Error while parsing filter."), bad
    assert "alice" in names(await _list(world, 'username = "alice"'))


async def test_sql_injection_in_sign_in_username_is_a_plain_failure(world: World) -> None:
    for name in ("alice' --", "alice'/*", "' OR '1'='1", 'alice" OR "1"="1'):
        response = await world.submit(f"/login?{world.authorize_query()}", {"username": name, "password": "x"})
        assert response.status_code == 400 and "location" not in response.headers
        assert api_error(await world.password_auth(name, PASSWORD))[1:] == ("NotAuthorizedException", WRONG)


# --- unicode look-alikes (NFKC, cognate.domain.users.normalise_username; case-insensitive pool) ----------------


async def test_unicode_fullwidth_username_collides_with_existing_account(world: World) -> None:
    response = await world.api("SignUp", {"ClientId": world.spa.id, "Username": FULLWIDTH_ALICE, "Password": PASSWORD,
                                          "UserAttributes": [{"Name": "email", "Value": "fw@example.com"}]})
    assert api_error(response) == (400, "UsernameExistsException", "User already exists")


async def test_unicode_compatibility_forms_sign_in_to_the_same_account(world: World) -> None:
    for typed in (FULLWIDTH_ALICE, "ALICE", fullwidth("Alice")):
        response = await world.password_auth(typed, PASSWORD)
        assert response.status_code == 200, (typed, response.text)
        claims = json.loads(_b64(response.json()["AuthenticationResult"]["AccessToken"].split(".")[1]))
        assert (claims["sub"], claims["username"]) == (world.alice.sub, "alice")


async def test_unicode_ligature_and_kelvin_sign_normalised_on_create(world: World) -> None:
    for typed, stored in (("ﬁnn", "finn"), ("\u212aelvin", "Kelvin"), (fullwidth("mary") + "\u00b2", "mary2")):
        created = await world.api("AdminCreateUser", {"UserPoolId": world.pool.id, "Username": typed,
                                                      "MessageAction": "SUPPRESS"}, signed=True)
        assert created.status_code == 200, created.text
        assert created.json()["User"]["Username"] == stored
        again = await world.api("AdminCreateUser", {"UserPoolId": world.pool.id, "Username": stored,
                                                    "MessageAction": "SUPPRESS"}, signed=True)
        assert api_error(again) == (400, "UsernameExistsException", "User account already exists")


async def test_unicode_combining_sequence_collides_with_precomposed(world: World) -> None:
    await _user(world, "ren\u00e9e")
    response = await world.api("SignUp", {"ClientId": world.spa.id, "Username": "rene\u0301e", "Password": PASSWORD,
                                          "UserAttributes": [{"Name": "email", "Value": "renee@example.com"}]})
    assert api_error(response)[:2] == (400, "UsernameExistsException")
    assert (await world.password_auth("rene\u0301e", PASSWORD)).status_code == 200


async def test_unicode_cyrillic_lookalike_is_not_the_same_account(world: World) -> None:
    """NFKC keeps scripts apart: `\u0430lice` (Cyrillic a) is another name, so alice's password does not open it."""
    assert api_error(await world.password_auth("\u0430lice", PASSWORD)) == (400, "NotAuthorizedException", WRONG)
    response = await world.submit(f"/login?{world.authorize_query()}",
                                  {"username": "\u0430lice", "password": PASSWORD})
    assert response.status_code == 400 and "location" not in response.headers


async def test_unicode_invisible_and_control_characters_refused_in_usernames(world: World) -> None:
    for name in ("ali\u200bce", "alice\u0000", "ali\u202ece", "alice\n", "alice\u00a0"):
        response = await world.api("SignUp", {"ClientId": world.spa.id, "Username": name, "Password": PASSWORD,
                                              "UserAttributes": [{"Name": "email", "Value": "inv@example.com"}]})
        assert api_error(response)[:2] == (400, "InvalidParameterException"), repr(name)


# --- oversized bodies -----------------------------------------------------------------------------------------


async def test_oversized_json_api_body_refused(world: World) -> None:
    body = json.dumps({"ClientId": world.spa.id, "Username": "big", "Password": "x" * (MIB + 1)}).encode()
    response = await world.api("SignUp", body)
    assert api_error(response)[:2] == (413, "RequestEntityTooLargeException")

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the limit holds while streaming
        for _ in range(20):
            yield b" " * (64 * 1024)
        yield body

    streamed = await world.http.post("/", content=chunks(), headers={
        "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService.SignUp"})
    assert api_error(streamed)[:2] == (413, "RequestEntityTooLargeException")


async def test_oversized_token_request_refused(world: World) -> None:
    response = await world.http.post("/oauth2/token", data={"grant_type": "authorization_code", "code": "x" * 70_000,
                                                            "client_id": world.spa.id, "redirect_uri": "x"})
    assert response.status_code == 400 and response.json() == {"error": "invalid_request",
                                                                "error_description": "The request body is too large"}
    revoke = await world.http.post("/oauth2/revoke", data={"token": "x" * 70_000, "client_id": world.spa.id})
    assert revoke.status_code == 400 and revoke.json()["error"] == "invalid_request"


async def test_oversized_hosted_ui_form_refused(world: World) -> None:
    url = f"/login?{world.authorize_query()}"
    token = csrf_of((await world.http.get(url)).text)
    before = await world.fingerprint()
    response = await world.http.post(url, data={"_csrf": token, "username": "alice", "password": "x" * (2 * MIB)})
    assert response.status_code == 413 and "location" not in response.headers
    assert response.headers["x-frame-options"] == "DENY"
    assert await world.fingerprint() == before


async def test_oversized_username_refused(world: World) -> None:
    response = await world.api("SignUp", {"ClientId": world.spa.id, "Username": "u" * 129, "Password": PASSWORD,
                                          "UserAttributes": [{"Name": "email", "Value": "long@example.com"}]})
    assert api_error(response)[:2] == (400, "InvalidParameterException")
    auth = await world.password_auth("u" * 5000, PASSWORD)
    assert api_error(auth)[:2] == (400, "NotAuthorizedException")


async def test_oversized_password_refused_without_hashing_it(world: World) -> None:
    response = await world.api("SignUp", {"ClientId": world.spa.id, "Username": "longpass", "Password": "Aa1!" * 100,
                                          "UserAttributes": [{"Name": "email", "Value": "lp@example.com"}]})
    assert api_error(response)[:2] == (400, "InvalidParameterException")


# --- SigV4 on admin operations ----------------------------------------------------------------------------------


async def _raw(world: World, operation: str, body: bytes, headers: dict[str, Any]) -> httpx.Response:
    return await world.http.post("/", content=body, headers=headers)


async def test_admin_operation_unsigned_refused(world: World) -> None:
    response = await world.api("AdminDeleteUser", {"UserPoolId": world.pool.id, "Username": "alice"})
    assert api_error(response) == (403, "MissingAuthenticationTokenException", "Missing Authentication Token")
    assert (await world.api("AdminGetUser", {"UserPoolId": world.pool.id, "Username": "alice"},
                            signed=True)).status_code == 200


async def test_admin_operation_unknown_key_refused(world: World) -> None:
    body = json.dumps({"MaxResults": 10}).encode()
    at = datetime.fromtimestamp(world.clock.now(), UTC).replace(tzinfo=None)
    headers = signed_headers(BASE, "ListUserPools", body, key="AKIAUNKNOWN000000000", secret="x" * 40, at=at)
    assert api_error(await _raw(world, "ListUserPools", body, headers))[:2] == (400, "UnrecognizedClientException")


async def test_admin_operation_wrong_secret_refused(world: World) -> None:
    body = json.dumps({"MaxResults": 10}).encode()
    at = datetime.fromtimestamp(world.clock.now(), UTC).replace(tzinfo=None)
    headers = signed_headers(BASE, "ListUserPools", body, key=KEY_ID, secret="not-the-secret-" * 3, at=at)
    assert api_error(await _raw(world, "ListUserPools", body, headers))[:2] == (400, "InvalidSignatureException")


async def test_admin_signature_replayed_for_another_operation_refused(world: World) -> None:
    body = json.dumps({"UserPoolId": world.pool.id}).encode()
    headers = world.signed("DescribeUserPool", body)
    headers["X-Amz-Target"] = "AWSCognitoIdentityProviderService.DeleteUserPool"
    assert api_error(await _raw(world, "DeleteUserPool", body, headers))[:2] == (400, "InvalidSignatureException")


async def test_admin_signature_replayed_with_another_body_refused(world: World) -> None:
    body = json.dumps({"UserPoolId": world.pool.id, "Username": "nobody"}).encode()
    headers = world.signed("AdminDeleteUser", body)
    evil = json.dumps({"UserPoolId": world.pool.id, "Username": "alice"}).encode()
    assert api_error(await _raw(world, "AdminDeleteUser", evil, headers))[:2] == (400, "InvalidSignatureException")
    assert (await world.api("AdminGetUser", {"UserPoolId": world.pool.id, "Username": "alice"},
                            signed=True)).status_code == 200


async def test_admin_signature_outside_the_window_refused(world: World) -> None:
    body = json.dumps({"MaxResults": 10}).encode()
    for shift in (timedelta(minutes=-6), timedelta(minutes=6)):
        at = (datetime.fromtimestamp(world.clock.now(), UTC) + shift).replace(tzinfo=None)
        headers = signed_headers(BASE, "ListUserPools", body, at=at)
        status, kind, message = api_error(await _raw(world, "ListUserPools", body, headers))
        assert (status, kind) == (400, "InvalidSignatureException") and "Signature" in message

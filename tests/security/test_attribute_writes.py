"""Attacks through user attribute writes (issue 12, item 1): self-verified email takeover, sign-up that skips
confirmation through a password reset, developer-only attributes, app-client read/write permissions and the
NEW_PASSWORD_REQUIRED attributes (Cognito guide: "User pool attributes" → "Attribute permissions and scopes";
"Managing error responses" for ForgotPassword under PreventUserExistenceErrors)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from html import unescape
from typing import Any

import httpx
import pytest
import pytest_asyncio

from cognate.domain.clients import AppClient
from cognate.domain.errors import UserNotFoundException
from cognate.domain.pools import UserPool
from cognate.domain.users import User
from cognate.services import audit, clients, pools, users
from tests.security.conftest import API_FLOWS, ASYNC, CB, PASSWORD, World, csrf_of, parts_of

pytestmark = ASYNC

UNAUTHORIZED = ("NotAuthorizedException", "A client attempted to write unauthorized attribute")
NO_RESET = ("InvalidParameterException",
            "Cannot reset password for the user as there is no registered/verified email or phone_number")
NO_SUCH_USER = ("UserNotFoundException", "NotAuthorizedException")
SCHEMA = [{"Name": "tier", "AttributeDataType": "String", "Mutable": False},
          {"Name": "role", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
          {"Name": "plan", "AttributeDataType": "String"}]
SESSION_RE = re.compile(r'name="session" value="([^"]+)"')
SCOPES = ["openid", "email", "profile", "aws.cognito.signin.user.admin"]


@dataclass
class Lab:
    """An email-alias pool without auto-verification, its clients and the world they live in."""

    world: World
    pool: UserPool
    app: AppClient  # no Read/WriteAttributes: Cognito's defaults
    hidden: AppClient  # PreventUserExistenceErrors ENABLED
    narrow: AppClient  # WriteAttributes given_name, email; ReadAttributes email, given_name; OAuth code flow

    async def api(self, operation: str, body: dict[str, Any]) -> httpx.Response:
        return await self.world.api(operation, body)

    async def user(self, username: str, **attributes: str) -> User:
        created, _ = await users.create_user(self.world.deps, self.pool.id, username=username, attributes=attributes,
                                             password=PASSWORD, permanent=True)
        return created

    async def access(self, username: str, client: AppClient | None = None) -> str:
        response = await self.sign_in(username, client=client)
        assert response.status_code == 200, response.text
        return str(response.json()["AuthenticationResult"]["AccessToken"])

    async def sign_in(self, username: str, password: str = PASSWORD, client: AppClient | None = None
                      ) -> httpx.Response:
        return await self.api("InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": (client or self.app).id,
                                               "AuthParameters": {"USERNAME": username, "PASSWORD": password}})

    async def stored(self, username: str) -> User:
        return await users.get_user(self.world.deps, self.pool.id, username)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lab(shared_world: World) -> AsyncIterator[Lab]:
    deps = shared_world.deps
    pool = await pools.create_pool(deps, {"PoolName": "attrs-lab", "AliasAttributes": ["email"], "Schema": SCHEMA})
    base = {"ExplicitAuthFlows": API_FLOWS}
    app = await clients.create_client(deps, pool.id, {**base, "ClientName": "app"})
    hidden = await clients.create_client(deps, pool.id, {**base, "ClientName": "hidden",
                                                         "PreventUserExistenceErrors": "ENABLED"})
    narrow = await clients.create_client(deps, pool.id, {
        **base, "ClientName": "narrow", "WriteAttributes": ["given_name", "email"],
        "ReadAttributes": ["email", "given_name"], "CallbackURLs": [CB], "AllowedOAuthFlows": ["code"],
        "AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthScopes": SCOPES,
        "SupportedIdentityProviders": ["COGNITO"], "CognatePkceRequired": False})
    yield Lab(world=shared_world, pool=pool, app=app, hidden=hidden, narrow=narrow)


def refusal(response: httpx.Response) -> tuple[str, str]:
    assert response.status_code == 400, response.text
    body = response.json()
    return body["__type"], body["message"]


def attrs_of(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {a["Name"]: a["Value"] for a in response.json()["UserAttributes"]}


async def _events(lab: Lab, sub: str | None = None) -> list[tuple[str, str, dict[str, str]]]:
    found = await audit.list_events(lab.world.deps, pool_id=lab.pool.id, sub=sub, limit=500)
    return [(e.event, e.outcome, dict(e.detail)) for e in found]


# --- email_verified: self-verifying someone else's address -----------------------------------------------------


async def test_update_user_attributes_cannot_self_verify_someone_elses_email(lab: Lab) -> None:
    """The takeover: email=<victim's address> plus email_verified=true made it a verified sign-in alias."""
    await lab.user("mallory", email="mallory@example.com", email_verified="true")
    token = await lab.access("mallory")
    attack = await lab.api("UpdateUserAttributes", {"AccessToken": token, "UserAttributes": [
        {"Name": "email", "Value": "victim@example.com"}, {"Name": "email_verified", "Value": "true"}]})
    assert refusal(attack) == UNAUTHORIZED
    assert (await lab.stored("mallory")).attributes["email"] == "mallory@example.com", "nothing written"
    assert refusal(await lab.sign_in("victim@example.com"))[0] in NO_SUCH_USER, "not a sign-in alias"
    flag_only = await lab.api("UpdateUserAttributes", {"AccessToken": token, "UserAttributes": [
        {"Name": "phone_number_verified", "Value": "true"}]})
    assert refusal(flag_only) == UNAUTHORIZED


async def test_changed_email_is_unverified_and_no_alias_until_its_code(lab: Lab) -> None:
    await lab.user("mallory2", email="mallory2@example.com", email_verified="true")
    token = await lab.access("mallory2")
    changed = await lab.api("UpdateUserAttributes", {"AccessToken": token, "UserAttributes": [
        {"Name": "email", "Value": "victim2@example.com"}]})
    assert changed.status_code == 200, changed.text
    me = attrs_of(await lab.api("GetUser", {"AccessToken": token}))
    assert me["email"] == "victim2@example.com" and me["email_verified"] == "false"
    assert refusal(await lab.sign_in("victim2@example.com"))[0] in NO_SUCH_USER, "not a sign-in alias"
    id_token = (await lab.sign_in("mallory2")).json()["AuthenticationResult"]["IdToken"]
    assert parts_of(id_token)[1]["email_verified"] is False


# --- SignUp with email_verified, then ForgotPassword to skip confirmation ---------------------------------------


async def test_sign_up_cannot_send_email_verified(lab: Lab) -> None:
    response = await lab.api("SignUp", {"ClientId": lab.app.id, "Username": "eve", "Password": PASSWORD,
                                        "UserAttributes": [{"Name": "email", "Value": "eve@example.com"},
                                                           {"Name": "email_verified", "Value": "true"}]})
    assert refusal(response) == UNAUTHORIZED
    assert refusal(await lab.api("ForgotPassword", {"ClientId": lab.app.id, "Username": "eve"}))[0] == \
        "UserNotFoundException", "no user was created"


async def test_unconfirmed_user_cannot_reset_into_confirmed(lab: Lab) -> None:
    """Without a verified address ForgotPassword is refused (LEGACY) or simulated (ENABLED): no code, no CONFIRMED."""
    signed_up = await lab.api("SignUp", {"ClientId": lab.app.id, "Username": "eve2", "Password": PASSWORD,
                                         "UserAttributes": [{"Name": "email", "Value": "eve2@example.com"}]})
    assert signed_up.status_code == 200 and signed_up.json()["UserConfirmed"] is False
    sent = len(lab.world.mail.sent)
    assert refusal(await lab.api("ForgotPassword", {"ClientId": lab.app.id, "Username": "eve2"})) == NO_RESET
    simulated = await lab.api("ForgotPassword", {"ClientId": lab.hidden.id, "Username": "eve2"})
    assert simulated.status_code == 200 and simulated.json()["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert len(lab.world.mail.sent) == sent, "no code went out"
    confirm = await lab.api("ConfirmForgotPassword", {"ClientId": lab.app.id, "Username": "eve2",
                                                      "ConfirmationCode": "123456", "Password": "Other-Passw0rd!"})
    assert confirm.status_code == 400
    assert (await lab.stored("eve2")).status == "UNCONFIRMED"


async def test_hosted_ui_forgot_password_sends_no_code_to_an_unverified_address(world: World) -> None:
    """The hosted UI's page is the same use case: for the ENABLED `web` client the unverified user looks like any
    other (the next page), and no code goes out."""
    await users.create_user(world.deps, world.pool.id, username="unverified-ui",
                            attributes={"email": "unverified-ui@example.com"}, password=PASSWORD, permanent=True)
    sent = len(world.mail.sent)
    response = await world.submit(f"/forgotPassword?{world.authorize_query()}", {"username": "unverified-ui"})
    assert response.status_code == 303 and "/confirmForgotPassword?" in response.headers["location"]
    assert len(world.mail.sent) == sent


# --- developer-only attributes ----------------------------------------------------------------------------------


async def test_developer_only_attribute_refused_at_sign_up(lab: Lab) -> None:
    response = await lab.api("SignUp", {"ClientId": lab.app.id, "Username": "dev1", "Password": PASSWORD,
                                        "UserAttributes": [{"Name": "custom:role", "Value": "admin"}]})
    assert refusal(response) == UNAUTHORIZED


async def test_developer_only_attribute_refused_on_update_and_delete(lab: Lab) -> None:
    await lab.user("dev2", **{"custom:role": "reader"})
    token = await lab.access("dev2")
    update = await lab.api("UpdateUserAttributes", {"AccessToken": token, "UserAttributes": [
        {"Name": "custom:role", "Value": "admin"}]})
    assert refusal(update) == UNAUTHORIZED
    delete = await lab.api("DeleteUserAttributes", {"AccessToken": token, "UserAttributeNames": ["custom:role"]})
    assert refusal(delete) == UNAUTHORIZED
    assert (await lab.stored("dev2")).attributes["custom:role"] == "reader"
    admin = await lab.world.api("AdminUpdateUserAttributes", {"UserPoolId": lab.pool.id, "Username": "dev2",
                                                              "UserAttributes": [{"Name": "custom:role",
                                                                                  "Value": "editor"}]}, signed=True)
    assert admin.status_code == 200, "admin operations keep their power"
    assert (await lab.stored("dev2")).attributes["custom:role"] == "editor"


# --- immutable attributes ---------------------------------------------------------------------------------------


async def test_immutable_attribute_set_at_sign_up_only(lab: Lab) -> None:
    signed_up = await lab.api("SignUp", {"ClientId": lab.app.id, "Username": "imm1", "Password": PASSWORD,
                                         "UserAttributes": [{"Name": "custom:tier", "Value": "free"}]})
    assert signed_up.status_code == 200, signed_up.text
    await users.confirm_user(lab.world.deps, lab.pool.id, "imm1")
    token = await lab.access("imm1")
    update = await lab.api("UpdateUserAttributes", {"AccessToken": token, "UserAttributes": [
        {"Name": "custom:tier", "Value": "gold"}]})
    assert refusal(update) == ("InvalidParameterException",
                               "user.custom:tier: Attribute cannot be updated. (changing an immutable attribute)")
    delete = await lab.api("DeleteUserAttributes", {"AccessToken": token, "UserAttributeNames": ["custom:tier"]})
    assert refusal(delete)[0] == "InvalidParameterException"
    assert (await lab.stored("imm1")).attributes["custom:tier"] == "free"


# --- the app client's WriteAttributes and ReadAttributes --------------------------------------------------------


async def test_client_write_attributes_enforced(lab: Lab) -> None:
    sign_up = await lab.api("SignUp", {"ClientId": lab.narrow.id, "Username": "nw1", "Password": PASSWORD,
                                       "UserAttributes": [{"Name": "family_name", "Value": "X"}]})
    assert refusal(sign_up) == UNAUTHORIZED
    await lab.user("nw2", given_name="Nia", family_name="Wu", **{"custom:plan": "basic"})
    token = await lab.access("nw2", lab.narrow)
    for name in ("family_name", "custom:plan"):
        update = await lab.api("UpdateUserAttributes", {"AccessToken": token, "UserAttributes": [
            {"Name": name, "Value": "changed"}]})
        assert refusal(update) == UNAUTHORIZED, name
    delete = await lab.api("DeleteUserAttributes", {"AccessToken": token, "UserAttributeNames": ["family_name"]})
    assert refusal(delete) == UNAUTHORIZED
    allowed = await lab.api("UpdateUserAttributes", {"AccessToken": token, "UserAttributes": [
        {"Name": "given_name", "Value": "Nina"}]})
    assert allowed.status_code == 200, allowed.text
    stored = (await lab.stored("nw2")).attributes
    assert (stored["given_name"], stored["family_name"], stored["custom:plan"]) == ("Nina", "Wu", "basic")


async def test_get_user_shows_only_the_clients_read_attributes(lab: Lab) -> None:
    user = await lab.user("nr1", email="nr1@example.com", email_verified="true", given_name="Nora",
                          family_name="Reed", **{"custom:plan": "pro", "custom:role": "staff"})
    narrow = attrs_of(await lab.api("GetUser", {"AccessToken": await lab.access("nr1", lab.narrow)}))
    assert narrow == {"sub": user.sub, "email": "nr1@example.com", "given_name": "Nora"}
    default = attrs_of(await lab.api("GetUser", {"AccessToken": await lab.access("nr1")}))
    assert default["custom:plan"] == "pro" and default["email_verified"] == "true"
    assert "custom:role" not in default, "developer-only attributes are not shown to app clients"


async def test_userinfo_and_id_token_show_only_the_clients_read_attributes(lab: Lab) -> None:
    await lab.user("nr2", email="nr2@example.com", email_verified="true", given_name="Nell", family_name="Ray")
    world = lab.world
    user = await lab.stored("nr2")
    await world.sign_in(user)
    code = await world.code(lab.narrow, scope="openid email profile")
    response = await world.token(lab.narrow, grant_type="authorization_code", code=code, redirect_uri=CB)
    assert response.status_code == 200, response.text
    info = await world.userinfo(response.json()["access_token"])
    assert info.status_code == 200, info.text
    assert set(info.json()) == {"sub", "email", "given_name", "username"}
    claims = parts_of(response.json()["id_token"])[1]
    assert "family_name" not in claims and "email_verified" not in claims and claims["given_name"] == "Nell"


# --- NEW_PASSWORD_REQUIRED answer -------------------------------------------------------------------------------


async def _new_password_session(lab: Lab, username: str) -> str:
    await users.create_user(lab.world.deps, lab.pool.id, username=username,
                            attributes={"email": f"{username}@example.com"}, password="Temp-Passw0rd!")
    started = await lab.sign_in(username, "Temp-Passw0rd!")
    assert started.json()["ChallengeName"] == "NEW_PASSWORD_REQUIRED", started.text
    return str(started.json()["Session"])


async def test_new_password_challenge_cannot_write_verified_flag_or_developer_only(lab: Lab) -> None:
    for name, value in (("email_verified", "true"), ("custom:role", "admin")):
        username = f"np-{name.replace(':', '-').replace('_', '-')}"
        session = await _new_password_session(lab, username)
        answer = await lab.api("RespondToAuthChallenge", {
            "ClientId": lab.app.id, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": session,
            "ChallengeResponses": {"USERNAME": username, "NEW_PASSWORD": "Brand-Passw0rd!",
                                   f"userAttributes.{name}": value}})
        assert refusal(answer) == UNAUTHORIZED, name
        stored = await lab.stored(username)
        assert stored.status == "FORCE_CHANGE_PASSWORD" and name not in stored.attributes


async def test_new_password_challenge_honours_client_write_attributes(lab: Lab) -> None:
    await users.create_user(lab.world.deps, lab.pool.id, username="np-narrow", attributes={},
                            password="Temp-Passw0rd!")
    started = await lab.sign_in("np-narrow", "Temp-Passw0rd!", client=lab.narrow)
    answer = await lab.api("RespondToAuthChallenge", {
        "ClientId": lab.narrow.id, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": started.json()["Session"],
        "ChallengeResponses": {"USERNAME": "np-narrow", "NEW_PASSWORD": "Brand-Passw0rd!",
                               "userAttributes.family_name": "Nope"}})
    assert refusal(answer) == UNAUTHORIZED
    stored = await lab.stored("np-narrow")
    assert stored.status == "FORCE_CHANGE_PASSWORD" and "family_name" not in stored.attributes


# --- the hosted UI's sign-up and new-password forms -------------------------------------------------------------


async def _ui_pool(world: World) -> tuple[UserPool, AppClient]:
    """A (misconfigured) pool whose required `nickname` is developer-only, so the hosted UI's forms carry a field
    that no app client may write. Requests can no longer make one (issue 13: Cognito refuses a developer-only
    standard attribute), so it is written to the store as a pool stored before that check would be."""
    created = await pools.create_pool(world.deps, {
        "PoolName": "ui-dev-only", "Schema": [{"Name": "nickname", "AttributeDataType": "String", "Required": True}]})
    schema = tuple(replace(a, developer_only=True) if a.name == "nickname" else a for a in created.schema)
    pool = replace(created, schema=schema)
    async with world.deps.store.transaction() as tx:
        await tx.pools.update(pool)
    client = await clients.create_client(world.deps, pool.id, {
        "ClientName": "ui", "CallbackURLs": [CB], "AllowedOAuthFlows": ["code"],
        "AllowedOAuthFlowsUserPoolClient": True, "AllowedOAuthScopes": ["openid"],
        "SupportedIdentityProviders": ["COGNITO"], "CognatePkceRequired": False,
        "ExplicitAuthFlows": API_FLOWS})
    return pool, client


async def test_hosted_ui_sign_up_cannot_write_developer_only(world: World) -> None:
    pool, client = await _ui_pool(world)
    query = world.authorize_query(client, scope="openid")
    response = await world.submit(f"/signup?{query}", {"username": "uiflag", "password": PASSWORD,
                                                       "nickname": "boss"})
    assert response.status_code == 400, response.status_code
    assert "This app may not set one of these details." in response.text
    with pytest.raises(UserNotFoundException):
        await users.get_user(world.deps, pool.id, "uiflag")


async def test_hosted_ui_new_password_cannot_write_developer_only(world: World) -> None:
    pool, client = await _ui_pool(world)
    await users.create_user(world.deps, pool.id, username="uitemp", attributes={}, password="Temp-Passw0rd!")
    query = world.authorize_query(client, scope="openid")
    step = await world.submit(f"/login?{query}", {"username": "uitemp", "password": "Temp-Passw0rd!"})
    assert step.status_code == 200 and 'name="nickname"' in step.text, step.text
    session = SESSION_RE.search(step.text)
    assert session is not None
    done = await world.http.post(f"/newPassword?{query}", data={
        "_csrf": csrf_of(step.text), "session": unescape(session.group(1)), "new_password": "Brand-Passw0rd!",
        "confirm_password": "Brand-Passw0rd!",
        "nickname": "boss"})
    assert done.status_code == 400 and "This app may not set one of these details." in done.text
    stored = await users.get_user(world.deps, pool.id, "uitemp")
    assert stored.status == "FORCE_CHANGE_PASSWORD" and "nickname" not in stored.attributes


# --- audit: names, never values ---------------------------------------------------------------------------------


async def test_attribute_changes_are_audited_by_name_only(lab: Lab) -> None:
    user = await lab.user("aud1", email="aud1@example.com", email_verified="true", given_name="Ann")
    token = await lab.access("aud1")
    await lab.api("UpdateUserAttributes", {"AccessToken": token, "UserAttributes": [
        {"Name": "given_name", "Value": "Secret-Value-1"}]})
    await lab.api("UpdateUserAttributes", {"AccessToken": token, "UserAttributes": [
        {"Name": "email_verified", "Value": "true"}]})
    await lab.api("DeleteUserAttributes", {"AccessToken": token, "UserAttributeNames": ["given_name"]})
    await lab.api("VerifyUserAttribute", {"AccessToken": token, "AttributeName": "email", "Code": "000000"})
    events = await _events(lab, user.sub)
    kinds = {(event, outcome) for event, outcome, _ in events}
    assert {("attributes_update", "success"), ("attributes_update", "NotAuthorizedException"),
            ("attributes_delete", "success")} <= kinds, kinds
    assert any(event == "attribute_verify" and outcome != "success" for event, outcome, _ in events), kinds
    details = [d for _, _, d in events]
    assert any(d.get("attributes") == "given_name" for d in details), details
    assert any(d.get("attributes") == "email_verified" for d in details), details
    assert not any("Secret-Value-1" in value for d in details for value in d.values())

"""One whole life of an account through every door, with every log record (all loggers, DEBUG, SQL statements and
their parameters included) and the audit table captured: the events are there, and no secret is anywhere."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import text

from cognate.store.sql.engine import SqlStore
from tests.security.conftest import ASYNC, CB, World, query_of

pytestmark = ASYNC

PASSWORDS = ("First-Passw0rd!x", "Second-Passw0rd!y", "Third-Passw0rd!z")
EXPECTED_EVENTS = {"sign_up", "confirm_sign_up", "sign_in", "token_issue", "token_refresh", "token_revoke",
                   "password_change", "forgot_password", "password_reset", "global_sign_out"}


async def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    return dict(response.json()) if response.content else {}


async def _life(world: World, secrets: list[str]) -> None:
    """Sign-up, confirmation, password sign-in, refresh, hosted-UI sign-in + code + token + refresh + revoke,
    password change, forgotten password, API revoke and global sign-out."""
    spa, web = world.spa, world.web
    assert web.secret is not None
    secrets.append(web.secret)
    first, second, third = PASSWORDS
    await _ok(await world.api("SignUp", {"ClientId": spa.id, "Username": "auditee", "Password": first,
                                         "UserAttributes": [{"Name": "email", "Value": "auditee@example.com"}]}))
    code = world.mail.last_code("auditee@example.com")
    await _ok(await world.api("ConfirmSignUp", {"ClientId": spa.id, "Username": "auditee", "ConfirmationCode": code}))
    signed_in = (await _ok(await world.password_auth("auditee", first)))["AuthenticationResult"]
    refreshed = (await _ok(await world.api("InitiateAuth", {
        "AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": spa.id,
        "AuthParameters": {"REFRESH_TOKEN": signed_in["RefreshToken"]}})))["AuthenticationResult"]
    secrets += [code, *signed_in.values(), *refreshed.values()]

    login = await world.submit(f"/login?{world.authorize_query()}", {"username": "auditee", "password": first})
    assert login.status_code == 303, login.text
    auth_code = query_of(login.headers["location"])["code"]
    session = world.http.cookies["cognate_session"]
    oauth = await _ok(await world.token(grant_type="authorization_code", code=auth_code, redirect_uri=CB))
    again = await _ok(await world.token(grant_type="refresh_token", refresh_token=oauth["refresh_token"]))
    await _ok(await world.http.post("/oauth2/revoke", data={"token": oauth["refresh_token"]},
                                    auth=(web.id, web.secret)))
    secrets += [auth_code, session, *oauth.values(), *again.values()]

    await _ok(await world.api("ChangePassword", {"AccessToken": signed_in["AccessToken"], "PreviousPassword": first,
                                                 "ProposedPassword": second}))
    await _ok(await world.api("ForgotPassword", {"ClientId": spa.id, "Username": "auditee"}))
    reset_code = world.mail.last_code("auditee@example.com")
    await _ok(await world.api("ConfirmForgotPassword", {"ClientId": spa.id, "Username": "auditee",
                                                        "ConfirmationCode": reset_code, "Password": third}))
    final = (await _ok(await world.password_auth("auditee", third)))["AuthenticationResult"]
    await _ok(await world.api("RevokeToken", {"Token": final["RefreshToken"], "ClientId": spa.id}))
    final2 = (await _ok(await world.password_auth("auditee", third)))["AuthenticationResult"]
    await _ok(await world.api("GlobalSignOut", {"AccessToken": final2["AccessToken"]}))
    secrets += [reset_code, *final.values(), *final2.values()]


async def _audit_rows(world: World) -> list[str]:
    assert isinstance(world.deps.store, SqlStore)
    await world.deps.store.flush_audit()
    async with world.deps.store.engine.connect() as conn:
        rows = (await conn.execute(text("SELECT * FROM audit_events"))).all()
    return [repr(tuple(row)) for row in rows]


async def test_no_secret_in_logs_or_audit_table_through_a_whole_flow(world: World,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    secrets: list[str] = list(PASSWORDS)
    caplog.set_level(logging.DEBUG)
    for name in ("cognate", "cognate.audit", "cognate.access", "sqlalchemy.engine", "uvicorn", "uvicorn.access"):
        caplog.set_level(logging.DEBUG, logger=name)
    await _life(world, secrets)

    rows = await _audit_rows(world)
    logged = [f"{r.name} {r.levelname} {r.getMessage()} {getattr(r, 'fields', '')} {r.exc_text or ''}"
              for r in caplog.records]
    assert logged, "nothing was logged: the capture is not working"
    haystacks = {"logs": "\n".join(logged), "audit table": "\n".join(rows)}
    secrets = [s for s in secrets if isinstance(s, str) and len(s) >= 6]
    for where, haystack in haystacks.items():
        for secret in secrets:
            assert secret not in haystack, f"a secret ({secret[:4]}...) appears in the {where}"
        for token in secrets:  # a JWT's payload or signature alone is as bad as the whole (the header is public)
            for part in token.split(".")[1:] if token.count(".") == 2 else []:
                assert part not in haystack, f"part of a token appears in the {where}"

    audit_text = haystacks["audit table"]
    missing = {e for e in EXPECTED_EVENTS if f"'{e}'" not in audit_text}
    assert not missing, f"no audit event for {sorted(missing)}"

"""TOTP MFA rules of `services.mfa` with a frozen clock (spec §6 T2 TOTP MFA): enrolment, one use per 30 s step,
the ±1 step window, wrong codes counting towards the lockout, which challenge a sign-in meets."""

from __future__ import annotations

from dataclasses import replace

import pyotp
import pytest

from cognate.domain.clients import AppClient
from cognate.domain.clock import FrozenClock
from cognate.domain.errors import (
    CodeMismatchException,
    EnableSoftwareTokenMFAException,
    InvalidParameterException,
    NotAuthorizedException,
)
from cognate.domain.mfa import MAX_CODE_ATTEMPTS, PoolMfa, UserMfa, apply_pool_mfa_config, sign_in_challenge
from cognate.domain.pools import UserPool
from cognate.domain.users import User
from cognate.services import api_auth, audit, clients, mfa, pools, users
from cognate.services.authenticate import SignedIn, password_sign_in
from cognate.services.deps import Deps
from cognate.services.tokens.minting import TokenSet

PASSWORD = "Corr3ct-horse!"


async def _setup(deps: Deps, mfa_configuration: str = "OPTIONAL") -> tuple[UserPool, AppClient, User]:
    pool = await pools.create_pool(deps, {"PoolName": "p", "MfaConfiguration": mfa_configuration})
    client = await clients.create_client(deps, pool.id, {"ClientName": "c"})
    user, _ = await users.create_user(deps, pool.id, username="bob", attributes={}, password=PASSWORD,
                                      permanent=True)
    return pool, client, user


async def _enrolled(deps: Deps, clock: FrozenClock) -> tuple[UserPool, AppClient, User, pyotp.TOTP]:
    pool, client, user = await _setup(deps)
    secret, _ = await mfa.associate(deps, access_token=None, session=_setup_session(deps, pool, client, user))
    totp = pyotp.TOTP(secret)
    await mfa.verify(deps, access_token=None, session=_setup_session(deps, pool, client, user),
                     code=totp.at(int(clock.now())))
    return pool, client, await users.get_user(deps, pool.id, "bob"), totp


def _setup_session(deps: Deps, pool: UserPool, client: AppClient, user: User) -> str:
    """An MFA_SETUP Session as sign-in would issue it (the pool requires MFA for this to happen)."""
    challenge = mfa.challenge_after_password(deps, replace(pool, mfa_configuration="ON"), client, user)
    assert challenge is not None and challenge.session is not None and challenge.name == "MFA_SETUP"
    return challenge.session


def _code_session(deps: Deps, pool: UserPool, client: AppClient, user: User) -> str:
    """A SOFTWARE_TOKEN_MFA Session as a right password issues it (each check below gets its own unless it tests
    the Session: a Session that signed in is spent)."""
    challenge = mfa.challenge_after_password(deps, pool, client, user)
    assert challenge is not None and challenge.session is not None and challenge.name == "SOFTWARE_TOKEN_MFA"
    return challenge.session


def test_which_challenge() -> None:
    on = UserMfa(secret="sealed", enabled=True)
    assert sign_in_challenge("OFF", PoolMfa(), on) is None
    assert sign_in_challenge("OPTIONAL", PoolMfa(), on) == "SOFTWARE_TOKEN_MFA"
    assert sign_in_challenge("OPTIONAL", PoolMfa(), UserMfa()) is None
    assert sign_in_challenge("ON", PoolMfa(), UserMfa()) == "MFA_SETUP"
    assert sign_in_challenge("ON", PoolMfa(software_token=False), on) is None


def test_pool_config_rules() -> None:
    with pytest.raises(InvalidParameterException):
        apply_pool_mfa_config(PoolMfa(), {"MfaConfiguration": "ON",
                                          "SoftwareTokenMfaConfiguration": {"Enabled": False}})
    with pytest.raises(InvalidParameterException):
        apply_pool_mfa_config(PoolMfa(), {"MfaConfiguration": "OFF",
                                          "SoftwareTokenMfaConfiguration": {"Enabled": True}})
    sms = {"SmsAuthenticationMessage": "{####}"}
    configuration, settings = apply_pool_mfa_config(PoolMfa(), {"MfaConfiguration": "OPTIONAL",
                                                                "SmsMfaConfiguration": sms})
    assert configuration == "OPTIONAL" and settings.sms == sms and settings.software_token


async def test_enrolment_and_one_use_per_step(deps: Deps, clock: FrozenClock) -> None:
    pool, client, user, totp = await _enrolled(deps, clock)
    assert user.mfa.settings_list() == ["SOFTWARE_TOKEN_MFA"] and user.mfa.pending_secret is None
    assert user.mfa.secret and "base32" not in user.mfa.secret  # sealed, not the secret itself
    challenge = mfa.challenge_after_password(deps, pool, client, user)
    assert challenge is not None and challenge.name == "SOFTWARE_TOKEN_MFA"

    async def check(code: str) -> None:
        await mfa.check_sign_in_code(deps, pool=pool, client=client, user=user, code=code,
                                     session=_code_session(deps, pool, client, user))

    with pytest.raises(CodeMismatchException):  # the step used to verify is spent
        await check(totp.at(int(clock.now())))
    clock.advance(30)
    code = totp.at(int(clock.now()))
    await check(code)
    user = await users.get_user(deps, pool.id, "bob")
    with pytest.raises(CodeMismatchException):
        await check(code)
    clock.advance(30)  # the previous step's code is still inside the window, but already used
    with pytest.raises(CodeMismatchException):
        await check(code)
    await check(totp.at(int(clock.now()) + 30))


async def test_wrong_codes_lock_the_user(deps: Deps, clock: FrozenClock) -> None:
    pool, client, user, totp = await _enrolled(deps, clock)
    session = _code_session(deps, pool, client, user)
    for _ in range(5):
        with pytest.raises(CodeMismatchException):
            await mfa.check_sign_in_code(deps, pool=pool, client=client, user=user, session=session, code="000000"
                                         if totp.at(int(clock.now())) != "000000" else "111111")
    with pytest.raises(NotAuthorizedException, match="Password attempts exceeded"):
        await mfa.check_sign_in_code(deps, pool=pool, client=client, user=user, session=session, code="123456")


async def test_verify_refuses_a_wrong_code_and_preference_needs_totp(deps: Deps, clock: FrozenClock) -> None:
    pool, client, user = await _setup(deps)
    session = _setup_session(deps, pool, client, user)
    with pytest.raises(InvalidParameterException):
        await mfa.verify(deps, access_token=None, session=session, code="123456")
    secret, _ = await mfa.associate(deps, access_token=None, session=session)
    wrong = "123456" if pyotp.TOTP(secret).at(int(clock.now())) != "123456" else "654321"
    with pytest.raises(EnableSoftwareTokenMFAException):
        await mfa.verify(deps, access_token=None, session=session, code=wrong)
    with pytest.raises(InvalidParameterException, match="not verified"):
        await mfa.admin_set_preference(deps, pool.id, "bob", {"SoftwareTokenMfaSettings": {"Enabled": True}})


async def test_sessions_expire(deps: Deps, clock: FrozenClock) -> None:
    pool, client, user = await _setup(deps)
    session = _setup_session(deps, pool, client, user)
    clock.advance(client.auth_session_validity * 60 + 1)
    with pytest.raises(NotAuthorizedException):
        await mfa.associate(deps, access_token=None, session=session)


async def _events(deps: Deps, pool: UserPool) -> list[tuple[str, str, dict[str, str]]]:
    """(event, outcome, detail) of the pool's audit trail, oldest first."""
    return [(e.event, e.outcome, e.detail) for e in reversed(await audit.list_events(deps, pool_id=pool.id))]


async def test_right_password_with_mfa_due_is_not_audited_as_a_sign_in(deps: Deps, clock: FrozenClock) -> None:
    pool, client, _, totp = await _enrolled(deps, clock)
    outcome = await password_sign_in(deps, pool=pool, client=client, username="bob", password=PASSWORD)
    assert isinstance(outcome, SignedIn)
    trail = [(event, outcome_, detail.get("challenge")) for event, outcome_, detail in await _events(deps, pool)
             if event == "sign_in"]
    assert trail == [("sign_in", "mfa_required", "SOFTWARE_TOKEN_MFA")]
    clock.advance(30)
    await mfa.finish_code_sign_in(deps, pool=pool, client=client, user=outcome.user, code=totp.at(int(clock.now())),
                                  session=_code_session(deps, pool, client, outcome.user))
    assert [o for e, o, _ in await _events(deps, pool) if e == "sign_in"] == ["mfa_required", "success"]


async def test_mfa_enrolment_and_preference_changes_are_audited(deps: Deps, clock: FrozenClock) -> None:
    pool, client, _ = await _setup(deps)
    tokens = await api_auth.password_auth(deps, pool=pool, client=client, username="bob", password=PASSWORD,
                                          secret_hash=None)
    assert isinstance(tokens, TokenSet)
    secret, _ = await mfa.associate(deps, access_token=tokens.access_token, session=None)
    totp = pyotp.TOTP(secret)
    with pytest.raises(EnableSoftwareTokenMFAException):
        await mfa.verify(deps, access_token=tokens.access_token, session=None,
                         code="000000" if totp.at(int(clock.now())) != "000000" else "111111")
    await mfa.verify(deps, access_token=tokens.access_token, session=None, code=totp.at(int(clock.now())))
    await mfa.set_preference(deps, tokens.access_token,
                             {"SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    await mfa.admin_set_preference(deps, pool.id, "bob",
                                   {"SoftwareTokenMfaSettings": {"Enabled": False, "PreferredMfa": False}})
    trail = [(e, o, d.get("software_token") or d.get("action")) for e, o, d in await _events(deps, pool)
             if e != "sign_in" and e != "token_issue"]
    assert trail[-5:] == [("mfa_associate", "success", None), ("mfa_enrol", "failure", None),
                          ("mfa_enrol", "success", None), ("mfa_preference", "success", "preferred"),
                          ("admin_change", "success", "AdminSetUserMFAPreference")]
    assert not any(secret in str(d) for _, _, d in await _events(deps, pool))


async def test_a_session_that_used_its_codes_is_dead(deps: Deps, clock: FrozenClock) -> None:
    pool, client, user, totp = await _enrolled(deps, clock)
    session = _code_session(deps, pool, client, user)
    clock.advance(30)
    wrong = "000000" if totp.at(int(clock.now())) != "000000" else "111111"
    for _ in range(MAX_CODE_ATTEMPTS):
        with pytest.raises(CodeMismatchException):
            await mfa.check_sign_in_code(deps, pool=pool, client=client, user=user, session=session, code=wrong)
    clock.advance(2)  # past the lock the 5th wrong code started
    with pytest.raises(NotAuthorizedException, match=r"^Invalid session for the user\.$"):
        await mfa.check_sign_in_code(deps, pool=pool, client=client, user=user, session=session,
                                     code=totp.at(int(clock.now())))
    await mfa.check_sign_in_code(deps, pool=pool, client=client, user=user, code=totp.at(int(clock.now())),
                                 session=_code_session(deps, pool, client, user))  # a new Session: a new budget


async def test_mfa_setup_refused_where_the_pool_has_mfa_off(deps: Deps, clock: FrozenClock) -> None:
    pool, client, user = await _setup(deps, "OFF")
    session = _setup_session(deps, pool, client, user)  # forged or issued before MFA was turned off
    with pytest.raises(NotAuthorizedException, match=r"^Invalid session for the user\.$"):
        await mfa.associate(deps, access_token=None, session=session)
    with pytest.raises(NotAuthorizedException, match=r"^Invalid session for the user\.$"):
        await mfa.verify(deps, access_token=None, session=session, code="123456")
    with pytest.raises(NotAuthorizedException, match=r"^Invalid session for the user\.$"):
        await mfa.finish_setup_sign_in(deps, pool=pool, client=client, user=user)

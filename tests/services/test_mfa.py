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
from cognate.domain.mfa import PoolMfa, UserMfa, apply_pool_mfa_config, sign_in_challenge
from cognate.domain.pools import UserPool
from cognate.domain.users import User
from cognate.services import clients, mfa, pools, users
from cognate.services.deps import Deps

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
        await mfa.admin_set_preference(deps, pool.id, "bob", {"Enabled": True})


async def test_sessions_expire(deps: Deps, clock: FrozenClock) -> None:
    pool, client, user = await _setup(deps)
    session = _setup_session(deps, pool, client, user)
    clock.advance(client.auth_session_validity * 60 + 1)
    with pytest.raises(NotAuthorizedException):
        await mfa.associate(deps, access_token=None, session=session)

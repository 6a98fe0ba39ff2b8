"""TOTP MFA use cases (spec §6 T2 TOTP MFA; RespondToAuthChallenge SOFTWARE_TOKEN_MFA and MFA_SETUP).

AssociateSoftwareToken keeps a pending secret sealed with the master key (like SRP verifiers); VerifySoftwareToken
turns it on. Sign-in asks for a code through a sealed challenge Session; every code is counted before it is
compared, towards the lockout and the Session's own limit (`services.lockout`), and a code is accepted once: its
30 s step is remembered under the user's row lock. A Session that signed in is spent.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from cognate.crypto import totp
from cognate.domain.clients import AppClient
from cognate.domain.errors import (
    CodeMismatchException,
    EnableSoftwareTokenMFAException,
    InvalidParameterException,
    NotAuthorizedException,
)
from cognate.domain.mfa import (
    MFA_SETUP,
    SOFTWARE_TOKEN_MFA,
    UserMfa,
    apply_pool_mfa_config,
    refuse_unsupported_methods,
    setup_allowed,
    sign_in_challenge,
    verified,
    with_preference,
)
from cognate.domain.pools import UserPool
from cognate.domain.users import User
from cognate.services import audit
from cognate.services.challenges import SESSION_KIND, Challenge, open_state, seal_state
from cognate.services.deps import Deps
from cognate.services.lockout import SessionCodes, forget_failures, reserve_attempt
from cognate.services.lookups import require_pool, require_user
from cognate.services.self_service import caller_of
from cognate.services.users import save_user

INVALID_SESSION = "Invalid session for the user."
WRONG_CODE = "Invalid code received for user"


@dataclass(frozen=True)
class Enrolling:
    """Who is setting up TOTP: a signed-in user (access token) or one answering MFA_SETUP (Session)."""

    pool: UserPool
    user: User
    session: dict[str, Any] | None = None


def _context(user: User) -> str:
    return f"totp-secret:{user.sub}"


def challenge_after_password(deps: Deps, pool: UserPool, client: AppClient, user: User) -> Challenge | None:
    """SOFTWARE_TOKEN_MFA or MFA_SETUP with a sealed Session, or None when the password is enough."""
    name = sign_in_challenge(pool.mfa_configuration, pool.mfa, user.mfa)
    if name is None:
        return None
    session = seal_state(deps, SESSION_KIND, {"sub": user.sub, "client": client.id, "pool": pool.id,
                                              "challenge": name, "sid": secrets.token_urlsafe(18)},
                         client.auth_session_validity * 60)
    params = {"USER_ID_FOR_SRP": user.username}
    if name == MFA_SETUP:
        params["MFAS_CAN_SETUP"] = f'["{SOFTWARE_TOKEN_MFA}"]'
    return Challenge(name, session, params)


async def _session_user(deps: Deps, pool: UserPool, state: dict[str, Any]) -> User:
    async with deps.store.transaction(readonly=True) as tx:
        user = await tx.users.get_by_sub(pool.id, str(state.get("sub")))
    if user is None or not user.enabled:
        raise NotAuthorizedException(INVALID_SESSION)
    return user


async def challenged_user(deps: Deps, *, pool: UserPool, client: AppClient, session: str | None,
                          challenge: str) -> User:
    """The user a challenge Session was issued to, for this client and this challenge."""
    state = open_state(deps, SESSION_KIND, session)
    if state.get("client") != client.id or state.get("challenge") != challenge:
        raise NotAuthorizedException(INVALID_SESSION)
    return await _session_user(deps, pool, state)


async def _update_mfa(deps: Deps, pool: UserPool, sub: str, change: Callable[[UserMfa], UserMfa]) -> User:
    async with deps.store.transaction() as tx:
        user = await tx.users.get_by_sub(pool.id, sub)
        if user is None:
            raise NotAuthorizedException("User does not exist.")
        user = replace(user, mfa=change(user.mfa), updated_at=deps.clock.now())
        await save_user(tx, pool, user)
    return user


async def _enrolling(deps: Deps, access_token: str | None, session: str | None) -> Enrolling:
    if access_token:
        caller = await caller_of(deps, access_token)
        return Enrolling(caller.pool, caller.user)
    if not session:
        raise InvalidParameterException("Either AccessToken or Session must be given.")
    state = open_state(deps, SESSION_KIND, session)
    if state.get("challenge") != MFA_SETUP:
        raise NotAuthorizedException(INVALID_SESSION)
    async with deps.store.transaction(readonly=True) as tx:
        pool = await tx.pools.get(str(state.get("pool", "")))
    if pool is None or not setup_allowed(pool.mfa_configuration, pool.mfa):
        raise NotAuthorizedException(INVALID_SESSION)
    return Enrolling(pool, await _session_user(deps, pool, state), state)


def _reseal(deps: Deps, state: dict[str, Any] | None) -> str | None:
    if state is None:
        return None
    lifetime = max(1.0, float(state["exp"]) - deps.clock.now())
    return seal_state(deps, SESSION_KIND, {k: v for k, v in state.items() if k != "exp"}, int(lifetime))


async def associate(deps: Deps, *, access_token: str | None, session: str | None) -> tuple[str, str | None]:
    """AssociateSoftwareToken: a fresh base32 secret, kept pending until verified; (SecretCode, Session)."""
    who = await _enrolling(deps, access_token, session)
    secret = totp.new_secret()
    sealed = deps.sealer.seal(secret.encode(), context=_context(who.user))
    await _update_mfa(deps, who.pool, who.user.sub, lambda m: replace(m, pending_secret=sealed))
    await audit.record(deps, "mfa_associate", "success", pool_id=who.pool.id, sub=who.user.sub)
    return secret, _reseal(deps, who.session)


async def verify(deps: Deps, *, access_token: str | None, session: str | None, code: str) -> str | None:
    """VerifySoftwareToken: the pending secret's code turns TOTP on; returns the Session to answer MFA_SETUP."""
    who = await _enrolling(deps, access_token, session)
    if not who.user.mfa.pending_secret:
        raise InvalidParameterException("No software token is being set up: call AssociateSoftwareToken first.")
    secret = deps.sealer.open(who.user.mfa.pending_secret, context=_context(who.user)).decode()
    step = totp.matching_step(secret, code, deps.clock.now())
    if step is None:
        await audit.record(deps, "mfa_enrol", "failure", pool_id=who.pool.id, sub=who.user.sub)
        raise EnableSoftwareTokenMFAException("Code mismatch and fail enable Software Token MFA")
    await _update_mfa(deps, who.pool, who.user.sub, lambda m: replace(verified(m), last_step=step))
    await audit.record(deps, "mfa_enrol", "success", pool_id=who.pool.id, sub=who.user.sub)
    return _reseal(deps, who.session)


async def set_preference(deps: Deps, access_token: str, methods: Mapping[str, object]) -> None:
    """SetUserMFAPreference: `methods` holds the request's `...MfaSettings` members."""
    refuse_unsupported_methods(methods)
    caller = await caller_of(deps, access_token)
    software_token = methods.get("SoftwareTokenMfaSettings")
    user = await _update_mfa(deps, caller.pool, caller.user.sub, lambda m: with_preference(m, software_token))
    await audit.record(deps, "mfa_preference", "success", pool_id=caller.pool.id, sub=user.sub,
                       software_token=_preference_name(user.mfa))


async def admin_set_preference(deps: Deps, pool_id: str, username: str, methods: Mapping[str, object]) -> None:
    """AdminSetUserMFAPreference: `methods` holds the request's `...MfaSettings` members."""
    refuse_unsupported_methods(methods)
    software_token = methods.get("SoftwareTokenMfaSettings")
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, pool_id)
        user = await require_user(tx, pool, username)
    await _update_mfa(deps, pool, user.sub, lambda m: with_preference(m, software_token))
    await audit.admin_change(deps, "AdminSetUserMFAPreference", pool_id=pool.id, sub=user.sub)


def _preference_name(user_mfa: UserMfa) -> str:
    """What the audit says about TOTP after a preference change: a name, never the secret."""
    return "preferred" if user_mfa.preferred_setting() else "enabled" if user_mfa.settings_list() else "disabled"


async def check_sign_in_code(deps: Deps, *, pool: UserPool, client: AppClient, user: User, session: str | None,
                             code: str) -> None:
    """SOFTWARE_TOKEN_MFA: the current code of the user's secret, not used before. Counted before it is compared
    (towards the lockout and the Session's limit); the right one forgets the failures and spends the Session."""
    codes = _session_codes(deps, session)
    await reserve_attempt(deps, user, session=codes)
    secret = deps.sealer.open(user.mfa.secret, context=_context(user)).decode() if user.mfa.secret else ""
    step = totp.matching_step(secret, code, deps.clock.now()) if secret else None
    if step is None or (user.mfa.last_step is not None and step <= user.mfa.last_step):
        await audit.record(deps, "sign_in", "failure", pool_id=pool.id, client_id=client.id, sub=user.sub,
                           reason="wrong mfa code", flow="mfa")
        raise CodeMismatchException(WRONG_CODE)
    await _consume_step(deps, pool, user, step, codes)


def _session_codes(deps: Deps, session: str | None) -> SessionCodes:
    """Which Session a code answers (Sessions from before per-Session counting carry no id: sign in again)."""
    state = open_state(deps, SESSION_KIND, session)
    if not isinstance(state.get("sid"), str):
        raise NotAuthorizedException(INVALID_SESSION)
    return SessionCodes(state["sid"], float(state["exp"]))


async def finish_code_sign_in(deps: Deps, *, pool: UserPool, client: AppClient, user: User, session: str | None,
                              code: str) -> None:
    """The SOFTWARE_TOKEN_MFA answer that ends a sign-in, at every door (the JSON API and the hosted UI)."""
    if not code:
        raise InvalidParameterException("Missing required parameter SOFTWARE_TOKEN_MFA_CODE")
    await check_sign_in_code(deps, pool=pool, client=client, user=user, session=session, code=code)
    await audit.record(deps, "sign_in", "success", pool_id=pool.id, client_id=client.id, sub=user.sub, flow="mfa")


async def finish_setup_sign_in(deps: Deps, *, pool: UserPool, client: AppClient, user: User) -> None:
    """The MFA_SETUP answer that ends a sign-in, at every door: only once VerifySoftwareToken turned TOTP on, and
    never where the pool has MFA off (no password checked this Session there)."""
    if not setup_allowed(pool.mfa_configuration, pool.mfa):
        raise NotAuthorizedException(INVALID_SESSION)
    if not user.mfa.settings_list():
        raise InvalidParameterException("Software token MFA is not set up yet: call AssociateSoftwareToken and "
                                        "VerifySoftwareToken with this Session first.")
    await audit.record(deps, "sign_in", "success", pool_id=pool.id, client_id=client.id, sub=user.sub, flow="mfa")


def enrolment_uri(pool: UserPool, user: User, secret: str) -> str:
    """The authenticator app's enrolment link for `secret`: named by the user's email (else username) under the
    pool's name, the way the hosted UI shows it."""
    return totp.otpauth_uri(secret, account=user.attributes.get("email") or user.username, issuer=pool.name)


def pending_secret(deps: Deps, user: User) -> str:
    """The secret `user` is setting up (the hosted UI shows it again after a wrong first code)."""
    if not user.mfa.pending_secret:
        raise NotAuthorizedException(INVALID_SESSION)
    return deps.sealer.open(user.mfa.pending_secret, context=_context(user)).decode()


async def _consume_step(deps: Deps, pool: UserPool, user: User, step: int, codes: SessionCodes) -> None:
    """Remember the step under the user's row lock, so of racing uses of one code exactly one signs in."""
    async with deps.store.transaction() as tx:
        current = await tx.users.get_by_sub(pool.id, user.sub, for_update=True)
        if current is None or (current.mfa.last_step is not None and step <= current.mfa.last_step):
            raise CodeMismatchException(WRONG_CODE)
        await save_user(tx, pool, replace(current, mfa=replace(current.mfa, last_step=step)))
        await forget_failures(tx, current, spent=codes)


async def pool_mfa_config(deps: Deps, pool_id: str) -> UserPool:
    async with deps.store.transaction(readonly=True) as tx:
        return await require_pool(tx, pool_id)


async def set_pool_mfa_config(deps: Deps, pool_id: str, req: dict[str, Any]) -> UserPool:
    """SetUserPoolMfaConfig; SMS settings are kept and echoed, but Cognate sends no SMS."""
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        configuration, settings = apply_pool_mfa_config(pool.mfa, req)
        pool = replace(pool, mfa=settings, mfa_configuration=configuration or pool.mfa_configuration,
                       updated_at=deps.clock.now())
        await tx.pools.update(pool)
    return pool

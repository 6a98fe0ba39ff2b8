"""Password sign-in shared by the hosted UI and the JSON API, with Cognito's outcomes (spec §5, §6 InitiateAuth).

Unknown users cost the same argon2 check as known ones (a dummy hash), so timing does not reveal them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from cognate.domain.clients import AppClient
from cognate.domain.errors import (
    CognitoError,
    InvalidParameterException,
    NotAuthorizedException,
    PasswordResetRequiredException,
    UserNotConfirmedException,
)
from cognate.domain.mfa import require_runnable_mfa, sign_in_challenge
from cognate.domain.pools import UserPool
from cognate.domain.triggers import Occasion, refuse_unrun_triggers
from cognate.domain.users import User, check_attributes
from cognate.services.attribute_writes import guard_write
from cognate.services.audit import record
from cognate.services.deps import Deps
from cognate.services.lockout import record_success, reserve_attempt
from cognate.services.lookups import find_user
from cognate.services.passwords import password_record
from cognate.services.user_existence import WRONG_PASSWORD, sign_in_refusal
from cognate.services.users import save_user


@dataclass(frozen=True)
class SignedIn:
    user: User


@dataclass(frozen=True)
class NewPasswordRequired:
    """FORCE_CHANGE_PASSWORD: the temporary password was right; a new one must be chosen."""

    user: User


Outcome = SignedIn | NewPasswordRequired


async def password_sign_in(deps: Deps, *, pool: UserPool, client: AppClient, username: str,
                           password: str) -> Outcome:
    """The lock is checked and the attempt counted before the (slow) comparison, so parallel guesses meet it too."""
    async with deps.store.transaction(readonly=True) as tx:
        user = await find_user(tx, pool, username)
    refuse_unrun_triggers(pool.lambda_config, Occasion.SIGN_IN, *([] if user else [Occasion.UNKNOWN_USER]))
    if user is not None:
        await before_secret(deps, pool=pool, client=client, user=user)
    verified = await deps.hasher.verify(user.password_hash if user else None, password)
    if user is None or not verified:
        await record(deps, "sign_in", "failure", pool_id=pool.id, client_id=client.id,
                     sub=user.sub if user else None, reason="unknown user" if user is None else "wrong password")
        if user is None:
            raise sign_in_refusal(client)
        raise NotAuthorizedException(WRONG_PASSWORD)
    return await after_password(deps, pool=pool, client=client, user=user, flow="password")


async def before_secret(deps: Deps, *, pool: UserPool, client: AppClient, user: User) -> None:
    """The one step before a password or SRP proof of a known user is compared, at every door: the lock is checked
    and the attempt counted (`lockout.reserve_attempt`); a refusal is audited as `locked`."""
    try:
        await reserve_attempt(deps, user)
    except NotAuthorizedException:
        await record(deps, "sign_in", "locked", pool_id=pool.id, client_id=client.id, sub=user.sub)
        raise


async def after_password(deps: Deps, *, pool: UserPool, client: AppClient, user: User, flow: str) -> Outcome:
    """The one step after a right password or SRP proof, at every door: the failures are forgotten, the user's
    status decides the outcome (spec §5), and the audit says whether an MFA step is still due."""
    await record_success(deps, user)
    try:
        outcome = status_outcome(deps, pool, user)
        require_runnable_mfa(pool.mfa_configuration, pool.mfa)
    except CognitoError as exc:
        await record(deps, "sign_in", exc.name, pool_id=pool.id, client_id=client.id, sub=user.sub)
        raise
    await _record_password_accepted(deps, pool, client, outcome, flow=flow)
    return outcome


async def _record_password_accepted(deps: Deps, pool: UserPool, client: AppClient, outcome: Outcome, *,
                                   flow: str) -> None:
    """Audit a right password: a sign-in only when no MFA step follows; otherwise `mfa_required` naming the step
    (AdminListUserAuthEvents: InProgress), and the code's answer records the sign-in."""
    challenge = sign_in_challenge(pool.mfa_configuration, pool.mfa, outcome.user.mfa)
    if isinstance(outcome, SignedIn) and challenge is not None:
        await record(deps, "sign_in", "mfa_required", pool_id=pool.id, client_id=client.id, sub=outcome.user.sub,
                     flow=flow, challenge=challenge)
        return
    await record(deps, "sign_in", "success", pool_id=pool.id, client_id=client.id, sub=outcome.user.sub, flow=flow)


def status_outcome(deps: Deps, pool: UserPool, user: User) -> Outcome:
    """What a user whose credentials were right gets, by status (spec §5)."""
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    if user.status == "UNCONFIRMED":
        raise UserNotConfirmedException("User is not confirmed.")
    if user.status == "RESET_REQUIRED":
        raise PasswordResetRequiredException("Password reset required for the user")
    if user.status == "FORCE_CHANGE_PASSWORD":
        validity = pool.password_policy.temporary_password_validity_days * 86400
        if validity and deps.clock.now() - user.updated_at > validity:
            raise NotAuthorizedException("Temporary password has expired and must be reset by an administrator.")
        return NewPasswordRequired(user)
    return SignedIn(user)


async def complete_new_password(deps: Deps, *, pool: UserPool, client: AppClient, user: User, new_password: str,
                                attributes: dict[str, str] | None = None) -> User:
    """NEW_PASSWORD_REQUIRED answered: the new password (policy-checked) and any attributes the client may write."""
    changes = dict(attributes or {})
    await guard_write(deps, pool=pool, client=client, names=changes, creating=False, event="new_password",
                      sub=user.sub)
    check_attributes(pool, changes, creating=False)
    pool.password_policy.check(new_password)
    record = await password_record(deps, user, new_password, srp=pool.srp_enabled)
    async with deps.store.transaction() as tx:
        current = await find_user(tx, pool, user.username)
        if current is None or current.status != "FORCE_CHANGE_PASSWORD":
            raise NotAuthorizedException("Invalid session for the user.")
        missing = [n for n in pool.required_attributes if not {**current.attributes, **changes}.get(n)]
        if missing:
            raise InvalidParameterException(f"Missing required attribute {missing[0]}")
        updated = record.apply(replace(current, status="CONFIRMED", updated_at=deps.clock.now(),
                                       attributes={**current.attributes, **changes}))
        await save_user(tx, pool, updated)
    return updated

"""Self-service sign-up, its confirmation code and resending it (SignUp / ConfirmSignUp / ResendConfirmationCode)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from cognate.domain.clients import AppClient
from cognate.domain.errors import (
    CognitoError,
    NotAuthorizedException,
    UsernameExistsException,
)
from cognate.domain.ids import new_sub
from cognate.domain.pools import UserPool
from cognate.domain.signin import SIGNUP_CODE_SECONDS
from cognate.domain.sms import code_needs_sms, no_sms
from cognate.domain.triggers import Occasion, refuse_unrun_triggers
from cognate.domain.users import User, alias_keys, check_attributes, resolve_new_username, username_key
from cognate.services import audit
from cognate.services.attribute_writes import guard_write
from cognate.services.client_auth import check_secret_hash
from cognate.services.clients import get_client
from cognate.services.codes import Delivery, check_code, consume_code, issue_code, send_code
from cognate.services.deps import Deps
from cognate.services.lookups import find_user, require_pool
from cognate.services.passwords import password_record
from cognate.services.user_existence import code_check_refusal, code_request_answer, hides_existence
from cognate.services.users import save_user
from cognate.store.base import AlreadyExists

PURPOSE = "signup"
SMS_CODE = "the confirmation code would go to the phone number (AutoVerifiedAttributes phone_number, no email)"


@dataclass(frozen=True)
class SignUpResult:
    user: User
    confirmed: bool
    delivery: Delivery | None


async def client_and_pool(deps: Deps, client_id: str) -> tuple[AppClient, UserPool]:
    client = await get_client(deps, client_id)
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, client.pool_id)
    return client, pool


async def sign_up(deps: Deps, *, client_id: str, username: str, password: str,
                  attributes: Mapping[str, str], secret_hash: str | None = None) -> SignUpResult:
    client, pool = await client_and_pool(deps, client_id)
    check_secret_hash(client, (username,), secret_hash)
    if pool.allow_admin_create_user_only:
        raise NotAuthorizedException("SignUp is not permitted for this user pool")
    sends_code = "email" in pool.auto_verified_attributes and bool(attributes.get("email"))
    refuse_unrun_triggers(pool.lambda_config, Occasion.SIGN_UP, *([Occasion.MESSAGE] if sends_code else []))
    if code_needs_sms(pool.auto_verified_attributes, attributes):
        raise no_sms(SMS_CODE)
    await guard_write(deps, pool=pool, client=client, names=attributes, creating=True, event="sign_up")
    attrs = dict(attributes)
    sub = new_sub()
    internal = resolve_new_username(pool, username, attrs, sub)
    check_attributes(pool, attrs, creating=True)
    pool.password_policy.check(password)
    now = deps.clock.now()
    user = User(pool_id=pool.id, username=internal, sub=sub, created_at=now, updated_at=now, attributes=attrs,
                status="UNCONFIRMED")
    user = (await password_record(deps, user, password, srp=pool.srp_enabled)).apply(user)
    await _insert(deps, pool, user)
    await audit.record(deps, "sign_up", "success", pool_id=pool.id, client_id=client.id, sub=user.sub)
    return SignUpResult(user=user, confirmed=False, delivery=await _send_signup_code(deps, pool, user))


async def _insert(deps: Deps, pool: UserPool, user: User) -> None:
    async with deps.store.transaction() as tx:
        try:
            await tx.users.add(user, key=username_key(pool, user.username), aliases=alias_keys(pool, user))
        except AlreadyExists as exc:
            if pool.username_attributes:
                kind = "email" if exc.what in ("email", "username") and "email" in user.attributes else "phone_number"
                raise UsernameExistsException(f"An account with the given {kind} already exists.") from None
            raise UsernameExistsException("User already exists") from None


async def _send_signup_code(deps: Deps, pool: UserPool, user: User) -> Delivery | None:
    """A code goes out when the pool auto-verifies email and the user has one (SMS is not supported)."""
    if "email" not in pool.auto_verified_attributes or not user.email:
        return None
    code = await issue_code(deps, user, PURPOSE, SIGNUP_CODE_SECONDS)
    return await send_code(deps, pool, user, code, subject=pool.messages.email_subject,
                           template=pool.messages.email_message)


async def _unconfirmed_user(deps: Deps, pool: UserPool, username: str) -> User | None:
    async with deps.store.transaction(readonly=True) as tx:
        return await find_user(tx, pool, username)


async def confirm_sign_up(deps: Deps, *, client_id: str, username: str, code: str,
                          secret_hash: str | None = None, force_alias_creation: bool = False) -> User:
    client, pool = await client_and_pool(deps, client_id)
    user = await _unconfirmed_user(deps, pool, username)
    check_secret_hash(client, (username, user.username if user else ""), secret_hash)
    refuse_unrun_triggers(pool.lambda_config, Occasion.CONFIRMATION)  # before the code is checked (and used)
    if user is None or (hides_existence(client) and user.status != "UNCONFIRMED"):
        raise code_check_refusal(client)  # a confirmed user looks like an unknown one too
    if user.status != "UNCONFIRMED":
        raise NotAuthorizedException(f"User cannot be confirmed. Current status is {user.status}")
    try:
        await check_code(deps, user, PURPOSE, code)
    except CognitoError as exc:
        await audit.record(deps, "confirm_sign_up", exc.name, pool_id=pool.id, client_id=client.id, sub=user.sub)
        raise
    confirmed = replace(user, status="CONFIRMED", updated_at=deps.clock.now(),
                        attributes={**user.attributes, **({"email_verified": "true"} if user.email else {})})
    await _save_confirmed(deps, pool, confirmed, force_alias_creation)
    await consume_code(deps, user, PURPOSE)
    await audit.record(deps, "confirm_sign_up", "success", pool_id=pool.id, client_id=client.id, sub=user.sub)
    return confirmed


async def _save_confirmed(deps: Deps, pool: UserPool, user: User, force: bool) -> None:
    """A now-verified alias held by another user: refused, or with ForceAliasCreation moved to this user."""
    async with deps.store.transaction() as tx:
        if force and user.email and "email" in pool.alias_attributes:
            holder = await tx.users.get_by_alias(pool.id, "email", user.email.lower())
            if holder is not None and holder.sub != user.sub:
                await save_user(tx, pool, replace(holder, attributes={**holder.attributes,
                                                                      "email_verified": "false"}))
        await save_user(tx, pool, user)


async def resend_confirmation_code(deps: Deps, *, client_id: str, username: str,
                                   secret_hash: str | None = None) -> Delivery:
    client, pool = await client_and_pool(deps, client_id)
    user = await _unconfirmed_user(deps, pool, username)
    check_secret_hash(client, (username, user.username if user else ""), secret_hash)
    refuse_unrun_triggers(pool.lambda_config, Occasion.MESSAGE)
    if user is None or (hides_existence(client) and user.status != "UNCONFIRMED"):
        return code_request_answer(client, username)  # a confirmed user looks like an unknown one too; no mail
    if user.status != "UNCONFIRMED":
        raise NotAuthorizedException("User is already confirmed.")
    if code_needs_sms(pool.auto_verified_attributes, user.attributes):
        raise no_sms(SMS_CODE)
    delivery = await _send_signup_code(deps, pool, user)
    if delivery is None:
        raise NotAuthorizedException("Cannot resend codes. Auto verification not turned on.")
    return delivery

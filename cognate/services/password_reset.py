"""Forgot password: a reset code by mail, then the code and a new password (ForgotPassword / ConfirmForgotPassword)."""

from __future__ import annotations

from dataclasses import replace

from cognate.domain.errors import (
    CognitoError,
    InvalidParameterException,
    NotAuthorizedException,
)
from cognate.domain.signin import RESET_CODE_SECONDS
from cognate.domain.sms import no_sms
from cognate.domain.triggers import Occasion, refuse_unrun_triggers
from cognate.domain.users import User
from cognate.services import audit
from cognate.services.client_auth import check_secret_hash
from cognate.services.codes import Delivery, check_code, consume_code, issue_code, send_code
from cognate.services.deps import Deps
from cognate.services.lookups import find_user
from cognate.services.passwords import password_record
from cognate.services.sessions import sign_out_everywhere
from cognate.services.signup import client_and_pool
from cognate.services.user_existence import code_check_refusal, code_request_answer, hides_existence, simulated_delivery
from cognate.services.users import save_user

PURPOSE = "reset"
RESET_SUBJECT = "Your password reset code"
RESET_MESSAGE = "Your password reset code is {####}. "


async def forgot_password(deps: Deps, *, client_id: str, username: str, secret_hash: str | None = None) -> Delivery:
    client, pool = await client_and_pool(deps, client_id)
    async with deps.store.transaction(readonly=True) as tx:
        user = await find_user(tx, pool, username)
    check_secret_hash(client, (username, user.username if user else ""), secret_hash)
    refuse_unrun_triggers(pool.lambda_config, Occasion.MESSAGE)
    if user is None:
        refuse_unrun_triggers(pool.lambda_config, Occasion.UNKNOWN_USER)
        return code_request_answer(client, username)
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    admin_only = any(name == "admin_only" for _, name in pool.account_recovery)
    if admin_only or not user.email or not user.is_verified("email"):
        # No verified address, no reset: else a reset would confirm a user who never proved the address. Under
        # PreventUserExistenceErrors the answer is the simulated delivery (guide: "Managing error responses").
        if hides_existence(client):
            return simulated_delivery(username)
        if not admin_only and user.is_verified("phone_number"):
            raise no_sms("the reset code would go to the user's verified phone number (no verified email)")
        raise InvalidParameterException(
            "Cannot reset password for the user as there is no registered/verified email or phone_number")
    code = await issue_code(deps, user, PURPOSE, RESET_CODE_SECONDS)
    delivery = await send_code(deps, pool, user, code, subject=RESET_SUBJECT, template=RESET_MESSAGE)
    await audit.record(deps, "forgot_password", "code_sent", pool_id=pool.id, client_id=client.id, sub=user.sub)
    return delivery


async def confirm_forgot_password(deps: Deps, *, client_id: str, username: str, code: str, password: str,
                                  secret_hash: str | None = None) -> User:
    """The new password ends every sign-in the user had: a reset is how an owner takes an account back."""
    client, pool = await client_and_pool(deps, client_id)
    async with deps.store.transaction(readonly=True) as tx:
        user = await find_user(tx, pool, username)
    check_secret_hash(client, (username, user.username if user else ""), secret_hash)
    refuse_unrun_triggers(pool.lambda_config, Occasion.CONFIRMATION)  # before the code is checked (and used)
    if user is None:
        raise code_check_refusal(client)
    pool.password_policy.check(password)  # before the code: a right code is consumed by the check
    try:
        await check_code(deps, user, PURPOSE, code)
    except CognitoError as exc:
        await audit.record(deps, "password_reset", exc.name, pool_id=pool.id, client_id=client.id, sub=user.sub)
        raise
    record = await password_record(deps, user, password, srp=pool.srp_enabled)
    async with deps.store.transaction() as tx:
        fresh = await find_user(tx, pool, user.username) or user
        updated = record.apply(replace(fresh, status="CONFIRMED", updated_at=deps.clock.now()))
        await save_user(tx, pool, updated)
        await sign_out_everywhere(tx, pool.id, updated.sub, deps.clock.now())
    await consume_code(deps, user, PURPOSE)
    await audit.record(deps, "password_reset", "success", pool_id=pool.id, client_id=client.id, sub=user.sub)
    return updated

"""What a signed-in user does with an access token (GetUser, ChangePassword, GlobalSignOut, UpdateUserAttributes,
VerifyUserAttribute, DeleteUser), RevokeToken, and the admin counterparts that end sessions or force a reset
(spec §2 revocation, §6)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from cognate.domain.attribute_access import readable_attributes, visible_attributes
from cognate.domain.clients import AppClient
from cognate.domain.errors import (
    CognitoError,
    InvalidParameterException,
    NotAuthorizedException,
    ResourceNotFoundException,
    UnauthorizedException,
    UnsupportedOperationException,
    UnsupportedTokenTypeException,
)
from cognate.domain.pools import UserPool
from cognate.domain.scopes import ADMIN_SCOPE
from cognate.domain.signin import RESET_CODE_SECONDS, SIGNUP_CODE_SECONDS
from cognate.domain.triggers import Occasion, refuse_unrun_triggers
from cognate.domain.users import User, check_attributes, with_attributes, without_attributes
from cognate.services import audit
from cognate.services.attribute_writes import guard_delete, guard_write, names_detail, record_written
from cognate.services.client_auth import secret_matches
from cognate.services.clients import get_client
from cognate.services.codes import Delivery, check_code, consume_code, issue_code, require_bound, send_code
from cognate.services.deps import Deps
from cognate.services.lookups import require_pool, require_user
from cognate.services.password_reset import PURPOSE as RESET_PURPOSE
from cognate.services.password_reset import RESET_MESSAGE, RESET_SUBJECT
from cognate.services.passwords import password_record
from cognate.services.tokens.revocation import revoke_refresh, revoke_user_tokens
from cognate.services.tokens.verification import looks_like_jwt, pool_of_token, verify_pool_token
from cognate.services.user_existence import WRONG_PASSWORD
from cognate.services.users import save_user

ATTRIBUTE_PURPOSE = "attribute:"
UPDATE_EVENT, DELETE_EVENT, VERIFY_EVENT = "attributes_update", "attributes_delete", "attribute_verify"


@dataclass(frozen=True)
class Caller:
    pool: UserPool
    user: User
    client_id: str


async def caller_of(deps: Deps, access_token: str) -> Caller:
    """The user behind an access token that carries `aws.cognito.signin.user.admin` and is not revoked."""
    pool_id = pool_of_token(access_token)
    if not pool_id:
        raise NotAuthorizedException("Invalid Access Token")
    async with deps.store.transaction(readonly=True) as tx:
        pool = await tx.pools.get(pool_id)
    if pool is None:
        raise NotAuthorizedException("Invalid Access Token")
    claims = await verify_pool_token(deps, pool_id, access_token, token_use="access")
    if ADMIN_SCOPE not in str(claims.get("scope", "")).split():
        raise NotAuthorizedException("Access Token does not have required scopes")
    async with deps.store.transaction(readonly=True) as tx:
        user = await tx.users.get_by_sub(pool_id, str(claims.get("sub")))
    if user is None:
        raise NotAuthorizedException("User does not exist.")
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    return Caller(pool=pool, user=user, client_id=str(claims.get("client_id")))


async def change_password(deps: Deps, access_token: str, previous: str, proposed: str) -> None:
    caller = await caller_of(deps, access_token)
    if not await deps.hasher.verify(caller.user.password_hash, previous):
        await audit.record(deps, "password_change", "failure", pool_id=caller.pool.id, client_id=caller.client_id,
                           sub=caller.user.sub, reason="wrong previous password")
        raise NotAuthorizedException(WRONG_PASSWORD)
    caller.pool.password_policy.check(proposed)
    record = await password_record(deps, caller.user, proposed, srp=caller.pool.srp_enabled)
    async with deps.store.transaction() as tx:
        user = await require_user(tx, caller.pool, caller.user.username)
        await save_user(tx, caller.pool, record.apply(replace(user, updated_at=deps.clock.now())))
    await audit.record(deps, "password_change", "success", pool_id=caller.pool.id, client_id=caller.client_id,
                       sub=caller.user.sub)


async def global_sign_out(deps: Deps, access_token: str) -> None:
    caller = await caller_of(deps, access_token)
    await revoke_user_tokens(deps, caller.pool.id, caller.user.sub)


async def admin_global_sign_out(deps: Deps, pool_id: str, username: str) -> None:
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, pool_id)
        user = await require_user(tx, pool, username)
    await revoke_user_tokens(deps, pool_id, user.sub)


async def delete_self(deps: Deps, access_token: str) -> None:
    caller = await caller_of(deps, access_token)
    async with deps.store.transaction() as tx:
        await tx.users.delete(caller.pool.id, caller.user.sub)


async def _client_of(deps: Deps, caller: Caller) -> AppClient:
    """The app client the access token was issued to: its Read/WriteAttributes govern what the user reads and
    writes through it."""
    try:
        return await get_client(deps, caller.client_id, pool_id=caller.pool.id)
    except ResourceNotFoundException:
        raise NotAuthorizedException("Invalid Access Token") from None


async def own_attributes(deps: Deps, access_token: str) -> tuple[User, dict[str, str]]:
    """GetUser: the caller and the attributes its client may read (`sub` always)."""
    caller = await caller_of(deps, access_token)
    client = await _client_of(deps, caller)
    return caller.user, visible_attributes(caller.user, readable_attributes(caller.pool, client))


async def delete_own_attributes(deps: Deps, access_token: str, names: list[str]) -> None:
    caller = await caller_of(deps, access_token)
    client = await _client_of(deps, caller)
    await guard_delete(deps, pool=caller.pool, client=client, names=names, event=DELETE_EVENT, sub=caller.user.sub)
    async with deps.store.transaction() as tx:
        user = await require_user(tx, caller.pool, caller.user.username)
        await save_user(tx, caller.pool, without_attributes(caller.pool, user, names, deps.clock.now()))
    await record_written(deps, DELETE_EVENT, pool=caller.pool, client=client, sub=caller.user.sub, names=names)


async def revoke_token(deps: Deps, *, client_id: str, client_secret: str | None, token: str) -> None:
    """RevokeToken: the client that received the refresh token proves itself; unknown or already revoked
    tokens still succeed, as in Cognito (spec §1.3, §2)."""
    try:
        client = await get_client(deps, client_id)
    except ResourceNotFoundException:
        raise UnauthorizedException("Invalid client credentials") from None
    if client.secret is not None and not secret_matches(client, client_secret):
        raise UnauthorizedException("Invalid client credentials")
    if not client.enable_token_revocation:
        raise UnsupportedOperationException("Token revocation is not enabled for this client")
    if looks_like_jwt(token):
        raise UnsupportedTokenTypeException("Only refresh tokens can be revoked")
    await revoke_refresh(deps, client, token)


async def _send_attribute_code(deps: Deps, pool: UserPool, user: User, attribute: str) -> Delivery:
    if attribute != "email" or not user.email:
        raise InvalidParameterException(f"Verification of {attribute} is not supported.")
    code = await issue_code(deps, user, ATTRIBUTE_PURPOSE + attribute, SIGNUP_CODE_SECONDS)
    return await send_code(deps, pool, user, code, subject=pool.messages.email_subject,
                           template=pool.messages.email_message)


async def update_own_attributes(deps: Deps, access_token: str, changes: dict[str, str]) -> list[Delivery]:
    """Only what the client may write; a changed email or phone loses its verified flag (the flags themselves are
    never client-writable), and with auto-verification a code goes to the new address."""
    caller = await caller_of(deps, access_token)
    client = await _client_of(deps, caller)
    await guard_write(deps, pool=caller.pool, client=client, names=changes, creating=False, event=UPDATE_EVENT,
                      sub=caller.user.sub)
    check_attributes(caller.pool, changes, creating=False)
    sends = "email" in changes and "email" in caller.pool.auto_verified_attributes
    refuse_unrun_triggers(caller.pool.lambda_config, *([Occasion.MESSAGE] if sends else []))  # before the write
    async with deps.store.transaction() as tx:
        user = with_attributes(await require_user(tx, caller.pool, caller.user.username), changes,
                               deps.clock.now())
        await save_user(tx, caller.pool, user)
    await record_written(deps, UPDATE_EVENT, pool=caller.pool, client=client, sub=user.sub, names=changes)
    if "email" in changes and "email" in caller.pool.auto_verified_attributes and not user.is_verified("email"):
        return [await _send_attribute_code(deps, caller.pool, user, "email")]
    return []


async def attribute_verification_code(deps: Deps, access_token: str, attribute: str) -> Delivery:
    caller = await caller_of(deps, access_token)
    return await _send_attribute_code(deps, caller.pool, caller.user, attribute)


async def verify_attribute(deps: Deps, access_token: str, attribute: str, code: str) -> None:
    caller = await caller_of(deps, access_token)
    try:
        bound = await check_code(deps, caller.user, ATTRIBUTE_PURPOSE + attribute, code)
    except CognitoError as exc:
        await audit.record(deps, VERIFY_EVENT, exc.name, pool_id=caller.pool.id, client_id=caller.client_id,
                           sub=caller.user.sub, attributes=names_detail([attribute]))
        raise
    flag = {"email": "email_verified", "phone_number": "phone_number_verified"}.get(attribute)
    if flag is None:
        raise InvalidParameterException(f"Verification of {attribute} is not supported.")
    async with deps.store.transaction() as tx:
        user = await require_user(tx, caller.pool, caller.user.username)
        require_bound(user, bound)  # changed since the check: the flag would land on an address never mailed
        await save_user(tx, caller.pool, replace(user, attributes={**user.attributes, flag: "true"},
                                                 updated_at=deps.clock.now()))
    await consume_code(deps, caller.user, ATTRIBUTE_PURPOSE + attribute)
    await audit.record(deps, VERIFY_EVENT, "success", pool_id=caller.pool.id, client_id=caller.client_id,
                       sub=caller.user.sub, attributes=names_detail([attribute]))


async def admin_reset_password(deps: Deps, pool_id: str, username: str) -> None:
    """RESET_REQUIRED, sign-ins refused, and a reset code sent when the user has a verified email."""
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        found = await require_user(tx, pool, username)
        sends = bool(found.email and found.is_verified("email"))
        refuse_unrun_triggers(pool.lambda_config, *([Occasion.MESSAGE] if sends else []))  # before the write
        user = replace(found, status="RESET_REQUIRED", updated_at=deps.clock.now())
        await save_user(tx, pool, user)
    await revoke_user_tokens(deps, pool_id, user.sub)
    if user.email and user.is_verified("email"):
        code = await issue_code(deps, user, RESET_PURPOSE, RESET_CODE_SECONDS)
        await send_code(deps, pool, user, code, subject=RESET_SUBJECT, template=RESET_MESSAGE)

"""Administrative user use cases: create, find, list with Cognito's filter, passwords, enable/disable, delete."""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Mapping
from dataclasses import replace

from cognate.domain.errors import (
    AliasExistsException,
    InvalidParameterException,
    UnsupportedUserStateException,
    UsernameExistsException,
)
from cognate.domain.ids import new_sub
from cognate.domain.password_policy import PasswordPolicy
from cognate.domain.pools import UserPool
from cognate.domain.triggers import Occasion, refuse_unrun_triggers
from cognate.domain.users import (
    User,
    alias_keys,
    check_attributes,
    normalised_attributes,
    resolve_new_username,
    username_key,
    with_attributes,
    without_attributes,
)
from cognate.services import audit
from cognate.services.deps import Deps
from cognate.services.limits import check_limit
from cognate.services.lookups import require_pool, require_user
from cognate.services.pagination import decode_token, encode_token
from cognate.services.passwords import password_record
from cognate.services.sessions import sign_out_everywhere
from cognate.store.base import AlreadyExists, UnitOfWork, UserFilter

FILTER_RE = re.compile(r'^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$')
SEARCHABLE = frozenset(
    {
        "username",
        "email",
        "phone_number",
        "name",
        "given_name",
        "family_name",
        "preferred_username",
        "cognito:user_status",
        "status",
        "sub",
    }
)


def parse_filter(raw: str | None) -> UserFilter | None:
    """ListUsers' `Filter`: `attr = "v"` or `attr ^= "v"`, one searchable attribute (spec §6)."""
    if not raw:
        return None
    match = FILTER_RE.match(raw)
    if not match:
        raise InvalidParameterException("Error while parsing filter.")
    attribute, op, value = match.groups()
    if attribute not in SEARCHABLE:
        raise InvalidParameterException(f"Invalid search attribute: {attribute}")
    return UserFilter(attribute=attribute, value=value.replace('\\"', '"'), prefix=op == "^=")


def generate_password(policy: PasswordPolicy) -> str:
    """A random password that satisfies the pool's policy (for invitations)."""
    pools = [string.ascii_uppercase, string.ascii_lowercase, string.digits, "^$*.!@#%&"]
    chars = [secrets.choice(p) for p in pools]
    alphabet = "".join(pools)
    chars += [secrets.choice(alphabet) for _ in range(max(policy.minimum_length, 12) - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


async def _insert(tx: UnitOfWork, pool: UserPool, user: User) -> None:
    try:
        await tx.users.add(user, key=username_key(pool, user.username), aliases=alias_keys(pool, user))
    except AlreadyExists as exc:
        if exc.what == "username" or pool.username_attributes:
            raise UsernameExistsException("User account already exists") from None
        raise AliasExistsException(f"An account with the given {exc.what} already exists.") from None


async def save_user(tx: UnitOfWork, pool: UserPool, user: User) -> None:
    """Write a changed user; a now-verified alias that another user holds is refused (AliasExistsException)."""
    try:
        await tx.users.update(user, aliases=alias_keys(pool, user))
    except AlreadyExists as exc:
        raise AliasExistsException(f"An account with the given {exc.what} already exists.") from None


async def create_user(
    deps: Deps,
    pool_id: str,
    *,
    username: str,
    attributes: Mapping[str, str],
    password: str | None = None,
    permanent: bool = False,
    invites: bool = False,
) -> tuple[User, str]:
    """AdminCreateUser: a temporary password (given or generated) → FORCE_CHANGE_PASSWORD; permanent → CONFIRMED.
    `invites`: the request asks for an invitation message (AdminCreateUser without MessageAction SUPPRESS)."""
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, pool_id)
    refuse_unrun_triggers(pool.lambda_config, Occasion.SIGN_UP, *([Occasion.MESSAGE] if invites else []))
    attrs = normalised_attributes(pool, attributes)
    now = deps.clock.now()
    sub = new_sub()
    internal = resolve_new_username(pool, username, attrs, sub)
    check_attributes(pool, attrs, creating=True, require=False)
    chosen = password if password is not None else generate_password(pool.password_policy)
    pool.password_policy.check(chosen)
    user = User(
        pool_id=pool.id,
        username=internal,
        sub=sub,
        created_at=now,
        updated_at=now,
        attributes=attrs,
        status="CONFIRMED" if permanent else "FORCE_CHANGE_PASSWORD",
    )
    user = (await password_record(deps, user, chosen, srp=pool.srp_enabled)).apply(user)
    async with deps.store.transaction() as tx:
        await require_pool(tx, pool_id)
        await _insert(tx, pool, user)
    await audit.admin_change(deps, "AdminCreateUser", pool_id=pool_id, sub=user.sub)
    return user, chosen


async def resend_invitation(deps: Deps, pool_id: str, username: str, *, password: str | None = None) -> User:
    """AdminCreateUser with MessageAction=RESEND: only for a user still waiting for its first sign-in.

    A given temporary password replaces the old one. No message is sent yet (invitation mail comes later).
    """
    user = await get_user(deps, pool_id, username)
    if user.status != "FORCE_CHANGE_PASSWORD":
        raise UnsupportedUserStateException(f"Resend not possible. {user.username} status is {user.status}.")
    if password is not None:
        user = await set_password(deps, pool_id, username, password, permanent=False)
    return user


async def get_user(deps: Deps, pool_id: str, username: str) -> User:
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, pool_id)
        return await require_user(tx, pool, username)


async def list_users(
    deps: Deps, pool_id: str, *, limit: int | None = None, token: str | None = None, filter_expr: str | None = None
) -> tuple[list[User], str | None]:
    size = check_limit(limit, default=60, low=0, high=60, field="Limit") or 60
    where = parse_filter(filter_expr)
    async with deps.store.transaction(readonly=True) as tx:
        await require_pool(tx, pool_id)
        rows = list(await tx.users.list(pool_id, limit=size + 1, after=decode_token(token), where=where))
    more = len(rows) > size
    rows = rows[:size]
    return [u for _, u in rows], encode_token(rows[-1][0]) if more else None


async def set_password(deps: Deps, pool_id: str, username: str, password: str, *, permanent: bool) -> User:
    """AdminSetUserPassword: the one place a password is set by an administrator; it ends the user's sign-ins
    (an administrator sets a password to take an account back from whoever holds it)."""
    pool, found = await get_user_and_pool(deps, pool_id, username)
    pool.password_policy.check(password)
    record = await password_record(deps, found, password, srp=pool.srp_enabled)
    async with deps.store.transaction() as tx:
        user = await require_user(tx, pool, username)
        status = "CONFIRMED" if permanent else "FORCE_CHANGE_PASSWORD"
        user = record.apply(replace(user, status=status, updated_at=deps.clock.now()))
        await save_user(tx, pool, user)
        await sign_out_everywhere(tx, pool.id, user.sub, deps.clock.now())
    await audit.admin_change(deps, "AdminSetUserPassword", pool_id=pool_id, sub=user.sub)
    return user


async def get_user_and_pool(deps: Deps, pool_id: str, username: str) -> tuple[UserPool, User]:
    async with deps.store.transaction(readonly=True) as tx:
        pool = await require_pool(tx, pool_id)
        return pool, await require_user(tx, pool, username)


async def set_enabled(deps: Deps, pool_id: str, username: str, enabled: bool) -> User:
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        user = replace(await require_user(tx, pool, username), enabled=enabled, updated_at=deps.clock.now())
        await save_user(tx, pool, user)
    action = "AdminEnableUser" if enabled else "AdminDisableUser"
    await audit.admin_change(deps, action, pool_id=pool_id, sub=user.sub)
    return user


async def confirm_user(deps: Deps, pool_id: str, username: str) -> User:
    """AdminConfirmSignUp."""
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        refuse_unrun_triggers(pool.lambda_config, Occasion.CONFIRMATION)
        user = await require_user(tx, pool, username)
        if user.status != "UNCONFIRMED":
            raise InvalidParameterException(f"User cannot be confirmed. Current status is {user.status}")
        user = replace(user, status="CONFIRMED", updated_at=deps.clock.now())
        await save_user(tx, pool, user)
    await audit.admin_change(deps, "AdminConfirmSignUp", pool_id=pool_id, sub=user.sub)
    return user


async def update_attributes(deps: Deps, pool_id: str, username: str, changes: Mapping[str, str]) -> User:
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        changes = normalised_attributes(pool, changes)
        check_attributes(pool, changes, creating=False)
        user = with_attributes(await require_user(tx, pool, username), changes, deps.clock.now())
        await save_user(tx, pool, user)
    await audit.record(
        deps, "admin_change", "success", pool_id=pool_id, sub=user.sub, action="AdminUpdateUserAttributes"
    )
    return user


async def delete_attributes(deps: Deps, pool_id: str, username: str, names: list[str]) -> User:
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        user = without_attributes(pool, await require_user(tx, pool, username), names, deps.clock.now())
        await save_user(tx, pool, user)
    await audit.record(
        deps, "admin_change", "success", pool_id=pool_id, sub=user.sub, action="AdminDeleteUserAttributes"
    )
    return user


async def delete_user(deps: Deps, pool_id: str, username: str) -> None:
    async with deps.store.transaction() as tx:
        pool = await require_pool(tx, pool_id)
        user = await require_user(tx, pool, username)
        await tx.users.delete(pool_id, user.sub)

    await audit.admin_change(deps, "AdminDeleteUser", pool_id=pool_id, sub=user.sub)

"""Which user attributes an app client may write and read for its signed-in (or signing-up) user (Cognito developer
guide, "User pool attributes" → "Attribute permissions and scopes"; API reference: UserPoolClientType
ReadAttributes / WriteAttributes, SchemaAttributeType DeveloperOnlyAttribute).

The one table every user-facing door consults: SignUp, UpdateUserAttributes, DeleteUserAttributes and the
NEW_PASSWORD_REQUIRED answer, whether they come through the JSON API or the hosted UI. Admin operations (IAM-signed
in Cognito, SigV4 or the CLI here) never come here: they may set the verified flags and developer-only attributes.

Why the flags are never client-writable: `email_verified=true` written with someone else's address made it a
verified sign-in alias and an `email_verified: true` claim that relying parties trust; only a code sent to the
address (or an administrator) verifies it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from cognate.domain.attributes import VERIFIED_FLAGS
from cognate.domain.clients import AppClient
from cognate.domain.errors import CognitoError, InvalidParameterException, NotAuthorizedException
from cognate.domain.pools import UserPool
from cognate.domain.users import SERVICE_OWNED, User, immutable_error, schema_error

UNAUTHORIZED_WRITE = "A client attempted to write unauthorized attribute"
FLAGS = frozenset(VERIFIED_FLAGS.values())


class Verdict(StrEnum):
    """What the table says about one attribute name written (or deleted) by an app client."""

    ALLOWED = "allowed"
    UNKNOWN = "unknown"  # not in the pool's schema
    SERVICE_OWNED = "service_owned"  # `sub`: the service keeps it
    VERIFIED_FLAG = "verified_flag"  # only a code or an administrator verifies
    DEVELOPER_ONLY = "developer_only"  # written by admin operations only
    NOT_WRITABLE = "not_writable"  # outside the client's WriteAttributes
    IMMUTABLE = "immutable"  # set at creation, never changed afterwards


def readable_attributes(pool: UserPool, client: AppClient) -> frozenset[str]:
    """ReadAttributes, or when unset every attribute of the pool but developer-only ones, plus the verified flags
    (spec §3). GetUser, userInfo and ID tokens all read through this."""
    if client.read_attributes is not None:
        return frozenset(client.read_attributes)
    return frozenset(a.name for a in pool.schema if not a.developer_only) | FLAGS


def visible_attributes(user: User, readable: frozenset[str]) -> dict[str, str]:
    """The user's attributes a client may read; `sub` always shows (GetUser's UserAttributes)."""
    return {"sub": user.sub, **{k: v for k, v in user.attributes.items() if k in readable and k != "sub"}}


def writable_attributes(pool: UserPool, client: AppClient) -> frozenset[str]:
    """WriteAttributes plus the pool's required attributes ("Required attributes in a user pool are always
    writable"), or when unset every attribute of the schema; never `sub`, a verified flag or a developer-only one."""
    if client.write_attributes is not None:
        names = {*client.write_attributes, *pool.required_attributes}
    else:
        names = {a.name for a in pool.schema}
    return frozenset(n for n in names if _client_may_ever_write(pool, n))


def _client_may_ever_write(pool: UserPool, name: str) -> bool:
    attr = pool.attribute(name)
    return attr is not None and not attr.developer_only and name not in FLAGS and name not in SERVICE_OWNED


def write_verdict(pool: UserPool, client: AppClient, name: str, *, creating: bool) -> Verdict:
    """The table, in the order the answers are given: schema, then permission, then mutability."""
    attr = pool.attribute(name)
    if attr is None:
        return Verdict.UNKNOWN
    if name in SERVICE_OWNED:
        return Verdict.SERVICE_OWNED
    if name in FLAGS:
        return Verdict.VERIFIED_FLAG
    if attr.developer_only:
        return Verdict.DEVELOPER_ONLY
    if name not in writable_attributes(pool, client):
        return Verdict.NOT_WRITABLE
    if not creating and not attr.mutable:
        return Verdict.IMMUTABLE
    return Verdict.ALLOWED


def write_refusal(verdict: Verdict, name: str) -> CognitoError | None:
    """Cognito's answer to a refused write: NotAuthorizedException for a permission, InvalidParameterException
    for the schema."""
    if verdict in (Verdict.VERIFIED_FLAG, Verdict.DEVELOPER_ONLY, Verdict.NOT_WRITABLE):
        return NotAuthorizedException(UNAUTHORIZED_WRITE)
    if verdict is Verdict.UNKNOWN:
        return schema_error(name, "Attribute does not exist in the schema.")
    if verdict is Verdict.SERVICE_OWNED:
        return schema_error(name, "cannot be modified")
    if verdict is Verdict.IMMUTABLE:
        return immutable_error(name)
    return None


def check_client_write(pool: UserPool, client: AppClient, names: Iterable[str], *, creating: bool) -> None:
    """Refuse the whole write at its first refused attribute (nothing is written)."""
    for name in names:
        refusal = write_refusal(write_verdict(pool, client, name, creating=creating), name)
        if refusal is not None:
            raise refusal


def check_client_delete(pool: UserPool, client: AppClient, names: Iterable[str]) -> None:
    """DeleteUserAttributes is a write of nothing: the same table, after creation."""
    for name in names:
        verdict = write_verdict(pool, client, name, creating=False)
        if verdict in (Verdict.UNKNOWN, Verdict.SERVICE_OWNED):
            raise InvalidParameterException(f"Invalid attribute name {name}")
        refusal = write_refusal(verdict, name)
        if refusal is not None:
            raise refusal

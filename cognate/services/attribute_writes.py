"""The one gate for attribute writes a user makes through an app client, and their audit trail (Cognito guide:
"User pool attributes" → "Attribute permissions and scopes").

SignUp, UpdateUserAttributes, DeleteUserAttributes and the NEW_PASSWORD_REQUIRED answer call `guard_write` /
`guard_delete` before anything is stored, whichever door (JSON API, hosted UI) they came through; the rule table is
`domain/attribute_access.py`. Admin use cases do not call it. The audit trail gets attribute names, never values.
"""

from __future__ import annotations

from collections.abc import Iterable

from cognate.domain.attribute_access import check_client_delete, check_client_write
from cognate.domain.clients import AppClient
from cognate.domain.errors import CognitoError
from cognate.domain.pools import UserPool
from cognate.services import audit
from cognate.services.deps import Deps

MAX_NAMES_DETAIL = 512  # the names come from the caller: bounded, so a request cannot bloat the trail


def names_detail(names: Iterable[str]) -> str:
    return ",".join(sorted(names))[:MAX_NAMES_DETAIL]


async def guard_write(deps: Deps, *, pool: UserPool, client: AppClient, names: Iterable[str], creating: bool,
                      event: str, sub: str | None = None) -> None:
    """Refuse (and audit) a write outside what this client may write for its user; nothing is stored then."""
    names = list(names)
    try:
        check_client_write(pool, client, names, creating=creating)
    except CognitoError as exc:
        await audit.record(deps, event, exc.name, pool_id=pool.id, client_id=client.id, sub=sub,
                           attributes=names_detail(names))
        raise


async def guard_delete(deps: Deps, *, pool: UserPool, client: AppClient, names: Iterable[str], event: str,
                       sub: str) -> None:
    names = list(names)
    try:
        check_client_delete(pool, client, names)
    except CognitoError as exc:
        await audit.record(deps, event, exc.name, pool_id=pool.id, client_id=client.id, sub=sub,
                           attributes=names_detail(names))
        raise


async def record_written(deps: Deps, event: str, *, pool: UserPool, client: AppClient, sub: str,
                         names: Iterable[str], outcome: str = "success") -> None:
    await audit.record(deps, event, outcome, pool_id=pool.id, client_id=client.id, sub=sub,
                       attributes=names_detail(names))

"""The hosted-UI single sign-on session (spec §1: a 1-hour cookie): created at sign-in, ended at /logout, and with
every other sign-in of the user when the password is reset or set by an administrator (`sign_out_everywhere`).

The browser holds a random id; the database holds only its keyed hash, so a dump cannot hijack sessions.
"""

from __future__ import annotations

import secrets

from cognate.domain.signin import UI_SESSION_SECONDS, UiSession
from cognate.domain.users import User
from cognate.services.deps import Deps
from cognate.store.base import UnitOfWork

CONTEXT = "ui-session"


def _hash(deps: Deps, raw: str) -> str:
    return deps.sealer.mac(raw, context=CONTEXT)


async def start_session(deps: Deps, user: User, *, auth_time: int) -> str:
    """A fresh id at every sign-in (session fixation defence)."""
    raw = secrets.token_urlsafe(32)
    now = deps.clock.now()
    async with deps.store.transaction() as tx:
        await tx.ui_sessions.add(UiSession(id_hash=_hash(deps, raw), pool_id=user.pool_id, sub=user.sub,
                                           auth_time=auth_time, created_at=now, expires_at=now + UI_SESSION_SECONDS))
    return raw


async def current_session(deps: Deps, raw: str | None, pool_id: str) -> tuple[UiSession, User] | None:
    """The live session of this pool and its (still enabled, confirmed) user, if the cookie names one."""
    if not raw:
        return None
    async with deps.store.transaction(readonly=True) as tx:
        session = await tx.ui_sessions.get(_hash(deps, raw))
        if session is None or session.pool_id != pool_id or session.expires_at <= deps.clock.now():
            return None
        user = await tx.users.get_by_sub(pool_id, session.sub)
    if user is None or not user.enabled or user.status != "CONFIRMED":
        return None
    return session, user


async def end_session(deps: Deps, raw: str | None) -> None:
    if raw:
        async with deps.store.transaction() as tx:
            await tx.ui_sessions.delete(_hash(deps, raw))


async def sign_out_everywhere(tx: UnitOfWork, pool_id: str, sub: str, now: float) -> None:
    """Inside the caller's transaction (the one that writes the new password): every refresh token of the user dies,
    with the access tokens minted from them, and so does every hosted-UI session. Whoever stole a session before a
    password reset loses it with the reset (OWASP ASVS 3.3.3; issue 12)."""
    await tx.tokens.revoke_user(pool_id, sub, now)
    for session in await tx.ui_sessions.for_user(sub):
        if session.pool_id == pool_id:
            await tx.ui_sessions.delete(session.id_hash)

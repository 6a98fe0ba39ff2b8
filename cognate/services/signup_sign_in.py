"""Signing in the browser that just created and confirmed an account, without asking for its password again.

Cognito's hosted UI goes back to the app after the sign-up code, and ConfirmSignUp answers a `Session` "that you can
use to immediately sign in the confirmed user" within the client's authentication session duration. Cognate's hosted
UI does the same with a proof sealed with the master key at sign-up, or at a sign-in with the right password of an
unconfirmed account (pool, user, app client, authorize request,
expiry), which the signing-up browser holds in an HttpOnly cookie. It is good only for the confirmation that this
very request just made, and a code confirms an account once (`codes.check_code` consumes it under a row lock), so a
replayed or copied proof signs no one in a second time. Everything else a sign-in checks still applies: the account
must be enabled, CONFIRMED and not locked out, and the sign-in is audited like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from cognate.domain.clients import AppClient
from cognate.domain.errors import CognitoError, NotAuthorizedException
from cognate.domain.pools import UserPool
from cognate.domain.triggers import Occasion, refuse_unrun_triggers
from cognate.domain.users import User
from cognate.services.audit import record
from cognate.services.authenticate import SignedIn, status_outcome
from cognate.services.challenges import open_state, seal_state
from cognate.services.deps import Deps
from cognate.services.lockout import refuse_if_counted_locked
from cognate.services.lookups import find_user

KIND = "signup-sign-in"
FLOW = "sign_up"


@dataclass(frozen=True)
class SignUpProof:
    """The sealed value for the browser that signed up, and how many seconds it is good for."""

    token: str
    lifetime: int


def seal_sign_up(deps: Deps, *, user: User, client: AppClient, query: str) -> SignUpProof:
    """Issued by the sign-up page to its browser; `query` is the authorize request to resume after the code."""
    lifetime = client.auth_session_validity * 60
    data = {"pool": user.pool_id, "sub": user.sub, "client": client.id, "query": query}
    return SignUpProof(seal_state(deps, KIND, data, lifetime), lifetime)


async def seal_after_password(deps: Deps, *, pool: UserPool, client: AppClient, username: str,
                              query: str) -> SignUpProof | None:
    """The same proof for a browser that has just given the right password of an account still UNCONFIRMED (the
    hosted UI's /login sends it to the confirm page): its code then ends that sign-in too."""
    async with deps.store.transaction(readonly=True) as tx:
        user = await find_user(tx, pool, username)
    if user is None or user.status != "UNCONFIRMED":
        return None
    return seal_sign_up(deps, user=user, client=client, query=query)


def resumed_request(deps: Deps, token: str | None, *, pool: UserPool, client: AppClient,
                    confirmed: User) -> str | None:
    """The authorize request to resume when `token` was sealed, not long ago, for this pool, this app client and the
    user this request has just confirmed; None otherwise (no proof, forged, expired, or another user's)."""
    if not token:
        return None
    try:
        data = open_state(deps, KIND, token)
    except NotAuthorizedException:
        return None
    if (data.get("pool"), data.get("client"), data.get("sub")) != (pool.id, client.id, confirmed.sub):
        return None
    query = data.get("query")
    return query if isinstance(query, str) else None


async def sign_in_confirmed(deps: Deps, *, pool: UserPool, client: AppClient, confirmed: User) -> User:
    """The sign-in rules of `authenticate.password_sign_in` once the password is taken as proven: the user as stored
    now, refused (NotAuthorizedException, UserNotConfirmedException, ...) when locked out, disabled or not CONFIRMED."""
    refuse_unrun_triggers(pool.lambda_config, Occasion.SIGN_IN)
    async with deps.store.transaction(readonly=True) as tx:
        user = await tx.users.get_by_sub(pool.id, confirmed.sub)
        count = await tx.failures.get(confirmed.sub) if user is not None else None
    try:
        if user is None:
            raise NotAuthorizedException("User does not exist.")
        refuse_if_counted_locked(deps, count)
        if not isinstance(status_outcome(deps, pool, user), SignedIn):
            raise NotAuthorizedException("The user must choose a new password first.")
    except CognitoError as exc:
        await record(deps, "sign_in", exc.name, pool_id=pool.id, client_id=client.id, sub=confirmed.sub, flow=FLOW)
        raise
    await record(deps, "sign_in", "success", pool_id=pool.id, client_id=client.id, sub=user.sub, flow=FLOW)
    return user

"""The JSON API's sign-in flows (spec §6 InitiateAuth / RespondToAuthChallenge, §7 SRP, §8 SECRET_HASH).

Each flow ends in the same minting service as the hosted UI, with Cognito's API scope.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from cognate.crypto import srp
from cognate.domain.clients import AppClient
from cognate.domain.errors import (
    InvalidParameterException,
    NotAuthorizedException,
)
from cognate.domain.ids import pool_name_part
from cognate.domain.pools import UserPool
from cognate.domain.scopes import ADMIN_SCOPE
from cognate.domain.tokens import Grant
from cognate.domain.triggers import Occasion, refuse_unrun_triggers
from cognate.domain.users import User, username_key
from cognate.services import audit, mfa
from cognate.services.authenticate import (
    NewPasswordRequired,
    SignedIn,
    after_password,
    before_secret,
    complete_new_password,
    password_sign_in,
)
from cognate.services.challenges import SESSION_KIND, Challenge, open_state, seal_state
from cognate.services.client_auth import check_secret_hash, secret_matches
from cognate.services.deps import Deps
from cognate.services.lookups import find_user, require_pool
from cognate.services.passwords import srp_verifier
from cognate.services.tokens.minting import TokenSet, mint_tokens, new_origin_jti
from cognate.services.tokens.refresh import refresh_tokens
from cognate.services.tokens.revocation import origin_of_refresh
from cognate.services.user_existence import WRONG_PASSWORD, hides_existence, sign_in_refusal

SRP_KIND = "srp-secret-block"
TIMESTAMP_FORMAT = "%a %b %d %H:%M:%S UTC %Y"
TIMESTAMP_SKEW = 300


AuthResult = TokenSet | Challenge


# With only legacy ExplicitAuthFlows (no `ALLOW_*`), Cognito keeps SRP and refresh always on (spec §3).
ALWAYS_ON_WITH_LEGACY = frozenset({"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH"})


def require_flow(client: AppClient, flow: str) -> None:
    legacy_only = not any(f.startswith("ALLOW_") for f in client.explicit_auth_flows)
    if legacy_only and client.explicit_auth_flows and flow in ALWAYS_ON_WITH_LEGACY:
        return
    if not client.allows_auth_flow(f"ALLOW_{flow}"):
        raise InvalidParameterException(f"{flow} flow not enabled for this client")


async def _api_tokens(deps: Deps, pool: UserPool, client: AppClient, user: User) -> TokenSet:
    grant = Grant(pool=pool, client=client, user=user, scopes=(ADMIN_SCOPE,), auth_time=int(deps.clock.now()),
                  origin_jti=new_origin_jti())
    return await mint_tokens(deps, grant, issue_refresh_token=True, issue_id_token=True)


def _new_password_challenge(deps: Deps, client: AppClient, user: User, pool: UserPool) -> Challenge:
    session = seal_state(deps, SESSION_KIND, {"sub": user.sub, "client": client.id, "challenge":
                                              "NEW_PASSWORD_REQUIRED"}, client.auth_session_validity * 60)
    visible = {k: v for k, v in user.attributes.items() if k not in ("email_verified", "phone_number_verified")}
    required = [f"userAttributes.{n}" for n in pool.required_attributes if not user.attributes.get(n)]
    return Challenge("NEW_PASSWORD_REQUIRED", session, {
        "USER_ID_FOR_SRP": user.username, "requiredAttributes": json.dumps(required),
        "userAttributes": json.dumps(visible)})


async def _finish(deps: Deps, pool: UserPool, client: AppClient, outcome: SignedIn | NewPasswordRequired
                  ) -> AuthResult:
    if isinstance(outcome, NewPasswordRequired):
        return _new_password_challenge(deps, client, outcome.user, pool)
    challenge = mfa.challenge_after_password(deps, pool, client, outcome.user)
    if challenge is not None:
        return challenge
    return await _api_tokens(deps, pool, client, outcome.user)


async def password_auth(deps: Deps, *, pool: UserPool, client: AppClient, username: str, password: str,
                        secret_hash: str | None) -> AuthResult:
    """USER_PASSWORD_AUTH / ADMIN_USER_PASSWORD_AUTH (the caller checked which flow the client allows)."""
    async with deps.store.transaction(readonly=True) as tx:
        found = await find_user(tx, pool, username)
    check_secret_hash(client, (username, found.username if found else ""), secret_hash)
    outcome = await password_sign_in(deps, pool=pool, client=client, username=username, password=password)
    return await _finish(deps, pool, client, outcome)


async def refresh_auth(deps: Deps, *, pool: UserPool, client: AppClient, refresh_token: str,
                       secret_hash: str | None, username: str | None) -> TokenSet:
    """REFRESH_TOKEN_AUTH: the shared refresh (same sign-in, origin_jti and auth_time) after SECRET_HASH, which
    for refreshes is made with the internal username (spec §8). Cognito: "You can't authenticate with
    REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled"; those use GetTokensFromRefreshToken."""
    if client.refresh_rotation:
        raise InvalidParameterException(
            "Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken")
    if client.secret is not None:
        origin = await origin_of_refresh(deps, client, refresh_token)
        async with deps.store.transaction(readonly=True) as tx:
            user = await tx.users.get_by_sub(pool.id, origin.sub) if origin and origin.sub else None
        check_secret_hash(client, (user.username if user else "", username or ""), secret_hash)
    return await refresh_tokens(deps, client, refresh_token, oauth=False)


async def tokens_from_refresh(deps: Deps, *, client: AppClient, refresh_token: str,
                              client_secret: str | None) -> TokenSet:
    """GetTokensFromRefreshToken: the same refresh as REFRESH_TOKEN_AUTH, proven with the client secret itself
    (not a SECRET_HASH); with rotation on, the answer carries the replacement refresh token."""
    if client.secret is not None and not client_secret:
        raise NotAuthorizedException(f"Client {client.id} is configured for secret but secret was not received")
    if client.secret is not None and not secret_matches(client, client_secret):
        raise NotAuthorizedException(f"Unable to verify secret for client {client.id}")
    return await refresh_tokens(deps, client, refresh_token, oauth=False)


SIMULATED_SRP_CONTEXT = "srp-unknown-user"


def _simulated_srp_user(deps: Deps, pool: UserPool, username: str) -> tuple[str, str]:
    """USER_ID_FOR_SRP and SALT for a user that does not exist (Cognito: "the same salt and internal user id in UUID
    format for the same user name and user pool"), shaped like a real user's so they do not give the name away:
    the typed name where internal ids are usernames, else a version-4 UUID like a real sub; the salt as long as
    `srp.new_salt`'s. Keyed with the deployment's key: nobody outside can recompute them and compare (issue 12)."""
    key = username_key(pool, username)  # as stable across spellings as a real user's answer
    digest = bytes.fromhex(deps.sealer.mac(f"{pool.id}/{key}", context=SIMULATED_SRP_CONTEXT))
    user_id = str(uuid.UUID(bytes=digest[:16], version=4)) if pool.username_attributes else key
    return user_id, srp.pad_hex(int.from_bytes(digest[16:32], "big"))


async def srp_start(deps: Deps, *, pool: UserPool, client: AppClient, username: str, srp_a: str,
                    secret_hash: str | None) -> Challenge:
    """Step 1: B, salt and a sealed SECRET_BLOCK that carries b (pycognito never returns the Session)."""
    if not pool.srp_enabled:
        raise InvalidParameterException("USER_SRP_AUTH is turned off for this user pool (Cognate: the pool was "
                                        "created or updated with --no-srp); use USER_PASSWORD_AUTH.")
    a = srp.valid_a(srp_a)
    if a is None:
        raise NotAuthorizedException(WRONG_PASSWORD)
    async with deps.store.transaction(readonly=True) as tx:
        user = await find_user(tx, pool, username)
    check_secret_hash(client, (username, user.username if user else ""), secret_hash)
    refuse_unrun_triggers(pool.lambda_config, Occasion.SIGN_IN, *([] if user else [Occasion.UNKNOWN_USER]))
    if user is None and not hides_existence(client):
        raise sign_in_refusal(client)
    v = srp_verifier(deps, user) if user else None
    fake_id, fake_salt = _simulated_srp_user(deps, pool, username)  # for every name: both paths do the same work
    user_id = user.username if user else fake_id
    salt = user.srp_salt if user and user.srp_salt else fake_salt
    b, big_b = srp.server_ephemeral(v if v is not None else 1)
    block = seal_state(deps, SRP_KIND, {"b": f"{b:x}", "B": f"{big_b:x}", "A": srp_a, "user": user_id,
                                        "sub": user.sub if user else None, "client": client.id}, 300)
    return Challenge("PASSWORD_VERIFIER", None, {"SALT": salt, "SRP_B": f"{big_b:x}", "SECRET_BLOCK": block,
                                                  "USER_ID_FOR_SRP": user_id, "USERNAME": user_id})


def _fresh_timestamp(deps: Deps, timestamp: str) -> bool:
    try:
        sent = dt.datetime.strptime(timestamp, TIMESTAMP_FORMAT).replace(tzinfo=dt.UTC).timestamp()
    except ValueError:
        return False
    return abs(sent - deps.clock.now()) <= TIMESTAMP_SKEW


async def srp_verify(deps: Deps, *, pool: UserPool, client: AppClient, responses: dict[str, str]) -> AuthResult:
    """Step 2: check PASSWORD_CLAIM_SIGNATURE against the key both sides derive (spec §7)."""
    state = open_state(deps, SRP_KIND, responses.get("PASSWORD_CLAIM_SECRET_BLOCK"))
    if state.get("client") != client.id or not state.get("sub"):
        raise NotAuthorizedException(WRONG_PASSWORD)
    async with deps.store.transaction(readonly=True) as tx:
        user = await tx.users.get_by_sub(pool.id, str(state["sub"]))
    if user is None:
        raise NotAuthorizedException(WRONG_PASSWORD)
    check_secret_hash(client, (user.username, responses.get("USERNAME", "")), responses.get("SECRET_HASH"))
    timestamp = responses.get("TIMESTAMP", "")
    if not _fresh_timestamp(deps, timestamp):
        raise NotAuthorizedException("Timestamp is not in the correct format or outside the allowed window.")
    await before_secret(deps, pool=pool, client=client, user=user)  # so parallel proofs meet the lock too
    v = srp_verifier(deps, user)
    key = srp.session_key(int(state["A"], 16), int(state["B"], 16), int(state["b"], 16), v) if v else None
    claimed = responses.get("PASSWORD_CLAIM_SIGNATURE", "")
    expected = srp.signature(key, pool_name_part(pool.id), user.username,
                             responses["PASSWORD_CLAIM_SECRET_BLOCK"], timestamp) if key else ""
    if not key or not srp.signatures_match(expected, claimed):
        await audit.record(deps, "sign_in", "failure", pool_id=pool.id, client_id=client.id, sub=user.sub,
                           reason="wrong password", flow="srp")
        raise NotAuthorizedException(WRONG_PASSWORD)
    outcome = await after_password(deps, pool=pool, client=client, user=user, flow="srp")
    return await _finish(deps, pool, client, outcome)


async def answer_new_password(deps: Deps, *, pool: UserPool, client: AppClient, session: str | None,
                              responses: dict[str, str]) -> AuthResult:
    """NEW_PASSWORD_REQUIRED: `NEW_PASSWORD` plus any `userAttributes.<name>` the pool requires."""
    state = open_state(deps, SESSION_KIND, session)
    if state.get("client") != client.id or state.get("challenge") != "NEW_PASSWORD_REQUIRED":
        raise NotAuthorizedException("Invalid session for the user.")
    async with deps.store.transaction(readonly=True) as tx:
        user = await tx.users.get_by_sub(pool.id, str(state["sub"]))
    if user is None:
        raise NotAuthorizedException("Invalid session for the user.")
    check_secret_hash(client, (user.username, responses.get("USERNAME", "")), responses.get("SECRET_HASH"))
    new_password = responses.get("NEW_PASSWORD")
    if not new_password:
        raise InvalidParameterException("Missing required parameter NEW_PASSWORD")
    attrs = {k.removeprefix("userAttributes."): v for k, v in responses.items() if k.startswith("userAttributes.")}
    updated = await complete_new_password(deps, pool=pool, client=client, user=user, new_password=new_password,
                                          attributes=attrs)
    return await _finish(deps, pool, client, SignedIn(updated))


async def answer_software_token(deps: Deps, *, pool: UserPool, client: AppClient, session: str | None,
                                responses: dict[str, str]) -> TokenSet:
    """SOFTWARE_TOKEN_MFA: the authenticator's current code finishes the sign-in."""
    user = await mfa.challenged_user(deps, pool=pool, client=client, session=session, challenge="SOFTWARE_TOKEN_MFA")
    check_secret_hash(client, (user.username, responses.get("USERNAME", "")), responses.get("SECRET_HASH"))
    await mfa.finish_code_sign_in(deps, pool=pool, client=client, user=user, session=session,
                                  code=responses.get("SOFTWARE_TOKEN_MFA_CODE", ""))
    return await _api_tokens(deps, pool, client, user)


async def answer_mfa_setup(deps: Deps, *, pool: UserPool, client: AppClient, session: str | None,
                           responses: dict[str, str]) -> TokenSet:
    """MFA_SETUP: once VerifySoftwareToken turned TOTP on with this Session, the sign-in finishes."""
    user = await mfa.challenged_user(deps, pool=pool, client=client, session=session, challenge="MFA_SETUP")
    check_secret_hash(client, (user.username, responses.get("USERNAME", "")), responses.get("SECRET_HASH"))
    await mfa.finish_setup_sign_in(deps, pool=pool, client=client, user=user)
    return await _api_tokens(deps, pool, client, user)


async def pool_of_client(deps: Deps, client: AppClient) -> UserPool:
    async with deps.store.transaction(readonly=True) as tx:
        return await require_pool(tx, client.pool_id)

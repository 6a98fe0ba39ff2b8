"""Cognito's token claim sets (spec §2): what goes into ID and access tokens, and which attributes a client sees."""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import Any

from cognate.domain.attribute_access import readable_attributes
from cognate.domain.attributes import VERIFIED_FLAGS
from cognate.domain.clients import AppClient
from cognate.domain.groups import Group
from cognate.domain.pools import UserPool
from cognate.domain.users import User

BOOLEAN_CLAIMS = frozenset(VERIFIED_FLAGS.values())
SCOPE_ATTRIBUTES = {
    "email": ("email", "email_verified"),
    "phone": ("phone_number", "phone_number_verified"),
}


@dataclass(frozen=True)
class Grant:
    """Who was signed in, for which client and scopes, and when: everything a token set is minted from."""

    pool: UserPool
    client: AppClient
    user: User | None
    scopes: tuple[str, ...]
    auth_time: int
    origin_jti: str
    oauth: bool = False  # OAuth flows limit ID-token attributes to the scopes; API flows do not
    nonce: str | None = None


def scope_attributes(scopes: Iterable[str], readable: frozenset[str]) -> frozenset[str]:
    """The attributes an OAuth grant may reveal: email/phone by scope, `profile` = all readable."""
    granted = set(scopes)
    if "profile" in granted:
        return readable
    names = {name for scope in granted for name in SCOPE_ATTRIBUTES.get(scope, ())}
    return frozenset(names & readable)


def attribute_claims(user: User, names: frozenset[str]) -> dict[str, Any]:
    """Attributes as claims: verified flags are JSON booleans, `custom:*` and the rest stay strings."""
    out: dict[str, Any] = {}
    for name, value in user.attributes.items():
        if name in names and name != "sub":
            out[name] = (value == "true") if name in BOOLEAN_CLAIMS else value
    return out


def group_claims(groups: list[Group]) -> dict[str, Any]:
    """`cognito:groups` by precedence (lowest first), roles only when groups carry them; nothing without groups."""
    if not groups:
        return {}
    ordered = sorted(groups, key=lambda g: (g.precedence is None, g.precedence or 0, g.name))
    out: dict[str, Any] = {"cognito:groups": [g.name for g in ordered]}
    roles = [g.role_arn for g in ordered if g.role_arn]
    if roles:
        out["cognito:roles"] = roles
        out["cognito:preferred_role"] = roles[0]
    return out


def access_claims(
    grant: Grant, *, issuer: str, jti: str, event_id: str, iat: int, exp: int, groups: list[Group]
) -> dict[str, Any]:
    if grant.user is None:  # client_credentials: the client is the subject
        return {
            "sub": grant.client.id,
            "token_use": "access",
            "scope": " ".join(grant.scopes),
            "auth_time": iat,
            "iss": issuer,
            "exp": exp,
            "iat": iat,
            "version": 2,
            "jti": jti,
            "client_id": grant.client.id,
        }
    return {
        "sub": grant.user.sub,
        **group_claims(groups),
        "iss": issuer,
        "version": 2,
        "client_id": grant.client.id,
        "origin_jti": grant.origin_jti,
        "event_id": event_id,
        "token_use": "access",
        "scope": " ".join(grant.scopes),
        "auth_time": grant.auth_time,
        "exp": exp,
        "iat": iat,
        "jti": jti,
        "username": grant.user.username,
    }


def id_claims(
    grant: Grant,
    *,
    issuer: str,
    jti: str,
    event_id: str,
    iat: int,
    exp: int,
    groups: list[Group],
    at_hash: str | None = None,
) -> dict[str, Any]:
    assert grant.user is not None
    readable = readable_attributes(grant.pool, grant.client)
    names = scope_attributes(grant.scopes, readable) if grant.oauth else readable
    claims: dict[str, Any] = {"sub": grant.user.sub, **group_claims(groups)}
    claims.update(attribute_claims(grant.user, names))
    claims.update(
        {
            "iss": issuer,
            "cognito:username": grant.user.username,
            "origin_jti": grant.origin_jti,
            "aud": grant.client.id,
            "event_id": event_id,
            "token_use": "id",
            "auth_time": grant.auth_time,
            "exp": exp,
            "iat": iat,
            "jti": jti,
        }
    )
    if grant.nonce is not None:
        claims["nonce"] = grant.nonce
    if at_hash is not None:
        claims["at_hash"] = at_hash
    return claims


def userinfo_claims(user: User, scopes: Iterable[str], readable: frozenset[str]) -> dict[str, Any]:
    """The userInfo response: `sub`, `username` and the attributes the access token's scopes allow (spec §1.3)."""
    names = scope_attributes(scopes, readable)
    out: dict[str, Any] = {"sub": user.sub}
    out.update({k: str(v).lower() if isinstance(v, bool) else v for k, v in attribute_claims(user, names).items()})
    out["username"] = user.username
    return out


def effective_scopes(
    requested: Iterable[str] | None, allowed: Iterable[str], existing_custom: Container[str]
) -> tuple[str, ...]:
    """Requested ∩ allowed (all allowed when none requested); custom scopes whose server is gone are dropped."""
    allowed_list = list(allowed)
    chosen = allowed_list if requested is None else [s for s in allowed_list if s in set(requested)]
    return tuple(s for s in chosen if "/" not in s or s in existing_custom)

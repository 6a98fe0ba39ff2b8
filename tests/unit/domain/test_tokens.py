"""Cognito's claim sets (spec §2), as pure functions: which claims an ID, access (user or client_credentials) and
userInfo answer carry, which attributes a client and its scopes reveal, and how groups and scopes are chosen."""

from __future__ import annotations

from typing import Any

from cognate.domain.clients import AppClient
from cognate.domain.groups import Group
from cognate.domain.pools import build_pool
from cognate.domain.tokens import (
    Grant,
    access_claims,
    attribute_claims,
    effective_scopes,
    group_claims,
    id_claims,
    scope_attributes,
    userinfo_claims,
)
from cognate.domain.users import User

POOL = build_pool("eu-west-2_abcdefghi", {"PoolName": "p", "Schema": [
    {"Name": "tier", "AttributeDataType": "String"},
    {"Name": "secret", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}]}, 1.0)
CLIENT = AppClient(id="c" * 26, pool_id=POOL.id, name="app", created_at=1.0, updated_at=1.0)
USER = User(pool_id=POOL.id, username="internal-name", sub="sub-1", created_at=1.0, updated_at=1.0, attributes={
    "sub": "sub-1", "email": "jane@example.com", "email_verified": "true", "phone_number": "+15550100",
    "phone_number_verified": "false", "name": "Jane", "custom:tier": "7", "dev:custom:secret": "s"})
TIMES: dict[str, Any] = {"issuer": "https://id.example.com/" + POOL.id, "jti": "j-1", "event_id": "e-1",
                         "iat": 1000, "exp": 4600}
COMMON = {"iss", "iat", "exp", "jti", "token_use", "auth_time", "sub"}


def grant(**overrides: Any) -> Grant:
    fields: dict[str, Any] = {"pool": POOL, "client": CLIENT, "user": USER, "scopes": ("openid", "email"),
                              "auth_time": 900, "origin_jti": "o-1"}
    return Grant(**{**fields, **overrides})


def group(name: str, precedence: int | None = None, role: str | None = None) -> Group:
    return Group(pool_id=POOL.id, name=name, created_at=1.0, updated_at=1.0, precedence=precedence, role_arn=role)


def test_user_access_token_carries_cognitos_claims_and_no_attributes() -> None:
    claims = access_claims(grant(), groups=[], **TIMES)
    assert claims == {"sub": "sub-1", "iss": TIMES["issuer"], "version": 2, "client_id": CLIENT.id,
                      "origin_jti": "o-1", "event_id": "e-1", "token_use": "access", "scope": "openid email",
                      "auth_time": 900, "exp": 4600, "iat": 1000, "jti": "j-1", "username": "internal-name"}


def test_client_credentials_access_token_names_the_client_and_nothing_of_a_user() -> None:
    claims = access_claims(grant(user=None, scopes=("https://api/read",)), groups=[group("g")], **TIMES)
    assert claims["sub"] == claims["client_id"] == CLIENT.id
    assert claims["auth_time"] == claims["iat"] == 1000 and claims["scope"] == "https://api/read"
    assert not {"origin_jti", "event_id", "username", "cognito:groups"} & claims.keys()


def test_id_token_from_the_api_carries_every_readable_attribute_typed_as_cognito_types_them() -> None:
    claims = id_claims(grant(), groups=[], **TIMES)
    assert COMMON | {"aud", "cognito:username", "origin_jti", "event_id"} <= claims.keys()
    assert claims["token_use"] == "id" and claims["aud"] == CLIENT.id and claims["cognito:username"] == "internal-name"
    assert claims["email_verified"] is True and claims["phone_number_verified"] is False  # JSON booleans
    assert claims["custom:tier"] == "7"  # custom attributes stay strings
    assert "dev:custom:secret" not in claims and "scope" not in claims and "client_id" not in claims
    assert "nonce" not in claims and "at_hash" not in claims


def test_id_token_from_oauth_reveals_only_what_the_scopes_allow_plus_nonce_and_at_hash() -> None:
    claims = id_claims(grant(oauth=True, nonce="n-1"), groups=[], at_hash="h-1", **TIMES)
    assert {"email", "email_verified"} <= claims.keys()
    assert not {"phone_number", "name", "custom:tier"} & claims.keys()
    assert claims["nonce"] == "n-1" and claims["at_hash"] == "h-1"


def test_id_token_respects_the_clients_read_attributes() -> None:
    narrow = AppClient(id="d" * 26, pool_id=POOL.id, name="narrow", created_at=1.0, updated_at=1.0,
                       read_attributes=("name",))
    claims = id_claims(grant(client=narrow), groups=[], **TIMES)
    assert claims["name"] == "Jane" and "email" not in claims and claims["sub"] == "sub-1"


def test_groups_by_precedence_lowest_first_with_roles_only_when_some_group_has_one() -> None:
    assert group_claims([]) == {}
    assert group_claims([group("b", 5), group("a")]) == {"cognito:groups": ["b", "a"]}
    claims = group_claims([group("late", 9, "arn:late"), group("none"), group("early", 1, "arn:early")])
    assert claims == {"cognito:groups": ["early", "late", "none"], "cognito:roles": ["arn:early", "arn:late"],
                      "cognito:preferred_role": "arn:early"}
    assert access_claims(grant(), groups=[group("g", 1)], **TIMES)["cognito:groups"] == ["g"]


def test_scope_attributes_email_and_phone_by_scope_profile_means_everything_readable() -> None:
    readable = frozenset({"email", "email_verified", "phone_number", "phone_number_verified", "name"})
    assert scope_attributes(["openid"], readable) == frozenset()
    assert scope_attributes(["email"], readable) == {"email", "email_verified"}
    assert scope_attributes(["phone"], readable) == {"phone_number", "phone_number_verified"}
    assert scope_attributes(["profile"], readable) == readable
    assert scope_attributes(["email"], frozenset({"email"})) == {"email"}  # never more than the client may read


def test_attribute_claims_never_repeat_sub() -> None:
    assert attribute_claims(USER, frozenset({"sub", "name"})) == {"name": "Jane"}


def test_userinfo_has_sub_username_and_scope_attributes_with_verified_flags_as_strings() -> None:
    readable = frozenset({"email", "email_verified", "name"})
    assert userinfo_claims(USER, ["openid", "email"], readable) == {
        "sub": "sub-1", "email": "jane@example.com", "email_verified": "true", "username": "internal-name"}


def test_effective_scopes_intersect_keep_the_allowed_order_and_drop_orphaned_custom_scopes() -> None:
    allowed = ["openid", "email", "https://api/read", "https://gone/write"]
    existing = {"https://api/read"}
    assert effective_scopes(None, allowed, existing) == ("openid", "email", "https://api/read")
    assert effective_scopes(["https://api/read", "openid", "phone"], allowed, existing) == (
        "openid", "https://api/read")
    assert effective_scopes([], allowed, existing) == ()

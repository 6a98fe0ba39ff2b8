"""Users of a pool: usernames, aliases, statuses and attribute rules (spec §5, guide: user-pool-settings-attributes)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from cognate.domain._checks import fail
from cognate.domain.attributes import EMAIL_RE, PHONE_RE, VERIFIED_FLAGS, validate_value
from cognate.domain.errors import InvalidParameterException
from cognate.domain.mfa import UserMfa
from cognate.domain.pools import UserPool

STATUSES = frozenset({"UNCONFIRMED", "CONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED", "EXTERNAL_PROVIDER"})
USERNAME_RE = re.compile(r"^[\w\-.+@=,:;!#$%&'*/?^`{|}~\[\]()<>\"\\]+$", re.UNICODE)
MAX_USERNAME = 128
# Attributes no one writes directly: the service keeps them.
SERVICE_OWNED = frozenset({"sub"})


@dataclass(frozen=True)
class User:
    pool_id: str
    username: str
    sub: str
    created_at: float
    updated_at: float
    attributes: Mapping[str, str] = field(default_factory=dict)
    status: str = "UNCONFIRMED"
    enabled: bool = True
    password_hash: str | None = None
    srp_salt: str | None = None
    srp_verifier: str | None = None  # sealed at rest (spec §7: set with the password, never derivable later)
    mfa: UserMfa = field(default_factory=UserMfa)

    @property
    def email(self) -> str | None:
        return self.attributes.get("email")

    def is_verified(self, attribute: str) -> bool:
        return self.attributes.get(VERIFIED_FLAGS.get(attribute, ""), "false") == "true"

    def attributes_with_sub(self) -> dict[str, str]:
        return {"sub": self.sub, **{k: v for k, v in self.attributes.items() if k != "sub"}}


def normalise_username(value: str) -> str:
    """NFKC so look-alike compatibility forms collapse to one account name."""
    return unicodedata.normalize("NFKC", value)


def username_key(pool: UserPool, username: str) -> str:
    """The database key: case-folded unless the pool is case-sensitive (spec §5)."""
    value = normalise_username(username)
    return value if pool.case_sensitive else value.lower()


def check_username(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise fail("1 validation error detected: Value at 'username' failed to satisfy constraint: "
                   "Member must not be null")
    if len(value) > MAX_USERNAME or any(c.isspace() for c in value) or not value.isprintable():
        raise fail("1 validation error detected: Value at 'username' failed to satisfy constraint: "
                   "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+")
    return normalise_username(value)


def resolve_new_username(pool: UserPool, typed: str, attributes: dict[str, str], sub: str) -> str:
    """The internal username of a new user; with UsernameAttributes it is the sub and the typed value an attribute."""
    typed = check_username(typed)
    if pool.username_attributes:
        if "email" in pool.username_attributes and EMAIL_RE.match(typed):
            attributes.setdefault("email", typed)
            if attributes["email"] != typed:
                raise fail("Username should be either an email or a phone number.")
        elif "phone_number" in pool.username_attributes and PHONE_RE.match(typed):
            attributes.setdefault("phone_number", typed)
        else:
            kinds = " or ".join("an email" if a == "email" else "a phone number" for a in pool.username_attributes)
            raise fail(f"Username should be {kinds}.")
        return sub
    if "email" in pool.alias_attributes and EMAIL_RE.match(typed):
        raise fail("Username cannot be of email format, since user pool is configured for email alias.")
    if "phone_number" in pool.alias_attributes and PHONE_RE.match(typed):
        raise fail("Username cannot be of phone number format, since user pool is configured for phone_number alias.")
    return typed


def schema_error(name: str, problem: str) -> InvalidParameterException:
    return fail(f"Attributes did not conform to the schema: {name}: {problem}")


def immutable_error(name: str) -> InvalidParameterException:
    """Cognito's text for a change to an attribute that is not Mutable (set at creation only)."""
    return fail(f"user.{name}: Attribute cannot be updated. (changing an immutable attribute)")


def normalised_attributes(pool: UserPool, attrs: Mapping[str, str]) -> dict[str, str]:
    """Boolean attributes as Cognito stores them: it takes `"True"` or `"FALSE"` (as some SDKs and Terraform send
    them) and keeps `"true"`/`"false"`; other values are left to `check_attributes`."""
    out = dict(attrs)
    for name, value in attrs.items():
        attr = pool.attribute(name)
        if attr is not None and attr.data_type == "Boolean" and value.lower() in ("true", "false"):
            out[name] = value.lower()
    return out


def check_attributes(pool: UserPool, attrs: Mapping[str, str], *, creating: bool,
                     require: bool | None = None) -> None:
    """Schema checks Cognito names 'Attributes did not conform to the schema'. `creating` allows immutable
    attributes; required ones are checked when creating unless `require` is False (AdminCreateUser: a missing
    required attribute is asked for at the first sign-in, in NEW_PASSWORD_REQUIRED)."""
    for name, value in attrs.items():
        attr = pool.attribute(name)
        if attr is None:
            raise schema_error(name, "Attribute does not exist in the schema.")
        if name in SERVICE_OWNED:
            raise schema_error(name, "cannot be modified")
        if not creating and not attr.mutable:
            raise immutable_error(name)
        validate_value(attr, value)
    if creating if require is None else require:
        for name in pool.required_attributes:
            if not attrs.get(name):
                raise schema_error(name, "The attribute is required")


def alias_keys(pool: UserPool, user: User) -> dict[str, str]:
    """Attribute → lookup key of the values that must be unique in the pool and sign in like a username."""
    keys: dict[str, str] = {}
    if pool.username_attributes:
        for name in pool.username_attributes:
            if user.attributes.get(name):
                keys[name] = user.attributes[name].lower()
        return keys
    for name in pool.alias_attributes:
        value = user.attributes.get(name)
        if value and (name == "preferred_username" or user.is_verified(name)):
            keys[name] = value if (name == "preferred_username" and pool.case_sensitive) else value.lower()
    return keys


def with_attributes(user: User, changes: Mapping[str, str], now: float) -> User:
    """Changing email or phone drops its verified flag unless the change sets it too (as Cognito does)."""
    merged = dict(user.attributes)
    for name, value in changes.items():
        merged[name] = value
        flag = VERIFIED_FLAGS.get(name)
        if flag and flag not in changes and user.attributes.get(name) != value:
            merged[flag] = "false"
    return replace(user, attributes=merged, updated_at=now)


def without_attributes(pool: UserPool, user: User, names: list[str], now: float) -> User:
    for name in names:
        attr = pool.attribute(name)
        if attr is None or name in SERVICE_OWNED:
            raise fail(f"Invalid attribute name {name}")
        if attr.required:
            raise schema_error(name, "The attribute is required")
    # An address that is gone cannot stay verified: its flag goes with it.
    gone = {*names, *(VERIFIED_FLAGS[n] for n in names if n in VERIFIED_FLAGS)}
    kept = {k: v for k, v in user.attributes.items() if k not in gone}
    return replace(user, attributes=kept, updated_at=now)


def user_to_cognito(user: User, *, full: bool = False) -> dict[str, Any]:
    """`UserType` (ListUsers, AdminCreateUser); `full` gives AdminGetUser's flat shape."""
    attrs = [{"Name": k, "Value": v} for k, v in user.attributes_with_sub().items()]
    out: dict[str, Any] = {
        "Username": user.username,
        "Enabled": user.enabled,
        "UserStatus": user.status,
        "UserCreateDate": user.created_at,
        "UserLastModifiedDate": user.updated_at,
    }
    out["UserAttributes" if full else "Attributes"] = attrs
    if full:
        out.update(mfa_to_cognito(user))
    return out


def mfa_to_cognito(user: User) -> dict[str, Any]:
    """GetUser / AdminGetUser's `PreferredMfaSetting` and `UserMFASettingList`, left out when empty (Cognito)."""
    out: dict[str, Any] = {}
    preferred = user.mfa.preferred_setting()
    if preferred:
        out["PreferredMfaSetting"] = preferred
    if user.mfa.settings_list():
        out["UserMFASettingList"] = user.mfa.settings_list()
    return out

"""App clients: every CreateUserPoolClient field of the spec (§3) and Cognito's rules about combining them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from cognate.domain._checks import check_bool, check_choices, check_int, check_name, check_str_list, fail, mapping
from cognate.domain.errors import InvalidOAuthFlowException
from cognate.domain.redirects import check_redirect_url, check_redirect_urls
from cognate.domain.scopes import BUILTIN_SCOPES, OPENID, OPENID_DEPENDENT, check_allowed_scopes

OAUTH_FLOWS = frozenset({"code", "implicit", "client_credentials"})
ALLOW_FLOWS = frozenset({
    "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH",
})
LEGACY_FLOWS = frozenset({"ADMIN_NO_SRP_AUTH", "CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"})
# Flows whose Cognito behaviour is a Lambda trigger's, which Cognate does not run (yet): refused with this text
# rather than answered differently.
TRIGGER_FLOWS = {"CUSTOM_AUTH": "Cognate does not run custom auth Lambda triggers (DefineAuthChallenge, "
                                "CreateAuthChallenge, VerifyAuthChallengeResponse) yet: CUSTOM_AUTH is not supported."}
DEFAULT_AUTH_FLOWS = ("ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH")
BUILTIN_IDPS = frozenset({"COGNITO"})
UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
# (default value, default unit, minimum seconds, maximum seconds) per token kind (spec §2 "Validity").
VALIDITY = {
    "AccessToken": (60, "minutes", 300, 86400),
    "IdToken": (60, "minutes", 300, 86400),
    "RefreshToken": (30, "days", 3600, 3650 * 86400),
}
LEGACY_UNIT = {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"}
PKCE_FIELD = "CognatePkceRequired"  # a Cognate extension: botocore's model does not know it, Cognate echoes it
MAX_CLIENTS_PER_POOL = 1000


@dataclass(frozen=True)
class TokenValidity:
    """What the client asked for (echoed back) and what it means in seconds."""

    access: int | None = None
    id: int | None = None
    refresh: int = 30
    units: tuple[tuple[str, str], ...] = ()

    def unit(self, kind: str) -> str:
        return dict(self.units).get(kind, LEGACY_UNIT[kind])

    def seconds(self, kind: str) -> int:
        value = {"AccessToken": self.access, "IdToken": self.id, "RefreshToken": self.refresh}[kind]
        default, default_unit, _, _ = VALIDITY[kind]
        if value is None:
            return default * UNITS[default_unit]
        if kind == "RefreshToken" and value == 0:
            return 30 * 86400
        return value * UNITS[self.unit(kind)]


@dataclass(frozen=True)
class AppClient:
    id: str
    pool_id: str
    name: str
    created_at: float
    updated_at: float
    secret: str | None = None  # the oldest of its secrets: the one DescribeUserPoolClient shows
    other_secrets: tuple[str, ...] = ()  # a second one during a rotation (AddUserPoolClientSecret)
    validity: TokenValidity = TokenValidity()
    read_attributes: tuple[str, ...] | None = None
    write_attributes: tuple[str, ...] | None = None
    explicit_auth_flows: tuple[str, ...] = DEFAULT_AUTH_FLOWS
    supported_identity_providers: tuple[str, ...] = ()
    callback_urls: tuple[str, ...] = ()
    logout_urls: tuple[str, ...] = ()
    default_redirect_uri: str | None = None
    allowed_oauth_flows: tuple[str, ...] = ()
    allowed_oauth_scopes: tuple[str, ...] = ()
    allowed_oauth_flows_user_pool_client: bool = False
    prevent_user_existence_errors: str = "LEGACY"
    enable_token_revocation: bool = True
    enable_propagate_additional_user_context_data: bool = False
    auth_session_validity: int = 3
    refresh_rotation: bool = False  # RefreshTokenRotation.Feature ENABLED: each refresh returns a new token
    rotation_grace_seconds: int = 0  # RetryGracePeriodSeconds: the previous token still works this long
    # Cognate extension `CognatePkceRequired`: the code flow needs a code_challenge (RFC 7636, RFC 9700 §2.1.1).
    # An explicit opt-in; off by default as PKCE is in Cognito (the operator's policy: `needs_pkce`).
    pkce_required: bool = False

    @property
    def has_secret(self) -> bool:
        return self.secret is not None

    def needs_pkce(self, *, required_for_public_clients: bool) -> bool:
        """Whether the code flow must carry a code_challenge: the client's own `CognatePkceRequired`, or the
        operator's policy for public clients (COGNATE_REQUIRE_PKCE_FOR_PUBLIC_CLIENTS); otherwise PKCE is optional
        and verified when sent, as in Cognito."""
        return self.pkce_required or (required_for_public_clients and not self.has_secret)

    def allows_auth_flow(self, flow: str) -> bool:
        """`ALLOW_X` or its legacy spelling; ADMIN_NO_SRP_AUTH is the legacy ADMIN_USER_PASSWORD_AUTH."""
        legacy = {
            "ALLOW_ADMIN_USER_PASSWORD_AUTH": "ADMIN_NO_SRP_AUTH",
            "ALLOW_USER_PASSWORD_AUTH": "USER_PASSWORD_AUTH",
        }
        flows = self.explicit_auth_flows
        return flow in flows or legacy.get(flow, "") in flows


def _validity(req: Mapping[str, Any]) -> TokenValidity:
    units_raw = mapping(req.get("TokenValidityUnits"), "TokenValidityUnits")
    units = {}
    for kind in VALIDITY:
        unit = units_raw.get(kind)
        if unit is not None:
            if unit not in UNITS:
                raise fail(f"TokenValidityUnits.{kind} must be one of {', '.join(UNITS)}")
            units[kind] = unit
    values: dict[str, int | None] = {}
    for kind, field in (("AccessToken", "AccessTokenValidity"), ("IdToken", "IdTokenValidity"),
                        ("RefreshToken", "RefreshTokenValidity")):
        raw = req.get(field)
        values[kind] = None if raw is None else check_int(raw, field, 0, 315360000)
    validity = TokenValidity(
        access=values["AccessToken"], id=values["IdToken"],
        refresh=30 if values["RefreshToken"] is None else int(values["RefreshToken"] or 0),
        units=tuple(sorted(units.items())),
    )
    for kind, (_, _, low, high) in VALIDITY.items():
        seconds = validity.seconds(kind)
        if not low <= seconds <= high:
            raise fail(f"Invalid range for token validity: {kind} must be between {low} and {high} seconds")
    return validity


def _auth_flows(req: Mapping[str, Any]) -> tuple[str, ...]:
    if req.get("ExplicitAuthFlows") is None:
        return DEFAULT_AUTH_FLOWS
    flows = check_choices(check_str_list(req.get("ExplicitAuthFlows"), "ExplicitAuthFlows"), "ExplicitAuthFlows",
                          ALLOW_FLOWS | LEGACY_FLOWS)
    if any(f in LEGACY_FLOWS for f in flows) and any(f in ALLOW_FLOWS for f in flows):
        raise fail("The values of ExplicitAuthFlows are invalid. You can't mix legacy values and ALLOW_ values.")
    return flows


def _oauth(req: Mapping[str, Any], has_secret: bool, available_custom: frozenset[str]) -> dict[str, Any]:
    flows = check_choices(check_str_list(req.get("AllowedOAuthFlows"), "AllowedOAuthFlows"), "AllowedOAuthFlows",
                          OAUTH_FLOWS)
    scopes = check_allowed_scopes(check_str_list(req.get("AllowedOAuthScopes"), "AllowedOAuthScopes"),
                                  available_custom)
    enabled = check_bool(req.get("AllowedOAuthFlowsUserPoolClient", False), "AllowedOAuthFlowsUserPoolClient")
    if "client_credentials" in flows:
        if not has_secret:
            raise InvalidOAuthFlowException(
                "client_credentials flow can not be selected if client does not have a client secret.")
        if {"code", "implicit"} & set(flows):
            raise InvalidOAuthFlowException(
                "client_credentials flow can not be selected along with code flow or implicit flow.")
        if OPENID in scopes:
            raise InvalidOAuthFlowException("openid is not supported with client_credentials flow")
        builtin = [s for s in scopes if s in BUILTIN_SCOPES]
        if builtin:
            raise InvalidOAuthFlowException(
                f"{builtin[0]} is not supported with client_credentials flow; use resource server scopes")
    if OPENID_DEPENDENT & set(scopes) and OPENID not in scopes:
        raise fail("Scopes email, phone and profile can only be used together with openid.")
    if enabled and (not flows or not scopes):
        raise fail(
            "AllowedOAuthFlows and AllowedOAuthScopes are required when AllowedOAuthFlowsUserPoolClient is true."
        )
    return {"allowed_oauth_flows": flows, "allowed_oauth_scopes": scopes,
            "allowed_oauth_flows_user_pool_client": enabled}


def _urls(req: Mapping[str, Any]) -> dict[str, Any]:
    callbacks = check_redirect_urls(check_str_list(req.get("CallbackURLs"), "CallbackURLs"), "CallbackURLs")
    logouts = check_redirect_urls(check_str_list(req.get("LogoutURLs"), "LogoutURLs"), "LogoutURLs")
    default = req.get("DefaultRedirectURI")
    if default is not None:
        check_redirect_url(default, "DefaultRedirectURI")
        if default not in callbacks:
            raise fail("DefaultRedirectURI must be one of the CallbackURLs.")
    return {"callback_urls": callbacks, "logout_urls": logouts, "default_redirect_uri": default}


def _attributes(req: Mapping[str, Any], pool_attributes: frozenset[str]) -> dict[str, Any]:
    out: dict[str, tuple[str, ...] | None] = {}
    for field, key in (("ReadAttributes", "read_attributes"), ("WriteAttributes", "write_attributes")):
        if req.get(field) is None:
            out[key] = None
            continue
        names = check_str_list(req.get(field), field, max_items=1000)
        for name in names:
            if name not in pool_attributes or (field == "WriteAttributes" and name == "sub"):
                raise fail(f"Invalid {'read' if field == 'ReadAttributes' else 'write'} attributes specified "
                           f"while creating a client: {name}")
        out[key] = names
    return out


def _idps(req: Mapping[str, Any], pool_id: str, known_idps: frozenset[str]) -> tuple[str, ...]:
    idps = check_str_list(req.get("SupportedIdentityProviders"), "SupportedIdentityProviders")
    for idp in idps:
        if idp not in BUILTIN_IDPS and idp not in known_idps:
            raise fail(f"The provider {idp} does not exist for User Pool {pool_id}")
    return idps


def _rotation(req: Mapping[str, Any]) -> dict[str, Any]:
    """`RefreshTokenRotation{Feature: ENABLED|DISABLED, RetryGracePeriodSeconds: 0-60}` (spec §3)."""
    raw = mapping(req.get("RefreshTokenRotation"), "RefreshTokenRotation")
    feature = raw.get("Feature", "DISABLED")
    if feature not in ("ENABLED", "DISABLED"):
        raise fail("RefreshTokenRotation.Feature must be ENABLED or DISABLED")
    grace = check_int(raw.get("RetryGracePeriodSeconds", 0), "RetryGracePeriodSeconds", 0, 60)
    return {"refresh_rotation": feature == "ENABLED", "rotation_grace_seconds": grace}


def _pkce(req: Mapping[str, Any], default: bool) -> bool:
    """`CognatePkceRequired`; absent keeps `default` (a boto3 update cannot send it, so must not reset it)."""
    return check_bool(req.get(PKCE_FIELD, default), PKCE_FIELD)


def _settings(req: Mapping[str, Any], *, pool_id: str, has_secret: bool, available_scopes: frozenset[str],
              pool_attributes: frozenset[str], known_idps: frozenset[str], pkce_default: bool) -> dict[str, Any]:
    """Fields both Create and UpdateUserPoolClient take; absent ones return to defaults, as in Cognito
    (except the Cognate extension, whose default is the caller's: see `_pkce`)."""
    prevent = req.get("PreventUserExistenceErrors", "LEGACY")
    if prevent not in ("ENABLED", "LEGACY"):
        raise fail("PreventUserExistenceErrors must be ENABLED or LEGACY")
    propagate = check_bool(req.get("EnablePropagateAdditionalUserContextData", False),
                           "EnablePropagateAdditionalUserContextData")
    if propagate and not has_secret:
        raise fail("EnablePropagateAdditionalUserContextData can only be set for clients with a secret.")
    return {
        "name": check_name(req.get("ClientName"), "clientName"),
        "validity": _validity(req),
        "explicit_auth_flows": _auth_flows(req),
        "supported_identity_providers": _idps(req, pool_id, known_idps),
        "prevent_user_existence_errors": prevent,
        "enable_token_revocation": check_bool(req.get("EnableTokenRevocation", True), "EnableTokenRevocation"),
        "enable_propagate_additional_user_context_data": propagate,
        "auth_session_validity": check_int(req.get("AuthSessionValidity", 3), "AuthSessionValidity", 3, 15),
        "pkce_required": _pkce(req, pkce_default),
        **_rotation(req),
        **_urls(req),
        **_oauth(req, has_secret, available_scopes),
        **_attributes(req, pool_attributes),
    }


def check_requested_secret(req: Mapping[str, Any]) -> str | None:
    """A custom ClientSecret (24-64 `[\\w+]+`), refused together with GenerateSecret (spec §3)."""
    custom = req.get("ClientSecret")
    if custom is None:
        return None
    if req.get("GenerateSecret"):
        raise fail("You cannot specify both GenerateSecret and ClientSecret.")
    if not isinstance(custom, str) or not 24 <= len(custom) <= 64 or not re.fullmatch(r"[\w+]+", custom):
        raise fail("ClientSecret must be 24-64 characters of letters, digits, '_' and '+'.")
    return custom


def build_client(*, pool_id: str, client_id: str, secret: str | None, req: Mapping[str, Any], now: float,
                 available_scopes: frozenset[str], pool_attributes: frozenset[str],
                 known_idps: frozenset[str] = frozenset()) -> AppClient:
    """A new client. `CognatePkceRequired` is false unless the request sets it: a client created through the
    Cognito API (boto3, the AWS CLI, Terraform, none of which can send the extension) behaves as in Cognito."""
    settings = _settings(req, pool_id=pool_id, has_secret=secret is not None, available_scopes=available_scopes,
                         pool_attributes=pool_attributes, known_idps=known_idps, pkce_default=False)
    return AppClient(id=client_id, pool_id=pool_id, created_at=now, updated_at=now, secret=secret, **settings)


def update_client(client: AppClient, req: Mapping[str, Any], now: float, *, available_scopes: frozenset[str],
                  pool_attributes: frozenset[str], known_idps: frozenset[str] = frozenset()) -> AppClient:
    settings = _settings(req, pool_id=client.pool_id, has_secret=client.has_secret,
                         available_scopes=available_scopes, pool_attributes=pool_attributes, known_idps=known_idps,
                         pkce_default=client.pkce_required)
    return replace(client, updated_at=now, **settings)


def client_to_cognito(client: AppClient, *, include_secret: bool = True) -> dict[str, Any]:
    """The `UserPoolClientType` DescribeUserPoolClient returns (optional fields only when set)."""
    v = client.validity
    out: dict[str, Any] = {
        "UserPoolId": client.pool_id,
        "ClientName": client.name,
        "ClientId": client.id,
        "LastModifiedDate": client.updated_at,
        "CreationDate": client.created_at,
        "RefreshTokenValidity": v.refresh,
        "ExplicitAuthFlows": list(client.explicit_auth_flows),
        "AllowedOAuthFlowsUserPoolClient": client.allowed_oauth_flows_user_pool_client,
        "PreventUserExistenceErrors": client.prevent_user_existence_errors,
        "EnableTokenRevocation": client.enable_token_revocation,
        "EnablePropagateAdditionalUserContextData": client.enable_propagate_additional_user_context_data,
        "AuthSessionValidity": client.auth_session_validity,
        PKCE_FIELD: client.pkce_required,
    }
    optional: dict[str, Any] = {
        "AccessTokenValidity": v.access,
        "IdTokenValidity": v.id,
        "TokenValidityUnits": dict(v.units) or None,
        "ReadAttributes": list(client.read_attributes) if client.read_attributes is not None else None,
        "WriteAttributes": list(client.write_attributes) if client.write_attributes is not None else None,
        "SupportedIdentityProviders": list(client.supported_identity_providers) or None,
        "CallbackURLs": list(client.callback_urls) or None,
        "LogoutURLs": list(client.logout_urls) or None,
        "DefaultRedirectURI": client.default_redirect_uri,
        "AllowedOAuthFlows": list(client.allowed_oauth_flows) or None,
        "AllowedOAuthScopes": list(client.allowed_oauth_scopes) or None,
    }
    out.update({k: val for k, val in optional.items() if val is not None})
    if client.refresh_rotation:  # absent while off, as Cognito answers (Terraform plans a change otherwise)
        out["RefreshTokenRotation"] = {"Feature": "ENABLED", "RetryGracePeriodSeconds": client.rotation_grace_seconds}
    if include_secret and client.secret is not None:
        out["ClientSecret"] = client.secret
    return out


def client_to_stored(client: AppClient) -> dict[str, Any]:
    """An UpdateUserPoolClient request that rebuilds the client's settings (the secret is stored apart)."""
    data = client_to_cognito(client, include_secret=False)
    for key in ("UserPoolId", "ClientId", "LastModifiedDate", "CreationDate"):
        data.pop(key)
    return data


def client_from_stored(*, client_id: str, pool_id: str, secret: str | None, data: Mapping[str, Any],
                       created_at: float, updated_at: float) -> AppClient:
    """Rebuild without re-running cross-entity checks (scopes or attributes may since have been removed)."""
    base = AppClient(id=client_id, pool_id=pool_id, name=str(data["ClientName"]), created_at=created_at,
                     updated_at=updated_at, secret=secret)
    return replace(
        base,
        validity=_validity(data),
        explicit_auth_flows=tuple(data.get("ExplicitAuthFlows", DEFAULT_AUTH_FLOWS)),
        supported_identity_providers=tuple(data.get("SupportedIdentityProviders", ())),
        callback_urls=tuple(data.get("CallbackURLs", ())),
        logout_urls=tuple(data.get("LogoutURLs", ())),
        default_redirect_uri=data.get("DefaultRedirectURI"),
        allowed_oauth_flows=tuple(data.get("AllowedOAuthFlows", ())),
        allowed_oauth_scopes=tuple(data.get("AllowedOAuthScopes", ())),
        allowed_oauth_flows_user_pool_client=bool(data.get("AllowedOAuthFlowsUserPoolClient", False)),
        prevent_user_existence_errors=str(data.get("PreventUserExistenceErrors", "LEGACY")),
        enable_token_revocation=bool(data.get("EnableTokenRevocation", True)),
        enable_propagate_additional_user_context_data=bool(data.get("EnablePropagateAdditionalUserContextData")),
        auth_session_validity=int(data.get("AuthSessionValidity", 3)),
        pkce_required=bool(data.get(PKCE_FIELD, False)),  # as stored (also a `true` the old default gave)
        **_rotation(data),
        read_attributes=tuple(data["ReadAttributes"]) if "ReadAttributes" in data else None,
        write_attributes=tuple(data["WriteAttributes"]) if "WriteAttributes" in data else None,
    )


def refuse_trigger_flow(flow: str) -> None:
    """InitiateAuth of a flow only a Lambda trigger can answer (CUSTOM_AUTH): a clear refusal, not a generic one."""
    if flow in TRIGGER_FLOWS:
        raise fail(TRIGGER_FLOWS[flow])

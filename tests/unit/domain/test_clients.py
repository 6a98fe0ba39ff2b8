"""App-client rules (spec §3): names, auth flows, OAuth flows/scopes, URLs, token validity, secrets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from cognate.domain.attributes import STANDARD_NAMES
from cognate.domain.clients import (
    DEFAULT_AUTH_FLOWS,
    AppClient,
    TokenValidity,
    build_client,
    check_requested_secret,
    client_from_stored,
    client_to_cognito,
    client_to_stored,
    update_client,
)
from cognate.domain.errors import InvalidOAuthFlowException, InvalidParameterException, ScopeDoesNotExistException

POOL = "eu-west-2_abcdefghi"
CLIENT_ID = "a" * 26
SECRET = "s" * 52
DAY = 86400
SCOPES = frozenset({"api/read", "api/write"})


def make(secret: str | None = None, **req: Any) -> AppClient:
    return build_client(pool_id=POOL, client_id=CLIENT_ID, secret=secret, req={"ClientName": "web", **req},
                        now=100.0, available_scopes=SCOPES, pool_attributes=STANDARD_NAMES)


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [None, ""])
def test_empty_client_name_refused(name: str | None) -> None:
    with pytest.raises(InvalidParameterException, match="'clientName' failed to satisfy constraint: Member must not"):
        make(ClientName=name)


def test_client_name_over_128_refused() -> None:
    with pytest.raises(InvalidParameterException, match="length less than or equal to 128"):
        make(ClientName="c" * 129)
    assert make(ClientName="c" * 128).name == "c" * 128


@pytest.mark.parametrize("name", ["web/app", "web#1", "a*b"])
def test_client_name_bad_characters_refused(name: str) -> None:
    with pytest.raises(InvalidParameterException, match="Member must satisfy regular expression pattern"):
        make(ClientName=name)


def test_client_name_allowed_punctuation() -> None:
    assert make(ClientName="My app +=,.@-_ 2").name == "My app +=,.@-_ 2"


# --- defaults and explicit auth flows ------------------------------------------------------------


def test_defaults() -> None:
    c = make()
    assert c.explicit_auth_flows == ("ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH")
    assert (c.allowed_oauth_flows, c.allowed_oauth_scopes, c.allowed_oauth_flows_user_pool_client) == ((), (), False)
    assert (c.prevent_user_existence_errors, c.enable_token_revocation, c.auth_session_validity) == ("LEGACY", True, 3)
    assert c.secret is None and not c.has_secret
    assert c.read_attributes is None and c.write_attributes is None


def test_legacy_mixed_with_allow_flows_refused() -> None:
    with pytest.raises(InvalidParameterException, match="can't mix legacy values and ALLOW_ values"):
        make(ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])


def test_unknown_auth_flow_refused() -> None:
    with pytest.raises(InvalidParameterException, match="Invalid ExplicitAuthFlows: ALLOW_MAGIC"):
        make(ExplicitAuthFlows=["ALLOW_MAGIC"])


def test_legacy_only_flows_accepted() -> None:
    assert make(ExplicitAuthFlows=["USER_PASSWORD_AUTH"]).explicit_auth_flows == ("USER_PASSWORD_AUTH",)


def test_duplicate_flows_collapse() -> None:
    flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_SRP_AUTH"]
    assert make(ExplicitAuthFlows=flows).explicit_auth_flows == ("ALLOW_USER_SRP_AUTH",)


def test_allows_auth_flow_default() -> None:
    c = make()
    assert c.allows_auth_flow("ALLOW_USER_SRP_AUTH")
    assert not c.allows_auth_flow("ALLOW_USER_PASSWORD_AUTH")
    assert not c.allows_auth_flow("ALLOW_ADMIN_USER_PASSWORD_AUTH")


def test_allows_auth_flow_maps_legacy_names() -> None:
    c = make(ExplicitAuthFlows=["ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH"])
    assert c.allows_auth_flow("ALLOW_ADMIN_USER_PASSWORD_AUTH")
    assert c.allows_auth_flow("ALLOW_USER_PASSWORD_AUTH")
    assert not c.allows_auth_flow("ALLOW_USER_SRP_AUTH")
    assert not c.allows_auth_flow("ALLOW_REFRESH_TOKEN_AUTH")


def test_other_settings_validated() -> None:
    with pytest.raises(InvalidParameterException, match="PreventUserExistenceErrors must be ENABLED or LEGACY"):
        make(PreventUserExistenceErrors="ON")
    with pytest.raises(InvalidParameterException, match="AuthSessionValidity must be between 3 and 15"):
        make(AuthSessionValidity=16)
    with pytest.raises(InvalidParameterException, match="EnableTokenRevocation must be a boolean"):
        make(EnableTokenRevocation="yes")


def test_propagate_user_context_needs_secret() -> None:
    with pytest.raises(InvalidParameterException, match="only be set for clients with a secret"):
        make(EnablePropagateAdditionalUserContextData=True)
    assert make(SECRET, EnablePropagateAdditionalUserContextData=True).enable_propagate_additional_user_context_data


def test_unknown_identity_provider_refused() -> None:
    with pytest.raises(InvalidParameterException, match=f"The provider Google does not exist for User Pool {POOL}"):
        make(SupportedIdentityProviders=["COGNITO", "Google"])
    assert make(SupportedIdentityProviders=["COGNITO"]).supported_identity_providers == ("COGNITO",)


def test_read_write_attributes_checked_against_pool() -> None:
    with pytest.raises(InvalidParameterException, match=r"Invalid read attributes .*: custom:nope"):
        make(ReadAttributes=["email", "custom:nope"])
    with pytest.raises(InvalidParameterException, match=r"Invalid write attributes .*: sub"):
        make(WriteAttributes=["sub"])
    assert make(ReadAttributes=["email", "sub"]).read_attributes == ("email", "sub")


# --- OAuth flows and scopes ----------------------------------------------------------------------


def test_client_credentials_without_secret() -> None:
    with pytest.raises(InvalidOAuthFlowException) as err:
        make(AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["api/read"])
    assert err.value.message == "client_credentials flow can not be selected if client does not have a client secret."


def test_client_credentials_with_code() -> None:
    with pytest.raises(InvalidOAuthFlowException) as err:
        make(SECRET, AllowedOAuthFlows=["client_credentials", "code"], AllowedOAuthScopes=["api/read"])
    assert err.value.message == "client_credentials flow can not be selected along with code flow or implicit flow."


def test_client_credentials_with_implicit() -> None:
    with pytest.raises(InvalidOAuthFlowException, match="along with code flow or implicit flow"):
        make(SECRET, AllowedOAuthFlows=["implicit", "client_credentials"], AllowedOAuthScopes=["api/read"])


def test_openid_with_client_credentials_refused() -> None:
    with pytest.raises(InvalidOAuthFlowException, match=r"^openid is not supported with client_credentials flow$"):
        make(SECRET, AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["openid", "api/read"])


@pytest.mark.parametrize("scope", ["email", "phone", "profile", "aws.cognito.signin.user.admin"])
def test_builtin_scope_with_client_credentials_refused(scope: str) -> None:
    with pytest.raises(InvalidOAuthFlowException, match=f"^{scope} is not supported with client_credentials flow"):
        make(SECRET, AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=[scope, "api/read"])


def test_client_credentials_with_secret_and_custom_scopes() -> None:
    c = make(SECRET, AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["api/read"],
             AllowedOAuthFlowsUserPoolClient=True)
    assert c.allowed_oauth_flows == ("client_credentials",)
    assert c.allowed_oauth_scopes == ("api/read",)
    assert c.has_secret


def test_unknown_scope_refused() -> None:
    with pytest.raises(ScopeDoesNotExistException, match=r"^Invalid scope requested: api/delete$"):
        make(AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid", "api/delete"])


def test_resource_server_scope_accepted_when_available() -> None:
    c = make(AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid", "api/write"])
    assert c.allowed_oauth_scopes == ("openid", "api/write")


@pytest.mark.parametrize("scope", ["email", "phone", "profile"])
def test_openid_dependent_scope_without_openid_refused(scope: str) -> None:
    with pytest.raises(InvalidParameterException, match="can only be used together with openid"):
        make(AllowedOAuthFlows=["code"], AllowedOAuthScopes=[scope])
    assert make(AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid", scope]).allowed_oauth_scopes[1] == scope


def test_unknown_oauth_flow_refused() -> None:
    with pytest.raises(InvalidParameterException, match="Invalid AllowedOAuthFlows: password"):
        make(AllowedOAuthFlows=["password"])


@pytest.mark.parametrize(
    "req",
    [
        {},
        {"AllowedOAuthFlows": ["code"]},
        {"AllowedOAuthScopes": ["openid"]},
    ],
)
def test_oauth_enabled_needs_flows_and_scopes(req: dict[str, Any]) -> None:
    with pytest.raises(InvalidParameterException, match="AllowedOAuthFlows and AllowedOAuthScopes are required"):
        make(AllowedOAuthFlowsUserPoolClient=True, **req)


def test_oauth_enabled_with_flows_and_scopes() -> None:
    c = make(AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"],
             CallbackURLs=["https://app.example.com/cb"])
    assert c.allowed_oauth_flows_user_pool_client is True


# --- URLs ----------------------------------------------------------------------------------------


def test_callback_and_logout_urls_checked() -> None:
    with pytest.raises(InvalidParameterException, match=r"^CallbackURLs: http://example.com/cb must use HTTPS"):
        make(CallbackURLs=["http://example.com/cb"])
    with pytest.raises(InvalidParameterException, match=r"^LogoutURLs: .* must not contain a fragment"):
        make(LogoutURLs=["https://app.example.com/out#x"])


def test_default_redirect_uri_must_be_a_callback() -> None:
    with pytest.raises(InvalidParameterException, match="DefaultRedirectURI must be one of the CallbackURLs"):
        make(CallbackURLs=["https://app.example.com/cb"], DefaultRedirectURI="https://app.example.com/other")


def test_default_redirect_uri_among_callbacks() -> None:
    c = make(CallbackURLs=["https://app.example.com/cb", "myapp://cb"], DefaultRedirectURI="myapp://cb")
    assert c.default_redirect_uri == "myapp://cb"
    assert c.callback_urls == ("https://app.example.com/cb", "myapp://cb")


def test_default_redirect_uri_is_itself_checked() -> None:
    with pytest.raises(InvalidParameterException, match=r"^DefaultRedirectURI: .* must use HTTPS"):
        make(DefaultRedirectURI="http://example.com/cb")


# --- token validity ------------------------------------------------------------------------------


def test_validity_defaults() -> None:
    v = make().validity
    assert v.seconds("AccessToken") == 3600
    assert v.seconds("IdToken") == 3600
    assert v.seconds("RefreshToken") == 30 * DAY


def test_validity_with_units() -> None:
    v = make(AccessTokenValidity=5, IdTokenValidity=2, RefreshTokenValidity=60,
             TokenValidityUnits={"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "minutes"}).validity
    assert (v.seconds("AccessToken"), v.seconds("IdToken"), v.seconds("RefreshToken")) == (300, 7200, 3600)


def test_validity_seconds_unit() -> None:
    v = make(AccessTokenValidity=86400, TokenValidityUnits={"AccessToken": "seconds"}).validity
    assert v.seconds("AccessToken") == 86400


def test_refresh_zero_means_30_days() -> None:
    assert make(RefreshTokenValidity=0).validity.seconds("RefreshToken") == 30 * DAY
    assert make(RefreshTokenValidity=0, TokenValidityUnits={"RefreshToken": "hours"}).validity.seconds(
        "RefreshToken") == 30 * DAY


def test_legacy_units_without_token_validity_units() -> None:
    v = make(AccessTokenValidity=2, IdTokenValidity=24, RefreshTokenValidity=10).validity
    assert v.seconds("AccessToken") == 2 * 3600
    assert v.seconds("IdToken") == 24 * 3600
    assert v.seconds("RefreshToken") == 10 * DAY


@pytest.mark.parametrize(
    ("req", "kind"),
    [
        ({"AccessTokenValidity": 4, "TokenValidityUnits": {"AccessToken": "minutes"}}, "AccessToken"),
        ({"IdTokenValidity": 299, "TokenValidityUnits": {"IdToken": "seconds"}}, "IdToken"),
        ({"AccessTokenValidity": 25}, "AccessToken"),
        ({"IdTokenValidity": 2, "TokenValidityUnits": {"IdToken": "days"}}, "IdToken"),
        ({"RefreshTokenValidity": 3651}, "RefreshToken"),
        ({"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}}, "RefreshToken"),
    ],
)
def test_validity_out_of_range_refused(req: dict[str, Any], kind: str) -> None:
    with pytest.raises(InvalidParameterException, match=f"Invalid range for token validity: {kind} must be between"):
        make(**req)


def test_validity_bounds_inclusive() -> None:
    assert make(RefreshTokenValidity=3650).validity.seconds("RefreshToken") == 3650 * DAY
    v = make(AccessTokenValidity=5, TokenValidityUnits={"AccessToken": "minutes"}).validity
    assert v.seconds("AccessToken") == 300


def test_validity_bad_unit_and_type_refused() -> None:
    with pytest.raises(InvalidParameterException, match=r"TokenValidityUnits.AccessToken must be one of"):
        make(TokenValidityUnits={"AccessToken": "weeks"})
    with pytest.raises(InvalidParameterException, match="AccessTokenValidity must be an integer"):
        make(AccessTokenValidity="60")
    with pytest.raises(InvalidParameterException, match="AccessTokenValidity must be between"):
        make(AccessTokenValidity=-1)


def test_token_validity_unit_lookup() -> None:
    v = TokenValidity(access=1, units=(("AccessToken", "days"),))
    assert v.unit("AccessToken") == "days"
    assert v.unit("IdToken") == "hours"
    assert v.unit("RefreshToken") == "days"


# --- custom client secret ------------------------------------------------------------------------


def test_no_custom_secret() -> None:
    assert check_requested_secret({"GenerateSecret": True}) is None


@pytest.mark.parametrize("secret", ["a" * 24, "b" * 64, "Abc_123+" * 4])
def test_custom_secret_accepted(secret: str) -> None:
    assert check_requested_secret({"ClientSecret": secret}) == secret


@pytest.mark.parametrize("secret", ["a" * 23, "a" * 65, "a" * 23 + "!", "a" * 23 + " ", 123])
def test_custom_secret_refused(secret: object) -> None:
    with pytest.raises(InvalidParameterException, match="ClientSecret must be 24-64 characters"):
        check_requested_secret({"ClientSecret": secret})


def test_custom_secret_with_generate_secret_refused() -> None:
    with pytest.raises(InvalidParameterException, match="cannot specify both GenerateSecret and ClientSecret"):
        check_requested_secret({"GenerateSecret": True, "ClientSecret": "a" * 30})
    assert check_requested_secret({"GenerateSecret": False, "ClientSecret": "a" * 30}) == "a" * 30


# --- update ----------------------------------------------------------------------------------------


def test_update_resets_unspecified_and_keeps_identity() -> None:
    c = make(SECRET, AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"], EnableTokenRevocation=False)
    u = update_client(c, {"ClientName": "renamed"}, 200.0, available_scopes=SCOPES, pool_attributes=STANDARD_NAMES)
    assert (u.id, u.pool_id, u.secret, u.created_at, u.updated_at) == (CLIENT_ID, POOL, SECRET, 100.0, 200.0)
    assert u.name == "renamed"
    assert u.allowed_oauth_flows == () and u.enable_token_revocation is True


def test_update_cannot_add_client_credentials_to_public_client() -> None:
    with pytest.raises(InvalidOAuthFlowException, match="does not have a client secret"):
        update_client(make(), {"ClientName": "x", "AllowedOAuthFlows": ["client_credentials"]}, 1.0,
                      available_scopes=SCOPES, pool_attributes=STANDARD_NAMES)


# --- serialisation -------------------------------------------------------------------------------

FULL: dict[str, Any] = {
    "ClientName": "full",
    "AccessTokenValidity": 30,
    "IdTokenValidity": 2,
    "RefreshTokenValidity": 7,
    "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "hours", "RefreshToken": "days"},
    "ReadAttributes": ["email", "email_verified"],
    "WriteAttributes": ["email"],
    "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    "SupportedIdentityProviders": ["COGNITO"],
    "CallbackURLs": ["https://app.example.com/cb", "http://localhost:3000/cb"],
    "LogoutURLs": ["https://app.example.com/out"],
    "DefaultRedirectURI": "https://app.example.com/cb",
    "AllowedOAuthFlows": ["code", "implicit"],
    "AllowedOAuthScopes": ["openid", "email", "api/read"],
    "AllowedOAuthFlowsUserPoolClient": True,
    "PreventUserExistenceErrors": "ENABLED",
    "EnableTokenRevocation": False,
    "EnablePropagateAdditionalUserContextData": True,
    "AuthSessionValidity": 10,
}


def restore(c: AppClient, data: dict[str, Any]) -> AppClient:
    return client_from_stored(client_id=c.id, pool_id=c.pool_id, secret=c.secret, data=data,
                              created_at=c.created_at, updated_at=c.updated_at)


@pytest.mark.parametrize("req", [{}, FULL, {"RefreshTokenValidity": 0}], ids=["minimal", "full", "refresh0"])
def test_stored_round_trip(req: dict[str, Any]) -> None:
    c = make(SECRET, **req)
    assert restore(c, client_to_stored(c)) == c


@pytest.mark.parametrize("req", [{}, FULL], ids=["minimal", "full"])
def test_cognito_round_trip(req: dict[str, Any]) -> None:
    c = make(SECRET, **req)
    assert restore(c, client_to_cognito(c)) == c


def test_stored_form_has_no_secret_or_ids() -> None:
    data = client_to_stored(make(SECRET, **FULL))
    assert SECRET not in repr(data)
    assert not {"ClientSecret", "ClientId", "UserPoolId", "CreationDate", "LastModifiedDate"} & data.keys()


def test_to_cognito_minimal_shape() -> None:
    out = client_to_cognito(make())
    assert out["RefreshTokenValidity"] == 30
    assert out["ExplicitAuthFlows"] == list(DEFAULT_AUTH_FLOWS)
    for absent in ("AccessTokenValidity", "TokenValidityUnits", "ReadAttributes", "CallbackURLs",
                   "AllowedOAuthFlows", "DefaultRedirectURI", "ClientSecret"):
        assert absent not in out


def test_to_cognito_secret_only_when_asked() -> None:
    c = make(SECRET)
    assert client_to_cognito(c)["ClientSecret"] == SECRET
    assert "ClientSecret" not in client_to_cognito(c, include_secret=False)


def test_round_trip_detects_changes() -> None:
    c = make(SECRET, **FULL)
    assert restore(c, client_to_stored(replace(c, auth_session_validity=4))) != c


# --- CognatePkceRequired (Cognate extension) -----------------------------------------------------


def test_new_clients_leave_pkce_optional_as_in_cognito() -> None:
    """A CreateUserPoolClient without the extension (boto3, the AWS CLI, Terraform cannot send it) gets Cognito's
    behaviour: PKCE optional, public or confidential."""
    assert make().pkce_required is False
    assert make(SECRET).pkce_required is False


def test_needs_pkce_by_the_client_flag_or_the_operator_policy_for_public_clients() -> None:
    public, confidential = make(), make(SECRET)
    assert not public.needs_pkce(required_for_public_clients=False)
    assert public.needs_pkce(required_for_public_clients=True)
    assert not confidential.needs_pkce(required_for_public_clients=True)
    assert make(SECRET, CognatePkceRequired=True).needs_pkce(required_for_public_clients=False)


def test_pkce_setting_can_be_chosen_and_is_checked() -> None:
    assert make(CognatePkceRequired=False).pkce_required is False
    assert make(SECRET, CognatePkceRequired=True).pkce_required is True
    with pytest.raises(InvalidParameterException, match="CognatePkceRequired"):
        make(CognatePkceRequired="yes")


def test_update_keeps_pkce_unless_named() -> None:
    c = make(CognatePkceRequired=False)
    kept = update_client(c, {"ClientName": "x"}, 2.0, available_scopes=SCOPES, pool_attributes=STANDARD_NAMES)
    assert kept.pkce_required is False
    changed = update_client(c, {"ClientName": "x", "CognatePkceRequired": True}, 2.0, available_scopes=SCOPES,
                            pool_attributes=STANDARD_NAMES)
    assert changed.pkce_required is True


def test_pkce_setting_is_echoed_and_round_trips() -> None:
    c = make(CognatePkceRequired=True)
    assert client_to_cognito(c)["CognatePkceRequired"] is True
    assert restore(c, client_to_stored(c)) == c


def test_clients_stored_before_the_setting_keep_pkce_optional() -> None:
    c = make()
    data = client_to_stored(c)
    del data["CognatePkceRequired"]
    assert restore(c, data).pkce_required is False


def test_a_stored_true_stays_true_through_restore_and_boto3_updates() -> None:
    """Public clients created while `true` was the default keep it (the store cannot tell it from a choice)."""
    c = make(CognatePkceRequired=True)
    kept = update_client(restore(c, client_to_stored(c)), {"ClientName": "x"}, 2.0, available_scopes=SCOPES,
                         pool_attributes=STANDARD_NAMES)
    assert kept.pkce_required is True

"""GetTokensFromRefreshToken through boto3 on a real server: plain refresh, the client secret, and rotation (a new
refresh token each time, the old one refused after the grace period, REFRESH_TOKEN_AUTH refused for such clients)."""

from __future__ import annotations

from typing import Any

from tests.e2e.cognito_api._helpers import PASSWORD, App, error_of, new_app, new_email, new_pool, verified_claims
from tests.support.processes import Server


def _signed_in(cognito: Any, public: Any, **settings: Any) -> tuple[App, dict[str, Any]]:
    app = new_app(cognito, new_pool(cognito), **settings)
    cognito.admin_create_user(UserPoolId=app.pool_id, Username="rita", TemporaryPassword=PASSWORD,
                              UserAttributes=[{"Name": "email", "Value": new_email()}], MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=app.pool_id, Username="rita", Password=PASSWORD, Permanent=True)
    params = {"USERNAME": "rita", "PASSWORD": PASSWORD}
    if app.secret:
        params["SECRET_HASH"] = app.secret_hash("rita")
    result = public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params)
    return app, result["AuthenticationResult"]


def test_refresh_without_rotation_keeps_the_refresh_token(cognito: Any, public: Any, api_server: Server) -> None:
    app, tokens = _signed_in(cognito, public)
    new = public.get_tokens_from_refresh_token(ClientId=app.client_id, RefreshToken=tokens["RefreshToken"])
    result = new["AuthenticationResult"]
    assert set(result) == {"AccessToken", "ExpiresIn", "TokenType", "IdToken"}
    first = verified_claims(api_server.url, app.pool_id, tokens["AccessToken"])
    again = verified_claims(api_server.url, app.pool_id, result["AccessToken"])
    assert again["origin_jti"] == first["origin_jti"] and again["jti"] != first["jti"] and again["username"] == "rita"
    bogus = error_of(lambda: public.get_tokens_from_refresh_token(ClientId=app.client_id, RefreshToken="nope"))
    assert bogus == {"Code": "NotAuthorizedException", "Message": "Invalid Refresh Token"}


def test_a_client_with_a_secret_must_send_it(cognito: Any, public: Any) -> None:
    app, tokens = _signed_in(cognito, public, secret=True)
    call = public.get_tokens_from_refresh_token
    missing = error_of(lambda: call(ClientId=app.client_id, RefreshToken=tokens["RefreshToken"]))
    assert missing["Code"] == "NotAuthorizedException" and "secret" in missing["Message"]
    wrong = error_of(lambda: call(ClientId=app.client_id, RefreshToken=tokens["RefreshToken"], ClientSecret="x" * 52))
    assert wrong["Code"] == "NotAuthorizedException"
    ok = call(ClientId=app.client_id, RefreshToken=tokens["RefreshToken"], ClientSecret=app.secret)
    assert ok["AuthenticationResult"]["AccessToken"]


def test_rotation_issues_a_new_refresh_token_and_retires_the_old(cognito: Any, public: Any) -> None:
    app, tokens = _signed_in(cognito, public, RefreshTokenRotation={"Feature": "ENABLED",
                                                                    "RetryGracePeriodSeconds": 0})
    call = public.get_tokens_from_refresh_token
    second = call(ClientId=app.client_id, RefreshToken=tokens["RefreshToken"])["AuthenticationResult"]
    assert second["RefreshToken"] != tokens["RefreshToken"] and second["AccessToken"]
    third = call(ClientId=app.client_id, RefreshToken=second["RefreshToken"])["AuthenticationResult"]
    assert third["RefreshToken"] not in (tokens["RefreshToken"], second["RefreshToken"])

    refused = error_of(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                                    AuthParameters={"REFRESH_TOKEN": third["RefreshToken"]}))
    assert refused["Code"] == "InvalidParameterException" and "GetTokensFromRefreshToken" in refused["Message"]

    reused = error_of(lambda: call(ClientId=app.client_id, RefreshToken=tokens["RefreshToken"]))
    assert reused["Code"] == "NotAuthorizedException"  # a retired token again: reuse, the sign-in is revoked
    after = error_of(lambda: call(ClientId=app.client_id, RefreshToken=third["RefreshToken"]))
    assert after == {"Code": "NotAuthorizedException", "Message": "Refresh Token has been revoked"}


def test_another_clients_refresh_token_is_refused(cognito: Any, public: Any) -> None:
    app, tokens = _signed_in(cognito, public)
    other = new_app(cognito, app.pool_id)
    refused = error_of(lambda: public.get_tokens_from_refresh_token(ClientId=other.client_id,
                                                                    RefreshToken=tokens["RefreshToken"]))
    assert refused == {"Code": "NotAuthorizedException", "Message": "Invalid Refresh Token"}

"""A stolen sign-in outliving a password reset, against a real `cognate serve` (issue 12, item 8; OWASP ASVS 3.3.3):
boto3 signs in (refresh + access token) and a browser signs in at the hosted UI's /login; after ConfirmForgotPassword
or AdminSetUserPassword the refresh token and the old access token are refused and the session cookie no longer
signs in silently at /oauth2/authorize."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest

from tests.e2e.cognito_api._helpers import NEW_PASSWORD, PASSWORD, App, error_code, new_app, new_email, new_pool
from tests.e2e.cognito_api._helpers import code_sent_to as mailed_code
from tests.support.processes import Server

CB = "https://app.example.com/cb"
CSRF_RE = re.compile(r'name="_csrf" value="([^"]+)"')


@pytest.fixture
def app(cognito: Any) -> App:
    return new_app(cognito, new_pool(cognito), CallbackURLs=[CB], AllowedOAuthFlows=["code"],
                   AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthScopes=["openid", "email"],
                   SupportedIdentityProviders=["COGNITO"])


@pytest.fixture
def browser(api_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_server.url, follow_redirects=False, timeout=10) as client:
        yield client


def _user(cognito: Any, app: App, username: str) -> str:
    email = new_email()
    cognito.admin_create_user(UserPoolId=app.pool_id, Username=username, MessageAction="SUPPRESS",
                              UserAttributes=[{"Name": "email", "Value": email},
                                              {"Name": "email_verified", "Value": "true"}])
    cognito.admin_set_user_password(UserPoolId=app.pool_id, Username=username, Password=PASSWORD, Permanent=True)
    return email


def _authorize_query(app: App) -> str:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return urlencode({"response_type": "code", "client_id": app.client_id, "redirect_uri": CB, "scope": "openid",
                      "code_challenge": challenge, "code_challenge_method": "S256"})


def _hosted_ui_sign_in(browser: httpx.Client, app: App, username: str) -> None:
    query = _authorize_query(app)
    page = browser.get(f"/login?{query}")
    found = CSRF_RE.search(page.text)
    assert page.status_code == 200 and found, page.text
    origin = str(browser.base_url).rstrip("/")  # what a browser sends with a form of this page
    done = browser.post(f"/login?{query}", data={"_csrf": unescape(found.group(1)), "username": username,
                                                 "password": PASSWORD}, headers={"Origin": origin})
    assert done.status_code == 303 and done.headers["location"].startswith(CB + "?code="), done.text


def _silently_signed_in(browser: httpx.Client, app: App) -> bool:
    response = browser.get(f"/oauth2/authorize?{_authorize_query(app)}")
    assert response.status_code == 302, response.text
    target = response.headers["location"]
    assert target.startswith(CB + "?code=") or urlsplit(target).path == "/login", target
    return target.startswith(CB)


def _tokens(public: Any, app: App, username: str) -> dict[str, Any]:
    result = public.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD})
    return dict(result["AuthenticationResult"])


def _check_everything_dies(public: Any, app: App, browser: httpx.Client, username: str,
                           change_password: Callable[[], None]) -> None:
    tokens = _tokens(public, app, username)
    _hosted_ui_sign_in(browser, app, username)
    assert _silently_signed_in(browser, app), "the control: the session signs in silently before"
    public.initiate_auth(ClientId=app.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                         AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
    change_password()
    assert error_code(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="REFRESH_TOKEN_AUTH",
                                                   AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]})
                      ) == "NotAuthorizedException"
    assert error_code(lambda: public.get_user(AccessToken=tokens["AccessToken"])) == "NotAuthorizedException"
    assert not _silently_signed_in(browser, app)


def test_stolen_sign_ins_refused_after_confirm_forgot_password(public: Any, cognito: Any, app: App,
                                                               browser: httpx.Client, outbox: Path) -> None:
    email = _user(cognito, app, "reset-e2e")

    def reset() -> None:
        public.forgot_password(ClientId=app.client_id, Username="reset-e2e")
        public.confirm_forgot_password(ClientId=app.client_id, Username="reset-e2e", Password=NEW_PASSWORD,
                                       ConfirmationCode=mailed_code(outbox, email))

    _check_everything_dies(public, app, browser, "reset-e2e", reset)


def test_stolen_sign_ins_refused_after_admin_set_user_password(public: Any, cognito: Any, app: App,
                                                               browser: httpx.Client) -> None:
    _user(cognito, app, "admin-set-e2e")

    def admin_set() -> None:
        cognito.admin_set_user_password(UserPoolId=app.pool_id, Username="admin-set-e2e", Password=NEW_PASSWORD,
                                        Permanent=True)

    _check_everything_dies(public, app, browser, "admin-set-e2e", admin_set)

"""The hosted UI in a real browser against a real server: sign-up with the code from a real SMTP server straight
back to the app (and, confirmed in another browser, to the sign-in page), sign-in (also with an authenticator code,
and setting one up), forgot password, the new-password step, SSO on a second visit, sign-out, the implicit fragment
and the error page; a screenshot of every page and state at 390 px and 1280 px."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import boto3
import httpx
import jwt
import pyotp
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from tests.e2e.browser.conftest import PASSWORD, Site, shoot
from tests.e2e.cognito_api._helpers import KEY_ID, REGION, SECRET
from tests.support.images import png

pytestmark = pytest.mark.slow


class App:
    """What reached the app's callback / logout URLs since this test started."""

    def __init__(self, page: Any, site: Site) -> None:
        self.page = page
        self.site = site
        self.start = len(site.app.seen)

    @property
    def seen(self) -> list[str]:
        return self.site.app.seen[self.start:]

    def returned(self) -> dict[str, list[str]]:
        self.page.wait_for_selector("text=Back in the app")
        return parse_qs(urlsplit(self.seen[-1]).query)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def _sign_in(page: Any, username: str, password: str) -> None:
    page.get_by_label("Email address").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def _token(site: Site, code: str) -> dict[str, Any]:
    response = httpx.post(f"{site.server.url}/oauth2/token", data={
        "grant_type": "authorization_code", "code": code, "client_id": site.client_id, "redirect_uri": site.callback})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_sign_up_and_the_mailed_code_land_on_the_apps_callback(site: Site, page: Any) -> None:
    app = App(page, site)
    page.goto(site.authorize())
    assert page.locator("h1").inner_text() == "Sign in" and "Acme Web" in page.inner_text("main")
    shoot(page, "login-empty")
    page.get_by_role("link", name="Sign up").click()
    shoot(page, "signup-empty")
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Password").fill("weak")
    page.get_by_role("button", name="Create account").click()
    assert "an uppercase letter" in page.locator("#f-password-error").inner_text()
    shoot(page, "signup-password-rules")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/confirmUser?**")
    assert "s***@e***" in page.inner_text("main")
    shoot(page, "confirm-code-sent")
    code = site.inbox.code_for("sam@example.com")
    page.get_by_label("Verification code").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Confirm account").click()
    assert "That code is not right" in page.locator("#f-code-error").inner_text()
    shoot(page, "confirm-wrong-code")
    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Confirm account").click()
    returned = app.returned()  # straight back to the app, as Cognito's hosted UI does (issue 13)
    assert returned["state"] == ["xyz-123"]
    tokens = _token(site, returned["code"][0])
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["email"] == "sam@example.com"


def test_confirming_in_another_browser_asks_to_sign_in(site: Site, page: Any, browser: Any) -> None:
    """Only the browser that signed up goes on to the app: the same confirm page elsewhere confirms the account and
    then asks for the password."""
    page.goto(site.url(f"/signup?{site.query()}"))
    page.get_by_label("Email address").fill("otis@example.com")
    page.get_by_label("First name").fill("Otis")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/confirmUser?**")
    other = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        elsewhere = other.new_page()
        app = App(elsewhere, site)
        elsewhere.goto(page.url)
        elsewhere.get_by_label("Verification code").fill(site.inbox.code_for("otis@example.com"))
        elsewhere.get_by_role("button", name="Confirm account").click()
        elsewhere.wait_for_url("**/login?**")
        assert "Your account is confirmed" in elsewhere.inner_text("main")
        shoot(elsewhere, "login-confirmed-notice")
        elsewhere.get_by_label("Password", exact=True).fill(PASSWORD)
        elsewhere.get_by_role("button", name="Sign in").click()
        assert "code" in app.returned()
    finally:
        other.close()


def test_sign_in_wrong_then_right_and_languages(site: Site, page: Any, browser: Any) -> None:
    app = App(page, site)
    page.goto(site.authorize())
    _sign_in(page, "jane@example.com", "Wrong-pass-1")
    assert page.get_by_role("alert").inner_text() == "Incorrect username or password."
    shoot(page, "login-wrong-credentials")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert "code" in app.returned()
    page.goto(site.url(f"/login?{site.query(lang='de')}"))
    assert page.locator("h1").inner_text() == "Anmelden"
    shoot(page, "login-german")
    page.goto(site.url(f"/signup?{site.query()}"))
    page.get_by_label("Email address").fill("jane@example.com")
    page.get_by_label("First name").fill("Jane")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert "already exists" in page.locator("#f-email-error").inner_text()
    shoot(page, "signup-username-taken")
    dark = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 800})
    try:
        dark_page = dark.new_page()
        dark_page.goto(site.url(f"/login?{site.query()}"))
        shoot(dark_page, "login-dark")
    finally:
        dark.close()


def test_forgot_password(site: Site, page: Any) -> None:
    site.cli.run("user", "create", site.pool_id, "reset@example.com", "--attribute", "given_name=Rae",
                 "--email-verified", "--password", PASSWORD, "--permanent")
    app = App(page, site)
    page.goto(site.authorize())
    page.get_by_role("link", name="Forgot your password?").click()
    shoot(page, "forgot-password")
    page.get_by_label("Email address").fill("reset@example.com")
    page.get_by_role("button", name="Send reset code").click()
    page.wait_for_url("**/confirmForgotPassword?**")
    assert "r***@e***" in page.inner_text("main")
    shoot(page, "reset-password")
    code = site.inbox.code_for("reset@example.com")
    page.get_by_label("Verification code").fill(code)
    page.get_by_label("New password", exact=True).fill("New-Horse-42")
    page.get_by_label("Confirm new password").fill("New-Horse-43")
    page.get_by_role("button", name="Change password").click()
    assert "do not match" in page.locator("#f-confirm_password-error").inner_text()
    shoot(page, "reset-password-mismatch")
    page.get_by_label("Verification code").fill(code)
    page.get_by_label("New password", exact=True).fill("New-Horse-42")
    page.get_by_label("Confirm new password").fill("New-Horse-42")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url("**/login?**")
    assert "Your password has been changed" in page.inner_text("main")
    shoot(page, "login-password-changed")
    page.get_by_label("Password", exact=True).fill("New-Horse-42")
    page.get_by_role("button", name="Sign in").click()
    assert "code" in app.returned()


def test_new_password_step_for_an_admin_created_user(site: Site, page: Any) -> None:
    site.cli.run("user", "create", site.pool_id, "temp@example.com", "--attribute", "given_name=Tem",
                 "--email-verified", "--password", "Temp-pass-1")
    app = App(page, site)
    page.goto(site.authorize())
    _sign_in(page, "temp@example.com", "Temp-pass-1")
    assert page.locator("h1").inner_text() == "Choose a new password"
    shoot(page, "new-password")
    page.get_by_label("New password", exact=True).fill("Chosen-pass-7")
    page.get_by_label("Confirm new password").fill("Chosen-pass-7")
    page.get_by_role("button", name="Set password and sign in").click()
    assert "code" in app.returned()


def _pool_mfa(site: Site, configuration: str) -> None:
    admin = boto3.client("cognito-idp", endpoint_url=site.server.url, region_name=REGION, aws_access_key_id=KEY_ID,
                         aws_secret_access_key=SECRET)
    admin.set_user_pool_mfa_config(UserPoolId=site.pool_id, MfaConfiguration=configuration,
                                   SoftwareTokenMfaConfiguration={"Enabled": True})


def _enrol_totp(site: Site, username: str) -> str:
    """`username` sets up an authenticator app through the JSON API (as an app would); the TOTP secret."""
    _pool_mfa(site, "OPTIONAL")
    api = site.cli.json("client", "create", site.pool_id, "Acme API", "--no-secret",
                        "--auth-flow", "ALLOW_USER_PASSWORD_AUTH", "--auth-flow", "ALLOW_REFRESH_TOKEN_AUTH")
    api_id = str(api.get("UserPoolClient", api).get("ClientId"))
    public = boto3.client("cognito-idp", endpoint_url=site.server.url, region_name=REGION,
                          config=Config(signature_version=UNSIGNED))
    token = public.initiate_auth(ClientId=api_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={
        "USERNAME": username, "PASSWORD": PASSWORD})["AuthenticationResult"]["AccessToken"]
    secret = str(public.associate_software_token(AccessToken=token)["SecretCode"])
    public.verify_software_token(AccessToken=token, UserCode=pyotp.TOTP(secret).now())
    public.set_user_mfa_preference(AccessToken=token, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    return secret


def test_sign_in_with_an_authenticator_code(site: Site, page: Any) -> None:
    site.cli.run("user", "create", site.pool_id, "otto@example.com", "--attribute", "given_name=Otto",
                 "--email-verified", "--password", PASSWORD, "--permanent")
    secret = _enrol_totp(site, "otto@example.com")
    app = App(page, site)
    page.goto(site.authorize())
    _sign_in(page, "otto@example.com", PASSWORD)
    assert page.locator("h1").inner_text() == "Enter your sign-in code" and not app.seen
    shoot(page, "mfa-code")
    next_code = pyotp.TOTP(secret).at(time.time() + 30)  # the step the enrolment used is spent; the next one is not
    page.get_by_label("Code from your authenticator app").fill("000000" if next_code != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    assert "That code is not right" in page.locator("#f-code-error").inner_text()
    shoot(page, "mfa-wrong-code")
    page.get_by_label("Code from your authenticator app").fill(next_code)
    page.get_by_role("button", name="Sign in").click()
    returned = app.returned()
    assert returned["state"] == ["xyz-123"] and "id_token" in _token(site, returned["code"][0])


def test_setting_up_an_authenticator_app_when_the_pool_requires_mfa(site: Site, page: Any) -> None:
    site.cli.run("user", "create", site.pool_id, "nina@example.com", "--attribute", "given_name=Nina",
                 "--email-verified", "--password", PASSWORD, "--permanent")
    _pool_mfa(site, "ON")
    try:
        app = App(page, site)
        page.goto(site.authorize())
        _sign_in(page, "nina@example.com", PASSWORD)
        assert page.locator("h1").inner_text() == "Set up your authenticator app" and not app.seen
        assert page.locator(".qr svg").is_visible()
        shoot(page, "mfa-setup")
        totp = pyotp.TOTP(page.locator("#secret-key").inner_text().replace(" ", ""))
        page.get_by_label("Code from your authenticator app").fill(totp.now())
        page.get_by_role("button", name="Turn on and sign in").click()
        returned = app.returned()
        assert returned["state"] == ["xyz-123"] and "id_token" in _token(site, returned["code"][0])
    finally:
        _pool_mfa(site, "OPTIONAL")  # the module's other accounts have no authenticator app


def test_second_visit_signs_in_without_the_form_and_logout(site: Site, page: Any) -> None:
    app = App(page, site)
    page.goto(site.authorize())
    _sign_in(page, "jane@example.com", PASSWORD)
    first = app.returned()
    page.goto(site.authorize(state="second-visit"))
    second = app.returned()
    assert second["state"] == ["second-visit"] and second["code"] != first["code"]
    assert len(app.seen) == 2
    page.goto(site.url(f"/logout?{urlencode({'client_id': site.client_id, 'logout_uri': site.logout_url})}"))
    page.wait_for_selector("text=Back in the app")
    assert app.seen[-1] == site.logout_url
    page.goto(site.authorize(state="after-logout"))
    assert page.locator("h1").inner_text() == "Sign in"
    page.goto(site.url(f"/logout?{urlencode({'client_id': site.client_id, 'logout_uri': 'https://evil.example/'})}"))
    assert page.locator("h1").inner_text() == "Something went wrong" and urlsplit(page.url).hostname == site.host
    shoot(page, "error-logout-uri")
    page.goto(site.url(f"/logout?client_id={site.client_id}"))
    assert page.locator("h1").inner_text() == "You have been signed out"
    shoot(page, "signed-out")


def test_implicit_flow_and_error_page(site: Site, page: Any) -> None:
    App(page, site)
    page.goto(site.authorize(response_type="token"))
    _sign_in(page, "jane@example.com", PASSWORD)
    page.wait_for_selector("text=Back in the app")
    fragment = parse_qs(urlsplit(page.url).fragment)
    assert fragment["token_type"] == ["bearer"] and fragment["state"] == ["xyz-123"] and fragment["access_token"]
    page.goto(site.authorize(redirect_uri="https://evil.example/cb"))
    assert page.locator("h1").inner_text() == "Something went wrong" and urlsplit(page.url).hostname == site.host
    assert page.locator("dd code").last.inner_text()  # the request id
    shoot(page, "error-redirect-mismatch")


def test_branded_pool(site: Site, page: Any, tmp_path: Any) -> None:
    cli = site.cli
    pool_id = str(cli.json("pool", "create", "Northwind", "--username-attribute", "email")["UserPool"]["Id"])
    client = cli.json("client", "create", pool_id, "Northwind Portal", "--no-secret", "--callback-url",
                      site.callback, "--flow", "code", "--scope", "openid", "--idp", "COGNITO",
                      "--pkce-optional")
    css = tmp_path / "brand.css"
    css.write_text(".card { border-top: 4px solid var(--primary); }\n")
    logo = site.callback.rsplit("/", 1)[0] + "/logo.svg"
    cli.run("pool", "branding", pool_id, "--logo-url", logo, "--primary-color", "#0a7c3e",
            "--background-color", "#eef3ee", "--css-file", str(css))
    query = urlencode({"response_type": "code", "client_id": client["UserPoolClient"]["ClientId"],
                       "redirect_uri": site.callback})
    page.goto(site.url(f"/login?{query}").replace(site.host, "127.0.0.1"))
    assert page.locator("img.logo").evaluate("img => img.naturalWidth") > 0
    colour = page.get_by_role("button", name="Sign in").evaluate("b => getComputedStyle(b).backgroundColor")
    assert colour == "rgb(10, 124, 62)"
    shoot(page, "login-branded")


def test_classic_ui_customization_styles_the_pages(site: Site, page: Any) -> None:
    """CSS written for Cognito's classic hosted UI (SetUICustomization through boto3) restyles Cognate's pages:
    the page background, the submit button and the input borders take its values, and its logo is shown."""
    cli = site.cli
    pool_id = str(cli.json("pool", "create", "Contoso", "--username-attribute", "email")["UserPool"]["Id"])
    client = cli.json("client", "create", pool_id, "Contoso Portal", "--no-secret", "--callback-url",
                      site.callback, "--flow", "code", "--scope", "openid", "--idp", "COGNITO", "--pkce-optional")
    cli.run("domain", "create", pool_id, f"contoso-{pool_id[-6:].lower()}")
    admin = boto3.client("cognito-idp", endpoint_url=site.server.url, region_name=REGION, aws_access_key_id=KEY_ID,
                         aws_secret_access_key=SECRET)
    admin.set_ui_customization(UserPoolId=pool_id, ClientId="ALL", ImageFile=png(120, 40, (90, 20, 160)), CSS=(
        ".background-customizable { background-color: rgb(250, 240, 230); }\n"
        ".submitButton-customizable { background-color: rgb(90, 20, 160); color: #ffffff; }\n"
        ".inputField-customizable { border: 2px solid rgb(200, 100, 0); }\n"))
    query = urlencode({"response_type": "code", "client_id": client["UserPoolClient"]["ClientId"],
                       "redirect_uri": site.callback})
    page.goto(site.url(f"/login?{query}").replace(site.host, "127.0.0.1"))
    assert page.locator("img.logo-customizable").evaluate("img => img.naturalWidth") == 120
    button = page.get_by_role("button", name="Sign in")
    assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(90, 20, 160)"
    background = page.locator(".background-customizable").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(250, 240, 230)"
    field = page.get_by_label("Password")
    assert field.evaluate("e => getComputedStyle(e).borderTopColor") == "rgb(200, 100, 0)"
    shoot(page, "login-ui-customization")

"""Classic hosted-UI branding through boto3 on a real server: SetUICustomization / GetUICustomization, the
served sheet and logo, and the hosted UI's pages using them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.e2e.cognito_api._helpers import error_code, error_of, new_app
from tests.support.images import png

CSS = ".submitButton-customizable { background-color: #123456; }\n.banner-customizable { padding: 4px; }"
LOGO = png(40, 20, (200, 30, 30))


@pytest.fixture
def domain_pool(cognito: Any, pool_id: str) -> str:
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=f"ui-{uuid.uuid4().hex[:10]}")
    return pool_id


def _app(cognito: Any, pool_id: str) -> Any:
    return new_app(cognito, pool_id, CallbackURLs=["https://app.example.com/cb"], AllowedOAuthFlows=["code"],
                   AllowedOAuthScopes=["openid"], AllowedOAuthFlowsUserPoolClient=True,
                   SupportedIdentityProviders=["COGNITO"])


def _login_page(url: str, client_id: str) -> str:
    params = {"client_id": client_id, "response_type": "code", "redirect_uri": "https://app.example.com/cb",
              "code_challenge": "x" * 43, "code_challenge_method": "S256"}
    response = httpx.get(f"{url}/login", params=params, timeout=10)
    assert response.status_code == 200, response.text
    return response.text


def test_pool_default_is_stored_served_and_shown(cognito: Any, api_server: Any, domain_pool: str) -> None:
    set_ = cognito.set_ui_customization(UserPoolId=domain_pool, ClientId="ALL", CSS=CSS, ImageFile=LOGO)
    custom = set_["UICustomization"]
    assert custom["UserPoolId"] == domain_pool and custom["ClientId"] == "ALL" and custom["CSS"] == CSS
    assert custom["CreationDate"] == custom["LastModifiedDate"] and custom["CSSVersion"]
    got = cognito.get_ui_customization(UserPoolId=domain_pool)["UICustomization"]
    assert got == custom

    logo = httpx.get(got["ImageUrl"], timeout=10)
    assert logo.status_code == 200 and logo.content == LOGO
    assert logo.headers["content-type"] == "image/png" and logo.headers["x-content-type-options"] == "nosniff"

    app = _app(cognito, domain_pool)  # a client without its own customization falls back to ALL
    html = _login_page(api_server.url, app.client_id)
    css_path = f"/hosted-ui/custom/{domain_pool}/ALL.css?v={custom['CSSVersion']}"
    assert f'<link rel="stylesheet" href="{css_path}">' in html.replace("&amp;", "&")
    assert f'src="/hosted-ui/logo/{domain_pool}/ALL?v={custom["CSSVersion"]}"' in html.replace("&amp;", "&")
    assert 'class="button submitButton-customizable"' in html
    sheet = httpx.get(api_server.url + css_path, timeout=10)
    assert sheet.status_code == 200 and sheet.text == CSS and sheet.headers["content-type"].startswith("text/css")


def test_a_client_of_its_own_no_longer_falls_back(cognito: Any, api_server: Any, domain_pool: str) -> None:
    own, other = _app(cognito, domain_pool), _app(cognito, domain_pool)
    cognito.set_ui_customization(UserPoolId=domain_pool, CSS=CSS, ImageFile=LOGO)
    mine = ".label-customizable { color: #0a7c3e; }"
    cognito.set_ui_customization(UserPoolId=domain_pool, ClientId=own.client_id, CSS=mine)

    got = cognito.get_ui_customization(UserPoolId=domain_pool, ClientId=own.client_id)["UICustomization"]
    assert got["ClientId"] == own.client_id and got["CSS"] == mine and "ImageUrl" not in got
    fallback = cognito.get_ui_customization(UserPoolId=domain_pool, ClientId=other.client_id)["UICustomization"]
    assert fallback["ClientId"] == "ALL" and fallback["CSS"] == CSS

    html = _login_page(api_server.url, own.client_id)
    assert f"/hosted-ui/custom/{domain_pool}/{own.client_id}.css" in html
    assert "/hosted-ui/logo/" not in html  # its own has no logo: the pool's is not shown either
    assert f"/hosted-ui/logo/{domain_pool}/ALL" in _login_page(api_server.url, other.client_id)

    cognito.delete_user_pool_client(UserPoolId=domain_pool, ClientId=own.client_id)
    assert error_code(lambda: cognito.get_ui_customization(UserPoolId=domain_pool, ClientId=own.client_id)) \
        == "ResourceNotFoundException"
    gone = httpx.get(f"{api_server.url}/hosted-ui/custom/{domain_pool}/{own.client_id}.css", timeout=10)
    assert gone.status_code == 404


def test_nothing_set_answers_only_the_ids(cognito: Any, domain_pool: str) -> None:
    assert cognito.get_ui_customization(UserPoolId=domain_pool)["UICustomization"] == {
        "UserPoolId": domain_pool, "ClientId": "ALL"}


def test_refusals_leave_what_was_set(cognito: Any, api_server: Any, pool_id: str) -> None:
    no_domain = error_of(lambda: cognito.set_ui_customization(UserPoolId=pool_id, CSS=CSS))
    assert no_domain["Code"] == "InvalidParameterException" and "domain" in no_domain["Message"]
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=f"ui-{uuid.uuid4().hex[:10]}")
    cognito.set_ui_customization(UserPoolId=pool_id, CSS=CSS, ImageFile=LOGO)
    before = cognito.get_ui_customization(UserPoolId=pool_id)["UICustomization"]

    set_ = cognito.set_ui_customization
    bad_css = error_of(lambda: set_(UserPoolId=pool_id, CSS="body { color: red; }"))
    assert bad_css["Code"] == "InvalidParameterException" and "body" in bad_css["Message"]
    assert error_code(lambda: set_(UserPoolId=pool_id, CSS="@import url(x.css);")) == "InvalidParameterException"
    assert error_code(lambda: set_(UserPoolId=pool_id, ImageFile=b"GIF89a-not-allowed")) \
        == "InvalidParameterException"
    assert error_code(lambda: set_(UserPoolId=pool_id, ClientId="nosuchclient123", CSS=CSS)) \
        == "ResourceNotFoundException"
    assert error_code(lambda: set_(UserPoolId="us-east-1_Nope12345", CSS=CSS)) == "ResourceNotFoundException"
    assert cognito.get_ui_customization(UserPoolId=pool_id)["UICustomization"] == before

    cleared = set_(UserPoolId=pool_id)["UICustomization"]  # CSS and logo are set together: none clears both
    assert "CSS" not in cleared and "ImageUrl" not in cleared
    assert cleared["CreationDate"] == before["CreationDate"] and cleared["CSSVersion"] != before["CSSVersion"]
    assert httpx.get(before["ImageUrl"], timeout=10).status_code == 404


def test_assets_of_another_pool_are_not_served_on_a_pool_domain(cognito: Any, api_server: Any,
                                                                domain_pool: str) -> None:
    cognito.set_ui_customization(UserPoolId=domain_pool, CSS=CSS)
    prefix = f"ui-{uuid.uuid4().hex[:10]}"
    other = cognito.create_user_pool(PoolName="other")["UserPool"]["Id"]
    cognito.create_user_pool_domain(UserPoolId=other, Domain=prefix)
    path = f"/hosted-ui/custom/{domain_pool}/ALL.css"
    assert httpx.get(api_server.url + path, timeout=10).status_code == 200
    assert httpx.get(api_server.url + path, headers={"Host": f"{prefix}.auth.localhost"}, timeout=10
                     ).status_code == 404


def test_unsigned_calls_are_refused(api_server: Any, domain_pool: str) -> None:
    response = httpx.post(api_server.url + "/", json={"UserPoolId": domain_pool}, timeout=10, headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSCognitoIdentityProviderService.GetUICustomization"})
    assert response.status_code == 403 and response.json()["__type"] == "MissingAuthenticationTokenException"

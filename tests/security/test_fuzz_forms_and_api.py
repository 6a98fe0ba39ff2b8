"""Property-based fuzzing of the hosted-UI forms and of every operation of the JSON API's dispatch table: no input
gives a 500 or a stack trace, and a refused request changes nothing in the database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cognate.cognito_api.dispatch import OPERATIONS
from cognate.cognito_api.shapes import service_model
from tests.security._fuzz import FUZZ, FUZZ_PER_OPERATION, TEXT, Fuzz, fuzz_world, json_values, refused_changes_nothing
from tests.security.conftest import CB, csrf_of

FORMS = ["/login", "/signup", "/confirmUser", "/forgotPassword", "/confirmForgotPassword", "/confirmforgotPassword",
         "/newPassword", "/mfa", "/mfaSetup"]
FIELDS = ["username", "password", "email", "given_name", "name", "phone_number", "code", "new_password",
          "confirm_password", "flow", "session", "resend", "custom:x", "email_verified", "sub"]


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory, module_database_url: str) -> Iterator[Fuzz]:
    yield from fuzz_world(tmp_path_factory, module_database_url)


def _clean(values: dict[str, str]) -> dict[str, str]:
    return {k: v.replace("\x00", "") for k, v in values.items()}


@FUZZ
@given(data=st.data(), path=st.sampled_from(FORMS), with_csrf=st.booleans())
def test_fuzz_hosted_ui_forms_never_error(fuzz: Fuzz, data: st.DataObject, path: str, with_csrf: bool) -> None:
    world = fuzz.world
    query = data.draw(st.fixed_dictionaries({}, optional={
        "client_id": st.one_of(st.sampled_from([world.web.id, world.spa.id, world.other.id]), TEXT),
        "redirect_uri": st.one_of(st.just(CB), TEXT), "response_type": st.sampled_from(["code", "token", "x"]),
        "state": TEXT, "scope": TEXT, "lang": TEXT, "flow": TEXT}).map(_clean))
    form = data.draw(st.dictionaries(st.one_of(st.sampled_from(FIELDS), TEXT), TEXT, max_size=8).map(_clean))
    form.pop("_csrf", None)
    world.http.cookies.clear()
    if with_csrf:
        page = fuzz.run(lambda: world.http.get(f"/login?{world.authorize_query()}"))
        form["_csrf"] = csrf_of(page.text)
    response = fuzz.run(lambda: refused_changes_nothing(world, lambda: world.http.post(path, params=query,
                                                                                       data=form)))
    if not with_csrf and response.status_code >= 400:
        assert response.status_code in (400, 403)
    if "location" in response.headers:
        location = response.headers["location"]
        assert location.startswith(("/", CB + "?", CB + "#")) and not location.startswith("//"), location


def _member_value(fuzz: Fuzz, name: str, operation: str) -> Any:
    world = fuzz.world
    pools = [world.other_pool.id, "us-east-1_NoSuchPoo"] + ([] if operation.startswith("Delete") else [world.pool.id])
    choices: dict[str, list[Any]] = {
        "UserPoolId": pools, "ClientId": [world.spa.id, world.web.id, "nosuchclient"],
        "Username": ["fuzz-nobody", "bob"], "AuthFlow": ["USER_PASSWORD_AUTH", "USER_SRP_AUTH", "REFRESH_TOKEN_AUTH",
                                                         "ADMIN_USER_PASSWORD_AUTH", "CUSTOM_AUTH"],
        "ChallengeName": ["PASSWORD_VERIFIER", "NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA"],
        "AuthParameters": [{"USERNAME": "fuzz-nobody", "PASSWORD": "x"}, {"SRP_A": "0"}, {"REFRESH_TOKEN": "x.y"}],
        "AccessToken": ["a.b.c", "eyJhbGciOiJub25lIn0.e30."], "Filter": ['username = "x"', 'email ^= "', "x"],
    }
    generic = json_values()
    return st.one_of(st.sampled_from(choices[name]), generic) if name in choices else generic


def _body(fuzz: Fuzz, operation: str) -> st.SearchStrategy[dict[str, Any]]:
    members = [name for name, _ in service_model().input_shape(operation).members]
    known = {m: _member_value(fuzz, m, operation) for m in members}
    extra = st.dictionaries(TEXT, json_values(), max_size=2)
    return st.tuples(st.fixed_dictionaries({}, optional=known), extra).map(lambda t: {**t[1], **t[0]})


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
@FUZZ_PER_OPERATION
@given(data=st.data(), signed=st.booleans(), raw=st.one_of(st.none(), st.binary(max_size=40)))
def test_fuzz_json_api_operation_never_errors(fuzz: Fuzz, operation: str, data: st.DataObject, signed: bool,
                                              raw: bytes | None) -> None:
    world = fuzz.world
    body = raw if raw is not None else json.dumps(data.draw(_body(fuzz, operation))).encode()
    response = fuzz.run(lambda: refused_changes_nothing(world, lambda: world.api(operation, body, signed=signed)))
    answer = response.json()
    assert isinstance(answer, dict)
    if response.status_code >= 400:
        assert set(answer) == {"__type", "message"} and answer["__type"].endswith("Exception"), answer

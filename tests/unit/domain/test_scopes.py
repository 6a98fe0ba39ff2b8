"""Built-in and resource-server scopes (spec §3)."""

from __future__ import annotations

from typing import Any

import pytest

from cognate.domain.errors import InvalidParameterException, ScopeDoesNotExistException
from cognate.domain.scopes import (
    ResourceServer,
    ResourceServerScope,
    build_resource_server,
    check_allowed_scopes,
    is_custom_scope,
)

POOL = "eu-west-2_abcdefghi"


def server(**overrides: Any) -> dict[str, Any]:
    req: dict[str, Any] = {
        "Identifier": "https://api.example.com",
        "Name": "API",
        "Scopes": [{"ScopeName": "read", "ScopeDescription": "Read things"}],
    }
    req.update(overrides)
    return req


def test_build_resource_server() -> None:
    rs = build_resource_server(POOL, server())
    assert rs == ResourceServer(POOL, "https://api.example.com", "API", (ResourceServerScope("read", "Read things"),))
    assert rs.full_scopes == ("https://api.example.com/read",)


def test_to_cognito_shape() -> None:
    rs = build_resource_server(POOL, server())
    assert rs.to_cognito() == {
        "UserPoolId": POOL,
        "Identifier": "https://api.example.com",
        "Name": "API",
        "Scopes": [{"ScopeName": "read", "ScopeDescription": "Read things"}],
    }


def test_no_scopes_is_allowed() -> None:
    assert build_resource_server(POOL, server(Scopes=None)).scopes == ()


@pytest.mark.parametrize("name", [None, ""])
def test_empty_name_refused(name: str | None) -> None:
    with pytest.raises(InvalidParameterException, match="Value at 'name' failed to satisfy constraint: Member must"):
        build_resource_server(POOL, server(Name=name))


def test_name_over_256_refused() -> None:
    with pytest.raises(InvalidParameterException, match="length less than or equal to 256"):
        build_resource_server(POOL, server(Name="a" * 257))
    assert build_resource_server(POOL, server(Name="a" * 256)).name == "a" * 256


def test_name_bad_characters_refused() -> None:
    with pytest.raises(InvalidParameterException, match="at 'name' failed to satisfy constraint: Member must satisfy"):
        build_resource_server(POOL, server(Name="api/v1"))


@pytest.mark.parametrize("identifier", ["", None, "has space", 'quote"d', "back\\slash", "api\n"])
def test_bad_identifier_refused(identifier: str | None) -> None:
    with pytest.raises(InvalidParameterException, match="'identifier'"):
        build_resource_server(POOL, server(Identifier=identifier))


def test_identifier_over_256_refused() -> None:
    with pytest.raises(InvalidParameterException, match="length less than or equal to 256"):
        build_resource_server(POOL, server(Identifier="x" * 257))


def test_scope_name_with_slash_refused() -> None:
    with pytest.raises(InvalidParameterException, match="'scopeName'"):
        build_resource_server(POOL, server(Scopes=[{"ScopeName": "a/b", "ScopeDescription": "d"}]))


def test_multi_line_scope_description_accepted() -> None:
    scopes = [{"ScopeName": "read", "ScopeDescription": "Read\nthings"}]
    assert build_resource_server(POOL, server(Scopes=scopes)).scopes[0].description == "Read\nthings"


def test_scope_without_description_refused() -> None:
    with pytest.raises(InvalidParameterException, match="'scopeDescription'"):
        build_resource_server(POOL, server(Scopes=[{"ScopeName": "read"}]))


def test_duplicate_scope_refused() -> None:
    scopes = [{"ScopeName": "read", "ScopeDescription": "a"}, {"ScopeName": "read", "ScopeDescription": "b"}]
    with pytest.raises(InvalidParameterException, match="Duplicate scope name read"):
        build_resource_server(POOL, server(Scopes=scopes))


def test_more_than_100_scopes_refused() -> None:
    scopes = [{"ScopeName": f"s{i}", "ScopeDescription": "d"} for i in range(101)]
    with pytest.raises(InvalidParameterException, match="at most 100"):
        build_resource_server(POOL, server(Scopes=scopes))
    assert len(build_resource_server(POOL, server(Scopes=scopes[:100])).scopes) == 100


def test_builtin_scopes_always_exist() -> None:
    scopes = ("openid", "email", "phone", "profile", "aws.cognito.signin.user.admin")
    assert check_allowed_scopes(scopes, frozenset()) == scopes


def test_unknown_scope_raises_scope_does_not_exist() -> None:
    with pytest.raises(ScopeDoesNotExistException, match=r"^Invalid scope requested: api/write$"):
        check_allowed_scopes(("openid", "api/write"), frozenset({"api/read"}))


def test_resource_server_scope_accepted_when_available() -> None:
    assert check_allowed_scopes(("api/read",), frozenset({"api/read"})) == ("api/read",)


@pytest.mark.parametrize("scope", ["has space", "api/read\n", 'q"uote'])
def test_scope_with_invalid_characters_refused(scope: str) -> None:
    with pytest.raises(InvalidParameterException, match="Invalid scope"):
        check_allowed_scopes((scope,), frozenset({scope}))


def test_scope_over_256_refused() -> None:
    long_scope = "a" * 257
    with pytest.raises(InvalidParameterException, match="Invalid scope"):
        check_allowed_scopes((long_scope,), frozenset({long_scope}))


def test_more_than_50_scopes_refused() -> None:
    scopes = tuple(f"api/s{i}" for i in range(51))
    with pytest.raises(InvalidParameterException, match="at most 50 scopes"):
        check_allowed_scopes(scopes, frozenset(scopes))


def test_is_custom_scope() -> None:
    assert is_custom_scope("api/read")
    assert not is_custom_scope("openid")
    assert not is_custom_scope("aws.cognito.signin.user.admin")

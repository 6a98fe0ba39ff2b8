"""Groups (CreateGroup/UpdateGroup): names, precedence, role ARN."""

from __future__ import annotations

from typing import Any

import pytest

from cognate.domain.errors import InvalidParameterException
from cognate.domain.groups import Group, build_group, group_to_cognito, update_group

POOL = "eu-west-2_abcdefghi"
ROLE = "arn:aws:iam::123456789012:role/Admins"


def make(**req: Any) -> Group:
    return build_group(POOL, {"GroupName": "admins", **req}, 100.0)


def test_minimal_group() -> None:
    assert make() == Group(pool_id=POOL, name="admins", created_at=100.0, updated_at=100.0)


def test_full_group() -> None:
    g = make(Description="Admins", Precedence=0, RoleArn=ROLE)
    assert (g.description, g.precedence, g.role_arn) == ("Admins", 0, ROLE)


@pytest.mark.parametrize("name", [None, ""])
def test_empty_name_refused(name: str | None) -> None:
    with pytest.raises(InvalidParameterException, match="'groupName' failed to satisfy constraint: Member must not"):
        make(GroupName=name)


def test_name_over_128_refused() -> None:
    with pytest.raises(InvalidParameterException, match="length less than or equal to 128"):
        make(GroupName="g" * 129)
    assert make(GroupName="g" * 128).name == "g" * 128


@pytest.mark.parametrize("name", ["two words", "tab\tname", "admins\n"])
def test_name_bad_characters_refused(name: str) -> None:
    with pytest.raises(InvalidParameterException, match="'groupName' failed to satisfy constraint: Member must sat"):
        make(GroupName=name)


@pytest.mark.parametrize("name", ["Admins", "team:eu-west", "a.b+c@d", "g_1"])
def test_name_punctuation_accepted(name: str) -> None:
    assert make(GroupName=name).name == name


@pytest.mark.parametrize("precedence", [0, 2**31 - 1])
def test_precedence_bounds_accepted(precedence: int) -> None:
    assert make(Precedence=precedence).precedence == precedence


@pytest.mark.parametrize(
    ("precedence", "message"),
    [(-1, "must be between 0 and 2147483647"), (2**31, "must be between 0 and"), ("1", "must be an integer"),
     (True, "must be an integer")],
)
def test_precedence_out_of_bounds(precedence: object, message: str) -> None:
    with pytest.raises(InvalidParameterException, match=f"Precedence {message}"):
        make(Precedence=precedence)


@pytest.mark.parametrize("arn", ["admins", "arn:aws:iam::role/Admins", "arn:aws:iam::12ab:role/A", ROLE + "\n", 42])
def test_bad_role_arn_refused(arn: object) -> None:
    with pytest.raises(InvalidParameterException, match="RoleArn must be an IAM role ARN"):
        make(RoleArn=arn)


def test_description_limit() -> None:
    assert make(Description="d" * 2048).description == "d" * 2048
    with pytest.raises(InvalidParameterException, match="Description must be at most 2048 characters"):
        make(Description="d" * 2049)


def test_update_keeps_unspecified_fields() -> None:
    g = make(Description="old", Precedence=5, RoleArn=ROLE)
    u = update_group(g, {"GroupName": "admins", "UserPoolId": POOL, "Description": "new"}, 200.0)
    assert (u.description, u.precedence, u.role_arn) == ("new", 5, ROLE)
    assert (u.name, u.created_at, u.updated_at) == ("admins", 100.0, 200.0)


def test_update_with_none_keeps_value() -> None:
    g = make(Precedence=5)
    assert update_group(g, {"Precedence": None, "RoleArn": ROLE}, 200.0).precedence == 5


def test_update_validates() -> None:
    with pytest.raises(InvalidParameterException, match="Precedence must be between"):
        update_group(make(), {"Precedence": -5}, 200.0)


def test_to_cognito_omits_unset() -> None:
    assert group_to_cognito(make()) == {"GroupName": "admins", "UserPoolId": POOL, "LastModifiedDate": 100.0,
                                        "CreationDate": 100.0}
    assert group_to_cognito(make(Precedence=0))["Precedence"] == 0

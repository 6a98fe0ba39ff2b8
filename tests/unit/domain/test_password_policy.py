"""Pool password policy: defaults, bounds and each violation (spec §5)."""

from __future__ import annotations

from typing import Any

import pytest

from cognate.domain.errors import InvalidParameterException, InvalidPasswordException
from cognate.domain.password_policy import SYMBOLS, PasswordPolicy

DEFAULT = PasswordPolicy()
GOOD = "Passw0rd!"


def test_defaults() -> None:
    assert DEFAULT.to_cognito() == {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "TemporaryPasswordValidityDays": 7,
    }
    assert PasswordPolicy.from_cognito(None) == DEFAULT
    assert PasswordPolicy.from_cognito({}) == DEFAULT


def test_from_cognito_round_trip() -> None:
    policy = PasswordPolicy(minimum_length=99, require_uppercase=False, require_lowercase=False,
                            require_numbers=False, require_symbols=False, temporary_password_validity_days=365)
    assert PasswordPolicy.from_cognito(policy.to_cognito()) == policy


@pytest.mark.parametrize("length", [6, 99])
def test_minimum_length_bounds_accepted(length: int) -> None:
    assert PasswordPolicy.from_cognito({"MinimumLength": length}).minimum_length == length


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"MinimumLength": 5}, "MinimumLength must be between 6 and 99"),
        ({"MinimumLength": 100}, "MinimumLength must be between 6 and 99"),
        ({"MinimumLength": "8"}, "MinimumLength must be an integer"),
        ({"MinimumLength": True}, "MinimumLength must be an integer"),
        ({"RequireSymbols": "true"}, "RequireSymbols must be a boolean"),
        ({"TemporaryPasswordValidityDays": 366}, "TemporaryPasswordValidityDays must be between 0 and 365"),
        ({"TemporaryPasswordValidityDays": -1}, "TemporaryPasswordValidityDays must be between 0 and 365"),
    ],
)
def test_out_of_bounds_refused(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidParameterException, match=message):
        PasswordPolicy.from_cognito(raw)


def test_temporary_password_validity_zero_means_default() -> None:
    assert PasswordPolicy.from_cognito({"TemporaryPasswordValidityDays": 0}).temporary_password_validity_days == 7


def test_good_password_has_no_violations() -> None:
    assert DEFAULT.violations(GOOD) == []
    DEFAULT.check(GOOD)


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Pas0rd!", "Password not long enough"),
        ("PASSW0RD!", "Password must have lowercase characters"),
        ("passw0rd!", "Password must have uppercase characters"),
        ("Password!", "Password must have numeric characters"),
        ("Passw0rdX", "Password must have symbol characters"),
    ],
)
def test_each_rule(password: str, expected: str) -> None:
    problems = DEFAULT.violations(password)
    assert len(problems) == 1
    assert problems[0].startswith(expected)


def test_all_violations_listed_in_order() -> None:
    problems = DEFAULT.violations("")
    assert [p.split(" (")[0] for p in problems] == [
        "Password not long enough",
        "Password must have uppercase characters",
        "Password must have lowercase characters",
        "Password must have numeric characters",
        "Password must have symbol characters",
    ]


def test_relaxed_policy() -> None:
    relaxed = PasswordPolicy(minimum_length=6, require_uppercase=False, require_lowercase=False,
                             require_numbers=False, require_symbols=False)
    assert relaxed.violations("aaaaaa") == []
    assert relaxed.violations("aaaaa") == ["Password not long enough (minimum 6 characters)"]


def test_max_length_256() -> None:
    base = "Aa1!"
    assert DEFAULT.violations(base + "x" * 252) == []
    assert DEFAULT.violations(base + "x" * 253) == ["Password too long (maximum 256 characters)"]


@pytest.mark.parametrize("password", [" Passw0rd!", "Passw0rd! ", "\tPassw0rd!"])
def test_leading_or_trailing_space_refused(password: str) -> None:
    assert "Password must not begin or end with a space" in DEFAULT.violations(password)


def test_inner_space_counts_as_symbol() -> None:
    assert DEFAULT.violations("Pass w0rd") == []


@pytest.mark.parametrize("symbol", sorted(SYMBOLS - {" "}))
def test_every_cognito_symbol_counts(symbol: str) -> None:
    assert DEFAULT.violations(f"Passw0rd{symbol}") == []


def test_symbol_set_matches_spec() -> None:
    assert set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ") == SYMBOLS


def test_check_raises_first_violation() -> None:
    with pytest.raises(InvalidPasswordException) as err:
        DEFAULT.check("short")
    assert err.value.message.startswith("Password did not conform with policy: Password not long enough")


def test_check_message_for_missing_symbol() -> None:
    with pytest.raises(InvalidPasswordException, match=r"^Password did not conform with policy: Password must have s"):
        DEFAULT.check("Passw0rdX")

"""Identifier formats (spec §0)."""

from __future__ import annotations

import re
from itertools import cycle

import pytest

from cognate.domain.ids import (
    is_pool_id,
    new_client_id,
    new_client_secret,
    new_pool_id,
    new_sub,
    pool_name_part,
)


def test_pool_id_format() -> None:
    for _ in range(20):
        assert re.fullmatch(r"eu-west-2_[A-Za-z0-9]{9}", new_pool_id("eu-west-2"))


def test_pool_id_uses_injected_choice() -> None:
    letters = cycle("abc")
    assert new_pool_id("us-east-1", lambda alphabet: next(letters)) == "us-east-1_abcabcabc"


def test_pool_id_draws_from_mixed_case_alphabet() -> None:
    seen: list[str] = []

    def first(alphabet: str) -> str:
        seen.append(alphabet)
        return alphabet[0]

    assert new_pool_id("x", first) == "x_AAAAAAAAA"
    assert set(seen[0]) == set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def test_client_id_format() -> None:
    for _ in range(20):
        assert re.fullmatch(r"[a-z0-9]{26}", new_client_id())


def test_client_secret_format() -> None:
    for _ in range(20):
        assert re.fullmatch(r"[a-z0-9]{52}", new_client_secret())


def test_ids_are_random() -> None:
    assert len({new_client_id() for _ in range(50)}) == 50
    assert len({new_pool_id("eu-west-2") for _ in range(50)}) == 50


def test_sub_is_uuid_text() -> None:
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", new_sub())
    assert new_sub() != new_sub()


def test_pool_name_part() -> None:
    assert pool_name_part("eu-west-2_mQWqhJueg") == "mQWqhJueg"


@pytest.mark.parametrize("value", ["eu-west-2_mQWqhJueg", "us-east-1_A", "local_123456789"])
def test_is_pool_id_true(value: str) -> None:
    assert is_pool_id(value)


def test_generated_pool_id_is_pool_id() -> None:
    assert is_pool_id(new_pool_id("ap-southeast-2"))


@pytest.mark.parametrize(
    "value",
    ["", "eu-west-2", "eu-west-2_", "_abc", "eu-west-2_ab-c", "eu-west-2_ab c", "eu-west-2_abc\n",
     "eu/west_abc", "a" * 50 + "_abcde"],
)
def test_is_pool_id_false(value: str) -> None:
    assert not is_pool_id(value)


def test_is_pool_id_length_limit() -> None:
    assert is_pool_id("a" * 45 + "_" + "b" * 9)
    assert len("a" * 45 + "_" + "b" * 9) == 55

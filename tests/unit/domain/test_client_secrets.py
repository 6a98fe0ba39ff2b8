"""An app client's secret set: the bare legacy form, the JSON list, at most two, never none."""

from __future__ import annotations

import pytest

from cognate.domain.client_secrets import (
    ClientSecret,
    legacy_id,
    secrets_from_plain,
    secrets_to_plain,
    with_added,
    without,
)
from cognate.domain.errors import InvalidParameterException, LimitExceededException, ResourceNotFoundException

OLD = ClientSecret("a1", "s" * 52, 10.0)
NEW = ClientSecret("b2", "t" * 52, 20.0)


def test_a_secret_stored_before_rotation_reads_as_one_with_a_stable_id() -> None:
    found = secrets_from_plain("abc123" * 8, client_id="client1", created_at=5.0)
    assert found == [ClientSecret(legacy_id("client1"), "abc123" * 8, 5.0)]
    assert legacy_id("client1") == legacy_id("client1") != legacy_id("client2")


def test_the_list_form_round_trips() -> None:
    assert secrets_from_plain(secrets_to_plain([OLD, NEW]), client_id="c", created_at=0) == [OLD, NEW]


def test_at_most_two_and_never_a_duplicate_or_a_first_one() -> None:
    assert with_added([OLD], NEW) == [OLD, NEW]
    with pytest.raises(LimitExceededException):
        with_added([OLD, NEW], ClientSecret("c3", "u" * 52, 30.0))
    with pytest.raises(InvalidParameterException, match="already"):
        with_added([OLD], ClientSecret("c3", OLD.value, 30.0))
    with pytest.raises(InvalidParameterException, match="public client"):
        with_added([], NEW)


def test_delete_keeps_the_other_and_never_the_last() -> None:
    assert without([OLD, NEW], "a1") == [NEW]
    with pytest.raises(ResourceNotFoundException):
        without([OLD, NEW], "zz")
    with pytest.raises(InvalidParameterException, match="last"):
        without([NEW], "b2")

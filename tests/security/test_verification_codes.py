"""Verification codes against the address race (issue 12 item 3): a code checked while the email was A must not
verify B when B is written between the check and the verified flag (spec §5, §6)."""

from __future__ import annotations

from typing import Any

import pytest

from cognate.domain.errors import ExpiredCodeException
from cognate.services import self_service, users
from cognate.services.codes import check_code
from tests.security.conftest import ASYNC, PASSWORD, World

pytestmark = ASYNC


async def test_email_changed_between_code_check_and_verified_flag_stays_unverified(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    await users.create_user(world.deps, world.pool.id, username="mallory",
                            attributes={"email": "mallory@example.com", "email_verified": "true"},
                            password=PASSWORD, permanent=True)
    signed_in = await world.password_auth("mallory", PASSWORD)
    access = signed_in.json()["AuthenticationResult"]["AccessToken"]
    await users.update_attributes(world.deps, world.pool.id, "mallory", {"email": "mine@example.com"})
    await self_service.attribute_verification_code(world.deps, access, "email")
    code = world.mail.last_code("mine@example.com")

    async def check_then_change_email(*args: Any) -> Any:  # the parallel UpdateUserAttributes lands in between
        checked = await check_code(*args)
        await users.update_attributes(world.deps, world.pool.id, "mallory", {"email": "victim@example.com"})
        return checked

    monkeypatch.setattr(self_service, "check_code", check_then_change_email)
    with pytest.raises(ExpiredCodeException):
        await self_service.verify_attribute(world.deps, access, "email", code)
    user = await users.get_user(world.deps, world.pool.id, "mallory")
    assert user.attributes["email"] == "victim@example.com" and user.attributes["email_verified"] == "false"

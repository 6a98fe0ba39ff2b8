"""A code the SMTP server could not take (e.g. it offers no STARTTLS) is a readable page, never a 500."""

from __future__ import annotations

import pytest

from cognate.domain.errors import CodeDeliveryFailureException
from cognate.mail.base import Mail
from tests.http.hosted_ui.conftest import PASSWORD, Ui

pytestmark = pytest.mark.asyncio


async def test_sign_up_whose_code_cannot_be_delivered_shows_a_page(ui: Ui, monkeypatch: pytest.MonkeyPatch) -> None:
    async def refuse(mail: Mail) -> None:
        raise CodeDeliveryFailureException("Unable to deliver the message; please try again later.")

    monkeypatch.setattr(ui.mail, "send", refuse)
    response = await ui.submit(f"/signup?{ui.query()}", {"email": "sam@example.com", "given_name": "Sam",
                                                         "password": PASSWORD})
    assert 400 <= response.status_code < 500, response.status_code
    assert "That did not work. Please try again." in response.text

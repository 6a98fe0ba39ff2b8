"""The signed values a page carries to the next step (`flow`, `session`) keep their wire format: a flow sealed
before an upgrade still opens after it, so nobody half-way through a sign-up, reset or new password starts over."""

from __future__ import annotations

from urllib.parse import urlencode

from itsdangerous import URLSafeSerializer

from cognate.services import users
from tests.http.hosted_ui.conftest import FLOW_RE, Ui, location_params


def _sealed_as_before(ui: Ui, purpose: str, data: dict[str, str]) -> str:
    """A value the way the pages sealed it until now: short keys, `exp` on the clock, salted by purpose."""
    serializer = URLSafeSerializer(ui.deps.sealer.derive("hosted-ui-steps"), salt=f"cognate-{purpose}")
    return str(serializer.dumps({**data, "exp": int(ui.clock.now()) + 3600}))


async def test_a_confirm_flow_in_flight_still_names_the_user_and_where_the_code_went(ui: Ui) -> None:
    flow = _sealed_as_before(ui, "confirm", {"u": "sam@example.com", "d": "s***@e***"})
    page = await ui.page(f"/confirmUser?{urlencode({'client_id': ui.web.id, 'flow': flow})}")
    assert page.status_code == 200
    assert 'value="sam@example.com"' in page.text and "s***@e***" in page.text and f'value="{flow}"' in page.text


async def test_a_reset_flow_in_flight_still_names_the_user_and_where_the_code_went(ui: Ui) -> None:
    flow = _sealed_as_before(ui, "reset", {"u": "jane@example.com", "d": "j***@e***"})
    page = await ui.page(f"/confirmForgotPassword?{urlencode({'client_id': ui.web.id, 'flow': flow})}")
    assert page.status_code == 200
    assert 'value="jane@example.com"' in page.text and "j***@e***" in page.text and f'value="{flow}"' in page.text


async def test_a_new_password_session_in_flight_still_finishes_the_sign_in(ui: Ui) -> None:
    user, _ = await users.create_user(ui.deps, ui.pool.id, username="temp@example.com",
                                      attributes={"given_name": "Tem"}, password="Temp-pass-1")
    step = await ui.login("temp@example.com", "Temp-pass-1")
    session = _sealed_as_before(ui, "new-password", {"p": ui.pool.id, "c": ui.web.id, "u": user.username})
    done = await ui.post(f"/newPassword?{ui.query()}", {"session": session, "new_password": "Brand-new-1",
                                                        "confirm_password": "Brand-new-1"}, page=step.text)
    assert done.status_code == 303 and "code" in location_params(done)


async def test_a_confirm_flow_does_not_open_the_reset_page(ui: Ui) -> None:
    """The two code flows share a shape; the purpose in the signature keeps one from standing in for the other."""
    flow = _sealed_as_before(ui, "confirm", {"u": "jane@example.com", "d": "j***@e***"})
    page = await ui.page(f"/confirmForgotPassword?{urlencode({'client_id': ui.web.id, 'flow': flow})}")
    assert page.status_code == 200
    assert "jane@example.com" not in page.text and "j***@e***" not in page.text
    carried = FLOW_RE.search(page.text)
    assert carried is not None and carried.group(1) == ""  # the form does not carry the foreign flow on

"""The sign-up story of the hosted UI (spec §1): /signup, then /confirmUser with the e-mailed code (or its e-mail
link); the browser that signed up then goes on to the app like after a password, any other confirmation to the
sign-in page or a "confirmed" page.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.responses import Response

from cognate.domain.errors import CognitoError
from cognate.domain.users import User
from cognate.hosted_ui import _signed as signed
from cognate.hosted_ui import forms, pages
from cognate.hosted_ui._cookies import forget_cookie, set_signup_cookie
from cognate.hosted_ui._signed import ConfirmFlow
from cognate.hosted_ui._steps import (
    FLOW_TTL,
    confirm_body,
    done_page,
    link,
    notice,
    signup_body,
    signup_problems,
)
from cognate.hosted_ui._ui import Respond, Target, Ui, page
from cognate.hosted_ui.sign_in import second_step_or_signed_in
from cognate.services.signup import confirm_sign_up, resend_confirmation_code, sign_up
from cognate.services.signup_sign_in import resumed_request, seal_sign_up, sign_in_confirmed
from cognate.web.cookies import signup_cookie_name, signup_cookie_options


@page
async def signup_get(ui: Ui) -> Response:
    target = await ui.target()
    return ui.html(signup_body(ui, target))


@page
async def signup_post(ui: Ui) -> Response:
    raw = await ui.form()
    target = await ui.target()
    form = forms.SignUpForm.parse(raw, target.pool)
    problems = signup_problems(ui, target, form)
    if problems is not None:
        return ui.html(problems, 400)
    try:
        result = await sign_up(ui.deps, client_id=target.client.id, username=form.username, password=form.password,
                               attributes=form.attributes, secret_hash=target.secret_hash(form.username))
    except CognitoError as exc:
        return ui.html(signup_body(ui, target, form=form, error=exc), 400)
    destination = result.delivery.destination if result.delivery else ""
    flow = signed.seal(ui.deps, ConfirmFlow(form.username, destination), ttl=FLOW_TTL)
    response = ui.redirect(link(target, "/confirmUser", flow=flow))
    if target.request is not None:  # only a sign-up that came from an app can go back to it
        set_signup_cookie(ui, response, seal_sign_up(ui.deps, user=result.user, client=target.client,
                                                     query=target.query))
    return response


@page
async def confirm_get(ui: Ui) -> Response:
    target = await ui.target()
    if "confirmation_code" in ui.params:  # the e-mail link form
        username = ui.params.get("user_name", "")
        return await _confirm(ui, target, username, ui.params["confirmation_code"], flow="")
    flow = ui.params.get("flow", "")
    step = signed.unseal(ui.deps, ConfirmFlow, flow)
    status = pages.Status(notice=notice(ui, step.destination if step else None))
    return ui.html(confirm_body(ui, target, step or ConfirmFlow(""), flow=flow if step else "", status=status))


@page
async def confirm_post(ui: Ui) -> Response:
    form = forms.ConfirmForm.parse(await ui.form())
    target = await ui.target()
    step = signed.unseal(ui.deps, ConfirmFlow, form.flow)
    username = step.username if step else form.username
    if form.resend:
        return await _resend(ui, target, username)
    if not username or not form.code:
        status = pages.Status(fields={"code" if username else "username": ui.t("error.required")})
        return ui.html(confirm_body(ui, target, step or ConfirmFlow(username), flow=form.flow if step else "",
                                    status=status), 400)
    proof = ui.request.cookies.get(signup_cookie_name(ui.https))
    return await _confirm(ui, target, username, form.code, flow=form.flow if step else "", proof=proof)


async def _confirm(ui: Ui, target: Target, username: str, code: str, *, flow: str,
                   proof: str | None = None) -> Response:
    """Confirm the account; then the browser that signed up (`proof`, its sign-up cookie) goes on to the app, and
    any other confirmation (another browser, the e-mail link) to the sign-in page or the "confirmed" page."""
    try:
        confirmed = await confirm_sign_up(ui.deps, client_id=target.client.id, username=username, code=code,
                                          secret_hash=target.secret_hash(username))
    except CognitoError as exc:
        step = signed.unseal(ui.deps, ConfirmFlow, flow) or ConfirmFlow(username)
        status = pages.Status(fields={"code": ui.sentence(exc)})
        return ui.html(confirm_body(ui, target, step, flow=flow, status=status), 400)
    if proof is None:
        return _confirmed(ui, target, username)
    response = await _continue_after_sign_up(ui, target, username, confirmed, proof)
    forget_cookie(response, signup_cookie_name(ui.https), signup_cookie_options(ui.https, 0))  # used up either way
    return response


def _confirmed(ui: Ui, target: Target, username: str) -> Response:
    if target.request is None:
        return ui.html(done_page(ui, target, "title.confirmed", "confirmed.body"))
    return ui.redirect(link(target, "/login", notice="confirmed", login_hint=username))


async def _continue_after_sign_up(ui: Ui, target: Target, username: str, confirmed: User, proof: str) -> Response:
    """Signed in like after the password (the MFA steps when the pool asks for them, else back to the app with the
    authorize request sealed at sign-up) when the proof is this browser's for this account; else `_confirmed`."""
    query = resumed_request(ui.deps, proof, pool=target.pool, client=target.client, confirmed=confirmed)
    if query is None:
        return _confirmed(ui, target, username)
    try:
        req = await ui.authorize(dict(parse_qsl(query, keep_blank_values=True)))
        user = await sign_in_confirmed(ui.deps, pool=req.pool, client=req.client, confirmed=confirmed)
    except (Respond, CognitoError):  # the app's settings changed meanwhile, or a disabled or locked account
        return _confirmed(ui, target, username)
    resumed = Target.of(req)
    return await second_step_or_signed_in(ui, req, resumed, user)


async def _resend(ui: Ui, target: Target, username: str) -> Response:
    try:
        delivery = await resend_confirmation_code(ui.deps, client_id=target.client.id, username=username,
                                                  secret_hash=target.secret_hash(username))
    except CognitoError as exc:
        status = pages.Status(error=ui.sentence(exc))
        return ui.html(confirm_body(ui, target, ConfirmFlow(username), flow="", status=status), 400)
    flow = signed.seal(ui.deps, ConfirmFlow(username, delivery.destination), ttl=FLOW_TTL)
    return ui.redirect(link(target, "/confirmUser", flow=flow, notice="code_resent"))

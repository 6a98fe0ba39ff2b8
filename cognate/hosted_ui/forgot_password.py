"""The forgot-password story of the hosted UI (spec §1): /forgotPassword sends a code, /confirmForgotPassword (and
Cognito's /confirmforgotPassword spelling) takes it with the new password, then back to sign-in or a "done" page.
"""

from __future__ import annotations

from starlette.responses import Response

from cognate.domain.errors import CognitoError
from cognate.hosted_ui import _signed as signed
from cognate.hosted_ui import forms, pages
from cognate.hosted_ui._signed import ResetFlow
from cognate.hosted_ui._steps import FLOW_TTL, done_page, forgot_body, link, reset_body, reset_problems
from cognate.hosted_ui._ui import Ui, page
from cognate.services.password_reset import confirm_forgot_password, forgot_password


@page
async def forgot_get(ui: Ui) -> Response:
    return ui.html(forgot_body(ui, await ui.target(), username=ui.params.get("login_hint", "")))


@page
async def forgot_post(ui: Ui) -> Response:
    form = forms.ForgotForm.parse(await ui.form())
    target = await ui.target()
    if not form.username:
        return ui.html(forgot_body(ui, target, status=pages.Status(fields={"username": ui.t("error.required")})), 400)
    try:
        delivery = await forgot_password(ui.deps, client_id=target.client.id, username=form.username,
                                         secret_hash=target.secret_hash(form.username))
    except CognitoError as exc:
        status = pages.Status(error=ui.sentence(exc))
        return ui.html(forgot_body(ui, target, username=form.username, status=status), 400)
    flow = signed.seal(ui.deps, ResetFlow(form.username, delivery.destination), ttl=FLOW_TTL)
    return ui.redirect(link(target, "/confirmForgotPassword", flow=flow))


@page
async def reset_get(ui: Ui) -> Response:
    target = await ui.target()
    flow = ui.params.get("flow", "")
    step = signed.unseal(ui.deps, ResetFlow, flow)
    return ui.html(reset_body(ui, target, step or ResetFlow(""), flow=flow if step else ""))


@page
async def reset_post(ui: Ui) -> Response:
    form = forms.NewPasswordForm.parse(await ui.form())
    target = await ui.target()
    sealed = signed.unseal(ui.deps, ResetFlow, form.flow)
    step, flow = sealed or ResetFlow(form.username), form.flow if sealed else ""
    problems = reset_problems(ui, target, step, flow=flow, form=form)
    if problems is not None:
        return ui.html(problems, 400)
    try:
        await confirm_forgot_password(ui.deps, client_id=target.client.id, username=step.username, code=form.code,
                                      password=form.new_password, secret_hash=target.secret_hash(step.username))
    except CognitoError as exc:
        return ui.html(reset_body(ui, target, step, flow=flow, form=form, error=exc), 400)
    if target.request is None:
        return ui.html(done_page(ui, target, "title.reset", "reset.done"))
    return ui.redirect(link(target, "/login", notice="password_reset", login_hint=step.username))

"""The sign-in story of the hosted UI (spec §1): /login, then what the password leads to — a new password
(/newPassword, FORCE_CHANGE_PASSWORD), the authenticator code (/mfa) or its set-up (/mfaSetup), the confirm page
for an account not confirmed yet — and finally a fresh session and the way back to the app.

GET renders, POST submits (CSRF-checked first); a successful submission answers 303 so the browser never resends
it. Rules live in services and domain; here we only translate between forms, use cases and pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response

from cognate.domain.errors import (
    CodeMismatchException,
    CognitoError,
    EnableSoftwareTokenMFAException,
    UserNotConfirmedException,
)
from cognate.domain.mfa import MFA_SETUP, SOFTWARE_TOKEN_MFA
from cognate.domain.users import User
from cognate.hosted_ui import _signed as signed
from cognate.hosted_ui import forms, pages
from cognate.hosted_ui._cookies import set_signup_cookie
from cognate.hosted_ui._signed import ConfirmFlow, NewPasswordSession
from cognate.hosted_ui._steps import (
    FLOW_TTL,
    link,
    login_body,
    mfa_body,
    mfa_setup_body,
    new_password_body,
    new_password_problems,
    notice,
    uses_cognito,
)
from cognate.hosted_ui._ui import Respond, Target, Ui, page
from cognate.oauth.interaction import AuthorizeRequest, finish_authorize
from cognate.services.authenticate import NewPasswordRequired, complete_new_password, password_sign_in
from cognate.services.mfa import (
    associate,
    challenge_after_password,
    challenged_user,
    finish_code_sign_in,
    finish_setup_sign_in,
    pending_secret,
    verify,
)
from cognate.services.sessions import end_session, start_session
from cognate.services.signup import resend_confirmation_code
from cognate.services.signup_sign_in import seal_after_password
from cognate.services.users import get_user
from cognate.web.cookies import session_cookie_name, session_cookie_options


@page
async def login_get(ui: Ui) -> Response:
    req = await ui.authorize()
    target = Target.of(req)
    return ui.html(login_body(ui, target, username=req.params.get("login_hint", ""),
                              status=pages.Status(notice=notice(ui))))


@page
async def login_post(ui: Ui) -> Response:
    form = forms.LoginForm.parse(await ui.form())
    req = await ui.authorize()
    target = Target.of(req)
    if not uses_cognito(req.client) or not form.username or not form.password:
        error = ui.t("error.required") if uses_cognito(req.client) else None
        return ui.html(login_body(ui, target, username=form.username, status=pages.Status(error=error)), 400)
    try:
        outcome = await password_sign_in(ui.deps, pool=req.pool, client=req.client, username=form.username,
                                         password=form.password)
    except UserNotConfirmedException:
        return await _send_to_confirm(ui, target, form.username)
    except CognitoError as exc:
        status = pages.Status(error=ui.sentence(exc, page="login"))
        return ui.html(login_body(ui, target, username=form.username, status=status), 400)
    if isinstance(outcome, NewPasswordRequired):
        pending = NewPasswordSession(pool_id=req.pool.id, client_id=req.client.id, username=outcome.user.username)
        session = signed.seal(ui.deps, pending, ttl=req.client.auth_session_validity * 60)
        return ui.html(new_password_body(ui, target, outcome.user, session=session))
    return await second_step_or_signed_in(ui, req, target, outcome.user)


async def second_step_or_signed_in(ui: Ui, req: AuthorizeRequest, target: Target, user: User) -> Response:
    """After the password: the code page when the account has an authenticator app, the set-up page when the
    pool requires one and the account has none yet, back to the app otherwise (the password alone never finishes
    a sign-in the pool protects with MFA)."""
    challenge = challenge_after_password(ui.deps, req.pool, req.client, user)
    if challenge is None:
        return await _signed_in(ui, req, user)
    if challenge.name == SOFTWARE_TOKEN_MFA:
        return ui.html(mfa_body(ui, target, session=challenge.session or ""))
    secret, session = await associate(ui.deps, access_token=None, session=challenge.session)
    return ui.html(mfa_setup_body(ui, target, user, session=session or "", secret=secret))


@dataclass(frozen=True)
class _MfaStep:
    """What an MFA page posted: the code, the sealed session and the user that session was issued to."""

    req: AuthorizeRequest
    target: Target
    session: str
    code: str
    user: User


async def _mfa_step(ui: Ui, challenge: str) -> _MfaStep:
    """The posted step of `challenge`; a forged or expired session starts the sign-in over."""
    raw = await ui.form()
    req = await ui.authorize()
    target = Target.of(req)
    session, code = forms.text(raw, "session"), forms.text(raw, "code").strip()
    try:
        user = await challenged_user(ui.deps, pool=req.pool, client=req.client, session=session, challenge=challenge)
    except CognitoError:
        expired = pages.Status(error=ui.t("error.session_expired"))
        raise Respond(ui.html(login_body(ui, target, status=expired), 400)) from None
    return _MfaStep(req, target, session, code, user)


@page
async def mfa_post(ui: Ui) -> Response:
    """The authenticator code (SOFTWARE_TOKEN_MFA) that ends a sign-in."""
    step = await _mfa_step(ui, SOFTWARE_TOKEN_MFA)
    if not step.code:
        status = pages.Status(fields={"code": ui.t("error.required")})
        return ui.html(mfa_body(ui, step.target, session=step.session, status=status), 400)
    try:
        await finish_code_sign_in(ui.deps, pool=step.req.pool, client=step.req.client, user=step.user,
                                  session=step.session, code=step.code)
    except CodeMismatchException as exc:
        status = pages.Status(fields={"code": ui.sentence(exc)})
        return ui.html(mfa_body(ui, step.target, session=step.session, status=status), 400)
    except CognitoError as exc:  # locked out by failed codes: the sign-in starts over, worded like a wrong password
        status = pages.Status(error=ui.sentence(exc, page="login"))
        return ui.html(login_body(ui, step.target, status=status), 400)
    return await _signed_in(ui, step.req, step.user)


@page
async def mfa_setup_post(ui: Ui) -> Response:
    """The first code of a newly added authenticator app (MFA_SETUP): it turns TOTP on and ends the sign-in."""
    step = await _mfa_step(ui, MFA_SETUP)
    if not step.code:
        return _setup_again(ui, step, ui.t("error.required"))
    try:
        await verify(ui.deps, access_token=None, session=step.session, code=step.code)
    except EnableSoftwareTokenMFAException:
        return _setup_again(ui, step, ui.t("error.code_mismatch"))
    user = await challenged_user(ui.deps, pool=step.req.pool, client=step.req.client, session=step.session,
                                 challenge=MFA_SETUP)  # read again: TOTP is on now
    await finish_setup_sign_in(ui.deps, pool=step.req.pool, client=step.req.client, user=user)
    return await _signed_in(ui, step.req, user)


def _setup_again(ui: Ui, step: _MfaStep, error: str) -> Response:
    """The set-up page once more, with the same secret and `error` under the code."""
    try:
        secret = pending_secret(ui.deps, step.user)
    except CognitoError:  # set up meanwhile (another tab): the sign-in starts over
        return ui.html(login_body(ui, step.target, status=pages.Status(error=ui.t("error.session_expired"))), 400)
    body = mfa_setup_body(ui, step.target, step.user, session=step.session, secret=secret,
                          status=pages.Status(fields={"code": error}))
    return ui.html(body, 400)


async def _signed_in(ui: Ui, req: AuthorizeRequest, user: User) -> Response:
    """A fresh session id at every sign-in (the old one is ended), then back to the app."""
    auth_time = int(ui.deps.clock.now())
    name = session_cookie_name(ui.https)
    await end_session(ui.deps, ui.request.cookies.get(name))
    raw = await start_session(ui.deps, user, auth_time=auth_time)
    response = ui.redirect(await finish_authorize(ui.deps, req, user, auth_time=auth_time))
    response.set_cookie(name, raw, **session_cookie_options(ui.https))
    return response


async def _send_to_confirm(ui: Ui, target: Target, username: str) -> Response:
    """An unconfirmed user with the right password gets a fresh code and the confirm page, and this browser the
    sign-up cookie: the code then ends the sign-in."""
    try:
        delivery = await resend_confirmation_code(ui.deps, client_id=target.client.id, username=username,
                                                  secret_hash=target.secret_hash(username))
    except CognitoError as exc:
        status = pages.Status(error=ui.sentence(exc))
        return ui.html(login_body(ui, target, username=username, status=status), 400)
    flow = signed.seal(ui.deps, ConfirmFlow(username, delivery.destination), ttl=FLOW_TTL)
    response = ui.redirect(link(target, "/confirmUser", flow=flow, notice="unconfirmed"))
    proof = await seal_after_password(ui.deps, pool=target.pool, client=target.client, username=username,
                                      query=target.query)
    if proof is not None:  # the password was right: the code will end this sign-in
        set_signup_cookie(ui, response, proof)
    return response


@page
async def new_password_post(ui: Ui) -> Response:
    raw = await ui.form()
    req = await ui.authorize()
    target = Target.of(req)
    session = forms.text(raw, "session")
    user = await _pending_user(ui, target, session)
    missing = tuple(n for n in req.pool.required_attributes if not user.attributes.get(n))
    form = forms.NewPasswordForm.parse(raw, missing)
    problems = new_password_problems(ui, target, user, session=session, form=form)
    if problems is not None:
        return ui.html(problems, 400)
    try:
        updated = await complete_new_password(ui.deps, pool=req.pool, client=req.client, user=user,
                                              new_password=form.new_password, attributes=dict(form.attributes))
    except CognitoError as exc:
        error = pages.Status(error=ui.sentence(exc))
        return ui.html(new_password_body(ui, target, user, session=session, form=form, status=error), 400)
    return await second_step_or_signed_in(ui, req, target, updated)


async def _pending_user(ui: Ui, target: Target, session: str) -> User:
    pending = signed.unseal(ui.deps, NewPasswordSession, session)
    expired = pages.Status(error=ui.t("error.session_expired"))
    if pending is None or pending.pool_id != target.pool.id or pending.client_id != target.client.id:
        raise Respond(ui.html(login_body(ui, target, status=expired), 400))
    try:
        user = await get_user(ui.deps, target.pool.id, pending.username)
    except CognitoError:
        raise Respond(ui.html(login_body(ui, target, status=expired), 400)) from None
    if user.status != "FORCE_CHANGE_PASSWORD":
        raise Respond(ui.html(login_body(ui, target, status=expired), 400))
    return user

"""Thin handlers of the hosted-UI pages (spec §1): /login, /signup, /confirmUser, /forgotPassword,
/confirmForgotPassword, /newPassword, /mfa, /mfaSetup, /logout and /error, plus the style sheets they use; the
routes of the server's home page (`home`) and of the token viewer (`token_viewer`).

GET renders, POST submits (CSRF-checked first); a successful submission answers 303 so the browser never resends
it. Rules live in services and domain; here we only translate between forms, use cases and pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from cognate.domain.errors import (
    CodeMismatchException,
    CognitoError,
    EnableSoftwareTokenMFAException,
    ResourceNotFoundException,
    UserNotConfirmedException,
)
from cognate.domain.mfa import MFA_SETUP, SOFTWARE_TOKEN_MFA
from cognate.domain.ui_customization import ALL, IMAGE_TYPES, UiCustomization
from cognate.domain.users import User
from cognate.hosted_ui import _signed as signed
from cognate.hosted_ui import forms, home, pages, token_viewer
from cognate.hosted_ui._steps import (
    FLOW_TTL,
    confirm_body,
    done_page,
    forgot_body,
    link,
    login_body,
    mfa_body,
    mfa_setup_body,
    new_password_body,
    new_password_problems,
    notice,
    reset_body,
    reset_problems,
    signup_body,
    signup_problems,
    uses_cognito,
)
from cognate.hosted_ui._theme import theme_css
from cognate.hosted_ui._ui import Respond, Target, Ui, page, unavailable_page
from cognate.oauth.interaction import AuthorizeRequest, finish_authorize
from cognate.services.authenticate import NewPasswordRequired, complete_new_password, password_sign_in
from cognate.services.clients import get_client
from cognate.services.deps import Deps
from cognate.services.mfa import (
    associate,
    challenge_after_password,
    challenged_user,
    finish_code_sign_in,
    finish_setup_sign_in,
    pending_secret,
    verify,
)
from cognate.services.password_reset import confirm_forgot_password, forgot_password
from cognate.services.pools import get_pool
from cognate.services.sessions import end_session, start_session
from cognate.services.signup import confirm_sign_up, resend_confirmation_code, sign_up
from cognate.services.signup_sign_in import (
    SignUpProof,
    resumed_request,
    seal_after_password,
    seal_sign_up,
    sign_in_confirmed,
)
from cognate.services.ui_customization import page_customization
from cognate.services.users import get_user
from cognate.web.cookies import (
    session_cookie_name,
    session_cookie_options,
    signup_cookie_name,
    signup_cookie_options,
)
from cognate.web.errors import Renderer
from cognate.web.hosts import host_pool_id
from cognate.web.security_headers import SecurityHeadersMiddleware

STATIC_DIR = Path(__file__).parent / "static"
NEW_PASSWORD_FIELDS = ("new_password", "confirm_password")
ERROR_PAGE_PARAMS = ("error", "client_id", "lang")


# --- sign in -------------------------------------------------------------------------------------------------


@page
async def login_get(ui: Ui) -> Response:
    req = await ui.authorize()
    target = Target(pool=req.pool, client=req.client, query=req.query(), request=req)
    return ui.html(login_body(ui, target, username=req.params.get("login_hint", ""),
                              status=pages.Status(notice=notice(ui))))


@page
async def login_post(ui: Ui) -> Response:
    form = forms.LoginForm.parse(await ui.form())
    req = await ui.authorize()
    target = Target(pool=req.pool, client=req.client, query=req.query(), request=req)
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
        session = signed.dump(ui.deps, signed.NEW_PASSWORD, {"p": req.pool.id, "c": req.client.id,
                                                              "u": outcome.user.username},
                              ttl=req.client.auth_session_validity * 60)
        return ui.html(new_password_body(ui, target, outcome.user, session=session))
    return await _second_step_or_signed_in(ui, req, target, outcome.user)


async def _second_step_or_signed_in(ui: Ui, req: AuthorizeRequest, target: Target, user: User) -> Response:
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
    target = Target(pool=req.pool, client=req.client, query=req.query(), request=req)
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
    flow = signed.dump(ui.deps, signed.CONFIRM, {"u": username, "d": delivery.destination}, ttl=FLOW_TTL)
    response = ui.redirect(link(target, "/confirmUser", flow=flow, notice="unconfirmed"))
    proof = await seal_after_password(ui.deps, pool=target.pool, client=target.client, username=username,
                                      query=target.query)
    if proof is not None:  # the password was right: the code will end this sign-in
        _set_signup_cookie(ui, response, proof)
    return response


@page
async def new_password_post(ui: Ui) -> Response:
    raw = await ui.form()
    req = await ui.authorize()
    target = Target(pool=req.pool, client=req.client, query=req.query(), request=req)
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
    return await _second_step_or_signed_in(ui, req, target, updated)


async def _pending_user(ui: Ui, target: Target, session: str) -> User:
    data = signed.load(ui.deps, signed.NEW_PASSWORD, session)
    expired = pages.Status(error=ui.t("error.session_expired"))
    if not data or data.get("p") != target.pool.id or data.get("c") != target.client.id:
        raise Respond(ui.html(login_body(ui, target, status=expired), 400))
    try:
        user = await get_user(ui.deps, target.pool.id, data["u"])
    except CognitoError:
        raise Respond(ui.html(login_body(ui, target, status=expired), 400)) from None
    if user.status != "FORCE_CHANGE_PASSWORD":
        raise Respond(ui.html(login_body(ui, target, status=expired), 400))
    return user


# --- sign up and confirm --------------------------------------------------------------------------------------


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
    flow = signed.dump(ui.deps, signed.CONFIRM, {"u": form.username, "d": destination}, ttl=FLOW_TTL)
    response = ui.redirect(link(target, "/confirmUser", flow=flow))
    if target.request is not None:  # only a sign-up that came from an app can go back to it
        _set_signup_cookie(ui, response, seal_sign_up(ui.deps, user=result.user, client=target.client,
                                                      query=target.query))
    return response


def _set_signup_cookie(ui: Ui, response: Response, proof: SignUpProof) -> None:
    response.set_cookie(signup_cookie_name(ui.https), proof.token, **signup_cookie_options(ui.https, proof.lifetime))


@page
async def confirm_get(ui: Ui) -> Response:
    target = await ui.target()
    if "confirmation_code" in ui.params:  # the e-mail link form
        username = ui.params.get("user_name", "")
        return await _confirm(ui, target, username, ui.params["confirmation_code"], flow="")
    flow = ui.params.get("flow", "")
    data = signed.load(ui.deps, signed.CONFIRM, flow) or {}
    status = pages.Status(notice=notice(ui, data.get("d")))
    return ui.html(confirm_body(ui, target, data, flow=flow if data else "", status=status))


@page
async def confirm_post(ui: Ui) -> Response:
    form = forms.ConfirmForm.parse(await ui.form())
    target = await ui.target()
    data = signed.load(ui.deps, signed.CONFIRM, form.flow)
    username = data["u"] if data else form.username
    if form.resend:
        return await _resend(ui, target, username)
    if not username or not form.code:
        status = pages.Status(fields={"code" if username else "username": ui.t("error.required")})
        return ui.html(confirm_body(ui, target, data or {"u": username}, flow=form.flow if data else "",
                                    status=status), 400)
    proof = ui.request.cookies.get(signup_cookie_name(ui.https))
    return await _confirm(ui, target, username, form.code, flow=form.flow if data else "", proof=proof)


async def _confirm(ui: Ui, target: Target, username: str, code: str, *, flow: str,
                   proof: str | None = None) -> Response:
    """Confirm the account; then the browser that signed up (`proof`, its sign-up cookie) goes on to the app, and
    any other confirmation (another browser, the e-mail link) to the sign-in page or the "confirmed" page."""
    try:
        confirmed = await confirm_sign_up(ui.deps, client_id=target.client.id, username=username, code=code,
                                          secret_hash=target.secret_hash(username))
    except CognitoError as exc:
        data = signed.load(ui.deps, signed.CONFIRM, flow) or {"u": username}
        status = pages.Status(fields={"code": ui.sentence(exc)})
        return ui.html(confirm_body(ui, target, data, flow=flow, status=status), 400)
    if proof is None:
        return _confirmed(ui, target, username)
    response = await _continue_after_sign_up(ui, target, username, confirmed, proof)
    options = signup_cookie_options(ui.https, 0)
    response.delete_cookie(signup_cookie_name(ui.https), path=options["path"], secure=options["secure"],
                           httponly=options["httponly"], samesite=options["samesite"])  # used up either way
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
    resumed = Target(pool=req.pool, client=req.client, query=req.query(), request=req)
    return await _second_step_or_signed_in(ui, req, resumed, user)


async def _resend(ui: Ui, target: Target, username: str) -> Response:
    try:
        delivery = await resend_confirmation_code(ui.deps, client_id=target.client.id, username=username,
                                                  secret_hash=target.secret_hash(username))
    except CognitoError as exc:
        status = pages.Status(error=ui.sentence(exc))
        return ui.html(confirm_body(ui, target, {"u": username}, flow="", status=status), 400)
    flow = signed.dump(ui.deps, signed.CONFIRM, {"u": username, "d": delivery.destination}, ttl=FLOW_TTL)
    return ui.redirect(link(target, "/confirmUser", flow=flow, notice="code_resent"))


# --- forgot password ------------------------------------------------------------------------------------------


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
    flow = signed.dump(ui.deps, signed.RESET, {"u": form.username, "d": delivery.destination}, ttl=FLOW_TTL)
    return ui.redirect(link(target, "/confirmForgotPassword", flow=flow))


@page
async def reset_get(ui: Ui) -> Response:
    target = await ui.target()
    flow = ui.params.get("flow", "")
    data = signed.load(ui.deps, signed.RESET, flow)
    return ui.html(reset_body(ui, target, data or {}, flow=flow if data else ""))


@page
async def reset_post(ui: Ui) -> Response:
    form = forms.NewPasswordForm.parse(await ui.form())
    target = await ui.target()
    data = signed.load(ui.deps, signed.RESET, form.flow) or {"u": form.username}
    flow = form.flow if "d" in data else ""
    problems = reset_problems(ui, target, data, flow=flow, form=form)
    if problems is not None:
        return ui.html(problems, 400)
    try:
        await confirm_forgot_password(ui.deps, client_id=target.client.id, username=data["u"], code=form.code,
                                      password=form.new_password, secret_hash=target.secret_hash(data["u"]))
    except CognitoError as exc:
        return ui.html(reset_body(ui, target, data, flow=flow, form=form, error=exc), 400)
    if target.request is None:
        return ui.html(done_page(ui, target, "title.reset", "reset.done"))
    return ui.redirect(link(target, "/login", notice="password_reset", login_hint=data["u"]))


# --- sign out and errors --------------------------------------------------------------------------------------


@page
async def logout(ui: Ui) -> Response:
    """Spec §1.4: `logout_uri` exactly registered → 302 there; `redirect_uri`+`response_type` → 302 to /login;
    neither → a signed-out page. Anything unregistered → the error page, and the session stays."""
    client, pool = await ui.client_only(ui.params.get("client_id"))
    target = Target(pool=pool, client=client, query="")
    logout_uri = ui.params.get("logout_uri")
    if logout_uri is not None:
        if logout_uri not in client.logout_urls:
            return ui.error_page("logout_mismatch", "The logout_uri is not registered for this client.",
                                 target=target)
        return await _signed_out(ui, ui.redirect(logout_uri))
    if "redirect_uri" in ui.params or "response_type" in ui.params:
        req = await ui.authorize()
        return await _signed_out(ui, ui.redirect(f"/login?{req.query()}"))
    return await _signed_out(ui, ui.html(done_page(ui, target, "title.signed_out", "signed_out.body")))


async def _signed_out(ui: Ui, response: Response) -> Response:
    name = session_cookie_name(ui.https)
    await end_session(ui.deps, ui.request.cookies.get(name))
    options = session_cookie_options(ui.https)
    response.delete_cookie(name, path=options["path"], secure=options["secure"], httponly=options["httponly"],
                           samesite=options["samesite"])
    return response


@page
async def error_get(ui: Ui) -> Response:
    """Where /oauth2/authorize sends a browser it must not redirect: calm words, the request id, HTTP 400.

    The words are the catalogue's sentence for the `error` code, never text from the URL: anyone can craft this link,
    and the page speaks with the sign-in domain's authority (text injection, issue 12). Its language links keep
    only the code, the client and the language."""
    ui.params = {k: v for k, v in ui.params.items() if k in ERROR_PAGE_PARAMS}
    return ui.error_page(ui.params.get("error", ""), None)


async def theme(request: Request) -> Response:
    """The pool's branding as CSS (versioned URL, so it may be cached)."""
    deps: Deps = request.app.state.deps
    pool_id = request.path_params["pool_id"]
    host_pool = await host_pool_id(deps, request)
    try:
        pool = await get_pool(deps, pool_id)
    except ResourceNotFoundException:
        pool = None
    if pool is None or pool.branding is None or (host_pool is not None and host_pool != pool_id):
        return Response("/* no branding */\n", status_code=404, media_type="text/css")
    return Response(theme_css(pool.branding), media_type="text/css",
                    headers={"Cache-Control": "public, max-age=300"})


async def _customization(request: Request) -> UiCustomization | None:
    """The customization an asset URL names, if the pool (and client) exist and the Host may show them."""
    deps: Deps = request.app.state.deps
    pool_id, client_id = request.path_params["pool_id"], request.path_params["client_id"]
    host_pool = await host_pool_id(deps, request)
    if host_pool is not None and host_pool != pool_id:
        return None
    try:
        await get_pool(deps, pool_id)
        if client_id != ALL:
            await get_client(deps, client_id, pool_id=pool_id)
    except ResourceNotFoundException:
        return None
    return await page_customization(deps, pool_id, client_id)


async def custom_css(request: Request) -> Response:
    """SetUICustomization's style sheet (versioned URL, so it may be cached)."""
    found = await _customization(request)
    if found is None or not found.css:
        return Response("/* no customization */\n", status_code=404, media_type="text/css")
    return Response(found.css, media_type="text/css", headers={"Cache-Control": "public, max-age=300"})


async def custom_logo(request: Request) -> Response:
    """SetUICustomization's logo, with the type its bytes were checked to be (and `nosniff` from the middleware)."""
    found = await _customization(request)
    if found is None or not found.image or not found.image_type:
        return Response(status_code=404)
    return Response(found.image, media_type=IMAGE_TYPES[found.image_type],
                    headers={"Cache-Control": "public, max-age=300"})


PAGE = [Middleware(SecurityHeadersMiddleware)]
ASSET = [Middleware(SecurityHeadersMiddleware, cache=True)]


def _page(path: str, get: object = None, post: object = None) -> list[BaseRoute]:
    out: list[BaseRoute] = []
    for endpoint, method in ((get, "GET"), (post, "POST")):
        if endpoint is not None:
            out.append(Route(path, endpoint, methods=[method], middleware=PAGE))  # type: ignore[arg-type]
    return out


pages.check_templates()

UNAVAILABLE: Renderer = unavailable_page  # what `app.py` shows for these routes while the database is down

routes: list[BaseRoute] = [
    *_page("/login", login_get, login_post),
    *_page("/signup", signup_get, signup_post),
    *_page("/confirmUser", confirm_get, confirm_post),
    *_page("/forgotPassword", forgot_get, forgot_post),
    *_page("/confirmForgotPassword", reset_get, reset_post),
    *_page("/confirmforgotPassword", reset_get, reset_post),
    *_page("/newPassword", post=new_password_post),
    *_page("/mfa", post=mfa_post),
    *_page("/mfaSetup", post=mfa_setup_post),
    *_page("/logout", logout),
    *_page("/error", error_get),
    Route("/hosted-ui/theme/{pool_id}.css", theme, methods=["GET"], middleware=ASSET),
    Route("/hosted-ui/custom/{pool_id}/{client_id}.css", custom_css, methods=["GET"], middleware=ASSET),
    Route("/hosted-ui/logo/{pool_id}/{client_id}", custom_logo, methods=["GET"], middleware=ASSET),
    *_page("/", home.home_get),
    Route("/favicon.ico", home.favicon, methods=["GET"], middleware=ASSET),
    *_page("/token-viewer", token_viewer.start_get),
    *_page("/token-viewer/callback", token_viewer.callback_get),
    Mount("/hosted-ui/static", app=StaticFiles(directory=STATIC_DIR), name="hosted-ui-static", middleware=ASSET),
]

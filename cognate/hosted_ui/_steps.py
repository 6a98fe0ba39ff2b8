"""Building each page's body from typed values (what the handlers of each flow module show), and the checks a form
gets before its use case runs (required fields, the two passwords match, the pool's password rules).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from cognate.domain.clients import AppClient
from cognate.domain.errors import CognitoError
from cognate.domain.users import User
from cognate.hosted_ui import forms, pages
from cognate.hosted_ui._signed import CodeFlow
from cognate.hosted_ui._ui import Target, Ui
from cognate.services.mfa import enrolment_uri

FLOW_TTL = 48 * 3600  # outlives the 24 h sign-up code, so an expired code is reported as expired
NOTICES = frozenset({"confirmed", "password_reset", "code_resent", "unconfirmed"})
CODE_ERRORS = frozenset({"CodeMismatchException", "ExpiredCodeException", "LimitExceededException"})


def uses_cognito(client: AppClient) -> bool:
    """Username and password sign-in is offered only to clients that list the COGNITO provider."""
    return "COGNITO" in client.supported_identity_providers


def link(target: Target, path: str, **extra: str) -> str:
    """`path` with the carried authorize request and `extra` (which replace parameters of the same name)."""
    params = dict(parse_qsl(target.query, keep_blank_values=True))
    params.update(extra)
    return f"{path}?{urlencode(params)}"


def notice(ui: Ui, destination: str | None = None) -> str | None:
    key = ui.params.get("notice")
    return ui.t(f"notice.{key}", destination=destination or "") if key in NOTICES else None


def _field_errors(exc: CognitoError, ui: Ui, field_name: str) -> pages.Status:
    return pages.Status(fields={field_name: ui.sentence(exc)})


def _password(ui: Ui, target: Target, password: str | None = None) -> pages.PasswordState:
    return pages.password_rules(target.pool.password_policy, ui.t, password)


def done_page(ui: Ui, target: Target, title_key: str, body_key: str) -> str:
    login_href = link(target, "/login") if target.request is not None else None
    return pages.done(ui.chrome(target), title=ui.t(title_key), body=ui.t(body_key), login_href=login_href)


# --- sign in --------------------------------------------------------------------------------------------------


def login_body(ui: Ui, target: Target, *, username: str = "", status: pages.Status | None = None) -> str:
    spec = forms.username_field(target.pool, signing_up=False)
    return pages.login(ui.chrome(target), username=pages.FieldState(spec, username),
                       status=status or pages.Status(), password_form=uses_cognito(target.client),
                       signup_allowed=not target.pool.allow_admin_create_user_only)


def new_password_body(ui: Ui, target: Target, user: User, *, session: str,
                      form: forms.NewPasswordForm | None = None, status: pages.Status | None = None) -> str:
    status = status or pages.Status()
    missing = [n for n in target.pool.required_attributes if not user.attributes.get(n)]
    values = dict(form.attributes) if form else {}
    attributes = [pages.FieldState(forms.attribute_field(n), values.get(n, ""), status.fields.get(n))
                  for n in missing]
    password = _password(ui, target, form.new_password if form and status.fields.get("new_password") else None)
    password = pages.PasswordState(rules=password.rules, broken=password.broken,
                                   confirm_error=status.fields.get("confirm_password"))
    return pages.new_password(ui.chrome(target), session=session, attributes=attributes, password=password,
                              status=status)


def mfa_body(ui: Ui, target: Target, *, session: str, status: pages.Status | None = None) -> str:
    status = status or pages.Status()
    code_spec = forms.FieldSpec(name="code", label_key="field.mfa_code", hint_key="hint.mfa_code",
                                autocomplete="one-time-code")
    return pages.mfa(ui.chrome(target), session=session,
                     code=pages.FieldState(code_spec, "", status.fields.get("code")), status=status)


def mfa_setup_body(ui: Ui, target: Target, user: User, *, session: str, secret: str,
                   status: pages.Status | None = None) -> str:
    status = status or pages.Status()
    code_spec = forms.FieldSpec(name="code", label_key="field.mfa_code", hint_key="hint.mfa_setup_code",
                                autocomplete="one-time-code")
    uri = enrolment_uri(target.pool, user, secret)
    return pages.mfa_setup(ui.chrome(target), session=session, secret=secret, otpauth_uri=uri,
                           code=pages.FieldState(code_spec, "", status.fields.get("code")), status=status)


def new_password_problems(ui: Ui, target: Target, user: User, *, session: str,
                          form: forms.NewPasswordForm) -> str | None:
    fields: dict[str, str] = {}
    if target.pool.password_policy.broken_rules(form.new_password):
        fields["new_password"] = "broken"
    if form.mismatch:
        fields["confirm_password"] = ui.t("error.passwords_differ")
    for name in target.pool.required_attributes:
        if not user.attributes.get(name) and not form.attributes.get(name):
            fields[name] = ui.t("error.required")
    if not fields:
        return None
    return new_password_body(ui, target, user, session=session, form=form, status=pages.Status(fields=fields))


# --- sign up and confirm --------------------------------------------------------------------------------------


def signup_body(ui: Ui, target: Target, *, form: forms.SignUpForm | None = None, error: CognitoError | None = None,
                status: pages.Status | None = None, broken_password: str | None = None) -> str:
    status = status or pages.Status()
    if error is not None:
        status = _signup_error(ui, target, error)
    values = form.fields if form else {}
    fields = [pages.FieldState(spec, values.get(spec.name, ""), status.fields.get(spec.name))
              for spec in forms.signup_fields(target.pool)]
    password = _password(ui, target, broken_password)
    password = pages.PasswordState(rules=password.rules, broken=password.broken, error=status.fields.get("password"))
    return pages.signup(ui.chrome(target), fields=fields, password=password, status=status)


def _signup_error(ui: Ui, target: Target, exc: CognitoError) -> pages.Status:
    if exc.name in ("UsernameExistsException", "AliasExistsException"):
        return _field_errors(exc, ui, forms.username_field(target.pool, signing_up=True).name)
    if exc.name == "InvalidPasswordException":
        return _field_errors(exc, ui, "password")
    return pages.Status(error=ui.sentence(exc))


def signup_problems(ui: Ui, target: Target, form: forms.SignUpForm) -> str | None:
    """Empty required fields and every password rule broken, all at once (before any account is made)."""
    fields = {spec.name: ui.t("error.required") for spec in forms.signup_fields(target.pool)
              if spec.required and not form.fields.get(spec.name)}
    broken = bool(target.pool.password_policy.broken_rules(form.password))
    if not fields and not broken:
        return None
    return signup_body(ui, target, form=form, status=pages.Status(fields=fields),
                       broken_password=form.password if broken else None)


def confirm_body(ui: Ui, target: Target, step: CodeFlow, *, flow: str,
                 status: pages.Status | None = None) -> str:
    status = status or pages.Status()
    username_spec = forms.username_field(target.pool, signing_up=False)
    code_spec = forms.FieldSpec(name="code", label_key="field.code", hint_key="hint.code",
                                autocomplete="one-time-code")
    return pages.confirm(ui.chrome(target),
                         username=pages.FieldState(username_spec, step.username, status.fields.get("username")),
                         flow=flow, destination=step.destination or None,
                         code=pages.FieldState(code_spec, "", status.fields.get("code")), status=status)


# --- forgot password ------------------------------------------------------------------------------------------


def forgot_body(ui: Ui, target: Target, *, username: str = "", status: pages.Status | None = None) -> str:
    status = status or pages.Status()
    spec = forms.username_field(target.pool, signing_up=False)
    return pages.forgot(ui.chrome(target), username=pages.FieldState(spec, username, status.fields.get("username")),
                        status=status)


def reset_body(ui: Ui, target: Target, step: CodeFlow, *, flow: str,
               form: forms.NewPasswordForm | None = None, status: pages.Status | None = None,
               error: CognitoError | None = None) -> str:
    status = status or pages.Status()
    if error is not None:
        status = _reset_error(ui, error)
    username_spec = forms.username_field(target.pool, signing_up=False)
    code_spec = forms.FieldSpec(name="code", label_key="field.code", hint_key="hint.code",
                                autocomplete="one-time-code")
    broken = form.new_password if form and status.fields.get("new_password") == "broken" else None
    rules = _password(ui, target, broken)
    error_text = status.fields.get("new_password")
    password = pages.PasswordState(rules=rules.rules, broken=rules.broken,
                                   error=None if error_text == "broken" else error_text,
                                   confirm_error=status.fields.get("confirm_password"))
    return pages.reset(ui.chrome(target),
                       username=pages.FieldState(username_spec, step.username, status.fields.get("username")),
                       flow=flow, destination=step.destination or None,
                       code=pages.FieldState(code_spec, form.code if form else "", status.fields.get("code")),
                       password=password, status=status)


def _reset_error(ui: Ui, exc: CognitoError) -> pages.Status:
    if exc.name in CODE_ERRORS:
        return _field_errors(exc, ui, "code")
    if exc.name == "InvalidPasswordException":
        return _field_errors(exc, ui, "new_password")
    return pages.Status(error=ui.sentence(exc))


def reset_problems(ui: Ui, target: Target, step: CodeFlow, *, flow: str,
                   form: forms.NewPasswordForm) -> str | None:
    fields: dict[str, str] = {}
    if not step.username:
        fields["username"] = ui.t("error.required")
    if not form.code:
        fields["code"] = ui.t("error.required")
    if target.pool.password_policy.broken_rules(form.new_password):
        fields["new_password"] = "broken"
    if form.mismatch:
        fields["confirm_password"] = ui.t("error.passwords_differ")
    if not fields:
        return None
    return reset_body(ui, target, step, flow=flow, form=form, status=pages.Status(fields=fields))

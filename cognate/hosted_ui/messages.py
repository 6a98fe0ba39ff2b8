"""What the hosted UI says: the language choice (`lang`, then Accept-Language, then English), the translator,
and the one place a domain error (`CognitoError`, by its Cognito name) becomes a sentence (style principle 3).
"""

from __future__ import annotations

from cognate.domain.errors import CognitoError
from cognate.hosted_ui._catalogue import CATALOGUES, EN

DEFAULT_LANGUAGE = "en"
LANGUAGES = tuple(CATALOGUES)

# Cognito error name → catalogue key, for every page.
ERROR_KEYS: dict[str, str] = {
    "NotAuthorizedException": "error.wrong_credentials",
    "UserNotFoundException": "error.user_not_found",
    "UsernameExistsException": "error.username_exists",
    "AliasExistsException": "error.alias_exists",
    "UserNotConfirmedException": "error.generic",
    "PasswordResetRequiredException": "error.reset_required",
    "CodeMismatchException": "error.code_mismatch",
    "ExpiredCodeException": "error.code_expired",
    "LimitExceededException": "error.limit_exceeded",
    "TooManyRequestsException": "error.too_many_requests",
    "InvalidPasswordException": "error.invalid_password",
    "InvalidParameterException": "error.invalid_parameter",
    "UnexpectedLambdaException": "error.setting_not_run",  # a Lambda trigger the pool names
    "InvalidSmsRoleAccessPolicyException": "error.setting_not_run",  # SMS the pool requires
}
# NotAuthorizedException covers several situations; its message (Cognito's wording) tells them apart.
NOT_AUTHORIZED_KEYS: dict[str, str] = {
    "User is disabled.": "error.user_disabled",
    "Temporary password has expired and must be reset by an administrator.": "error.temp_expired",
    "SignUp is not permitted for this user pool": "error.signup_disabled",
    "User is already confirmed.": "error.already_confirmed",
    "Cannot resend codes. Auto verification not turned on.": "error.cannot_resend",
    "Invalid session for the user.": "error.session_expired",
    "A client attempted to write unauthorized attribute": "error.unauthorized_attribute",
}
# On the sign-in page an unknown user looks exactly like a wrong password (and so does a lock-out).
LOGIN_KEYS = {"UserNotFoundException": "error.wrong_credentials"}
NO_RESET_MESSAGE = "no registered/verified email"
OAUTH_ERROR_KEYS = {
    "redirect_mismatch": "errorpage.redirect_mismatch",
    "invalid_request": "errorpage.invalid_request",
    "unauthorized_client": "errorpage.unauthorized_client",
    "logout_mismatch": "errorpage.logout_mismatch",
    "unknown_client": "errorpage.unknown_client",
    "csrf": "errorpage.csrf",
    "server_error": "errorpage.server_error",
    "too_many_requests": "errorpage.too_many_requests",
    "temporarily_unavailable": "errorpage.temporarily_unavailable",
}


def _primary(tag: str) -> str:
    return tag.strip().split("-")[0].split("_")[0].lower()


def _accepted(header: str) -> list[str]:
    """Accept-Language tags, best first (RFC 9110 §12.5.4)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag.strip() and quality > 0:
            ranked.append((-quality, index, _primary(tag)))
    return [tag for _, _, tag in sorted(ranked)]


def choose_language(param: str | None, accept_language: str | None) -> str:
    if param and _primary(param) in CATALOGUES:
        return _primary(param)
    for tag in _accepted(accept_language or ""):
        if tag in CATALOGUES:
            return tag
    return DEFAULT_LANGUAGE


class Translator:
    """`t("key", name=value)`: the sentence in this language, English where a translation is missing."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in CATALOGUES else DEFAULT_LANGUAGE
        self._table = CATALOGUES[self.lang]

    def __call__(self, key: str, **values: object) -> str:
        text = self._table.get(key) or EN[key]
        return text.format(**values) if values else text


def error_key(exc: CognitoError, *, page: str = "") -> str:
    if page == "login" and exc.name in LOGIN_KEYS:
        return LOGIN_KEYS[exc.name]
    if exc.name == "NotAuthorizedException":
        if exc.message.startswith("User cannot be confirmed"):
            return "error.already_confirmed"
        return NOT_AUTHORIZED_KEYS.get(exc.message, "error.wrong_credentials")
    if exc.name == "InvalidParameterException" and NO_RESET_MESSAGE in exc.message:
        return "error.cannot_reset"
    return ERROR_KEYS.get(exc.name, "error.generic")


def sentence(exc: CognitoError, t: Translator, *, page: str = "") -> str:
    """The sentence a person reads for a domain error; details only where they help (invalid input)."""
    key = error_key(exc, page=page)
    if key == "error.invalid_parameter":
        return t(key, detail=exc.message.removeprefix("Attributes did not conform to the schema: "))
    if key == "error.setting_not_run":  # names the setting, so whoever runs the site knows what to change
        return t(key, detail=exc.message)
    return t(key)


def oauth_error_key(error: str) -> str:
    return OAUTH_ERROR_KEYS.get(error, "errorpage.generic")

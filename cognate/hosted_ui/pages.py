"""One typed render function per template (Jinja2, autoescaped), and the start-up check that every template
exists. Handlers never touch Jinja; they pass typed values here.

Jinja is imported and each template compiled on the first page rendered, not at start-up (time and memory of a
process that may never serve a page: README "Measured costs"); `check_templates(compiled=True)` compiles them all
(the unit tests do).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cognate.domain.password_policy import PasswordPolicy
from cognate.hosted_ui.forms import FieldSpec
from cognate.hosted_ui.messages import Translator

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATES = ("login.html", "signup.html", "confirm.html", "forgot.html", "reset.html", "new_password.html",
             "mfa.html", "mfa_setup.html", "done.html", "error.html", "tokens.html", "home.html")
STATIC_VERSION = "4"


@cache
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def check_templates(*, compiled: bool = False) -> None:
    """Fail at start-up, not at the first visitor, when a template is missing; with `compiled`, also when one does
    not compile (the templates ship inside the package, so the unit test that does this covers every release)."""
    missing = [name for name in TEMPLATES if not (TEMPLATE_DIR / name).is_file()]
    if missing:
        raise RuntimeError(f"hosted UI templates missing: {', '.join(missing)}")
    if compiled:
        for path in sorted(TEMPLATE_DIR.glob("*.html")):  # the pages and the layouts and macros they use
            _environment().get_template(path.name)


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    lang: str
    current: bool = False


@dataclass(frozen=True)
class Chrome:
    """What every page shows around its form: language, pool and app names, branding, CSRF token, links."""

    t: Translator
    csrf: str = ""
    pool_name: str = "Cognate"
    client_name: str = ""
    logo_url: str | None = None
    theme_url: str | None = None
    custom_css_url: str | None = None  # SetUICustomization's sheet, after the theme so it wins
    query: str = ""
    languages: Sequence[Link] = ()

    def url(self, path: str, **extra: str) -> str:
        """A hosted-UI path carrying the authorize request (and `extra`, already URL-encoded values)."""
        parts = [p for p in (self.query, *(f"{k}={v}" for k, v in extra.items())) if p]
        return f"{path}?{'&'.join(parts)}" if parts else path


@dataclass(frozen=True)
class FieldState:
    """An input as shown: its spec, the value typed so far and an error tied to it."""

    spec: FieldSpec
    value: str = ""
    error: str | None = None


@dataclass(frozen=True)
class PasswordState:
    rules: Sequence[str] = ()  # sentences shown before typing
    broken: Sequence[str] = ()  # sentences of the rules the submitted password breaks
    error: str | None = None  # e.g. the service refused it for another reason
    confirm_error: str | None = None  # the confirmation does not match


@dataclass(frozen=True)
class Status:
    error: str | None = None
    notice: str | None = None
    fields: Mapping[str, str] = field(default_factory=dict)  # input name → error sentence


def password_rules(policy: PasswordPolicy, t: Translator, password: str | None = None) -> PasswordState:
    rules = [t(f"rule.{code}", n=policy.minimum_length) for code in policy.rules()]
    broken = [] if password is None else [t(f"rule.{c}", n=policy.minimum_length)
                                          for c in policy.broken_rules(password)]
    return PasswordState(rules=rules, broken=broken)


def _render(name: str, chrome: Chrome, **values: Any) -> str:
    return _environment().get_template(name).render(c=chrome, t=chrome.t, static_version=STATIC_VERSION, **values)


def login(chrome: Chrome, *, username: FieldState, status: Status, password_form: bool = True,
          signup_allowed: bool = True) -> str:
    return _render("login.html", chrome, username=username, status=status, password_form=password_form,
                   signup_allowed=signup_allowed)


def signup(chrome: Chrome, *, fields: Sequence[FieldState], password: PasswordState, status: Status) -> str:
    return _render("signup.html", chrome, fields=fields, password=password, status=status)


def confirm(chrome: Chrome, *, username: FieldState, flow: str, destination: str | None, code: FieldState,
            status: Status) -> str:
    return _render("confirm.html", chrome, username=username, flow=flow, destination=destination, code=code,
                   status=status)


def forgot(chrome: Chrome, *, username: FieldState, status: Status) -> str:
    return _render("forgot.html", chrome, username=username, status=status)


def reset(chrome: Chrome, *, username: FieldState, flow: str, destination: str | None, code: FieldState,
          password: PasswordState, status: Status) -> str:
    return _render("reset.html", chrome, username=username, flow=flow, destination=destination, code=code,
                   password=password, status=status)


def new_password(chrome: Chrome, *, session: str, attributes: Sequence[FieldState], password: PasswordState,
                 status: Status) -> str:
    return _render("new_password.html", chrome, session=session, attributes=attributes, password=password,
                   status=status)


def mfa(chrome: Chrome, *, session: str, code: FieldState, status: Status) -> str:
    """The second step of a sign-in: the code of the user's authenticator app."""
    return _render("mfa.html", chrome, session=session, code=code, status=status)


def mfa_setup(chrome: Chrome, *, session: str, secret: str, otpauth_uri: str, code: FieldState,
              status: Status) -> str:
    """Setting up an authenticator app: the secret as a QR code (inline SVG: the CSP allows no scripts and no
    foreign images) and in groups of four for typing, then its first code."""
    groups = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return _render("mfa_setup.html", chrome, session=session, qr=_qr_svg(otpauth_uri), secret_groups=groups,
                   code=code, status=status)


def _qr_svg(text: str) -> Any:
    import qrcode  # type: ignore[import-untyped]  # only this page draws one
    import qrcode.image.svg  # type: ignore[import-untyped]
    from markupsafe import Markup

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return Markup(image.to_string(encoding="unicode"))  # our own drawing of our own text, not user HTML


def done(chrome: Chrome, *, title: str, body: str, login_href: str | None = None) -> str:
    """A page with nothing to fill in: signed out, account confirmed, password changed."""
    return _render("done.html", chrome, title=title, body=body, login_href=login_href)


def error(chrome: Chrome, *, title: str, explanation: str, details: str | None, request_id: str) -> str:
    return _render("error.html", chrome, title=title, explanation=explanation, details=details,
                   request_id=request_id)


@dataclass(frozen=True)
class Claim:
    name: str
    value: str  # a string as it is, anything else as JSON
    when: str | None = None  # a time claim in words (UTC)


@dataclass(frozen=True)
class TokenView:
    """One verified JWT as the token viewer shows it."""

    title: str
    dom_id: str
    kid: str
    alg: str
    expires: str
    header: str
    claims: Sequence[Claim]
    raw: str


@dataclass(frozen=True)
class TokensView:
    user: str
    client_id: str
    issuer: str
    jwks_url: str
    tokens: Sequence[TokenView]
    refresh_token: str | None
    again_href: str
    sign_out_href: str


def tokens(chrome: Chrome, *, view: TokensView) -> str:
    """The token viewer's result: the tokens decoded, how they were verified, when they expire."""
    return _render("tokens.html", chrome, view=view)


@dataclass(frozen=True)
class PoolLink:
    pool_id: str
    name: str
    discovery_href: str
    jwks_href: str


@dataclass(frozen=True)
class Section:
    """A README heading, named as text with its anchor (the page needs no network and no copy of the README)."""

    title: str
    anchor: str


@dataclass(frozen=True)
class HomeView:
    version: str
    pools: Sequence[PoolLink] | None  # None: this server does not list its pools
    more_pools: bool
    sections: Sequence[Section]


def home(chrome: Chrome, *, view: HomeView) -> str:
    """`GET /`: what this server is, its pools' discovery documents, where to read on."""
    return _render("home.html", chrome, view=view)

"""The hosted UI's forms as typed values keyed by Cognito attribute names (contracts table: form fields), parsed
once from the submitted body; and which attribute fields a pool's sign-up form shows, in what order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from starlette.datastructures import FormData

from cognate.domain.pools import UserPool

# Sign-up fields in the order a person expects them: names first, then contact, then the rest.
ATTRIBUTE_ORDER = ("given_name", "middle_name", "family_name", "name", "nickname", "preferred_username", "email",
                   "phone_number", "birthdate", "gender", "address", "locale", "zoneinfo", "website", "profile",
                   "picture", "updated_at")
INPUT_TYPES = {"email": "email", "phone_number": "tel", "birthdate": "date", "website": "url", "profile": "url",
               "picture": "url"}
AUTOCOMPLETE = {"given_name": "given-name", "middle_name": "additional-name", "family_name": "family-name",
                "name": "name", "nickname": "nickname", "preferred_username": "username", "email": "email",
                "phone_number": "tel", "birthdate": "bday", "gender": "sex", "address": "street-address",
                "locale": "language", "website": "url", "profile": "url", "picture": "photo"}
HINTS = {"phone_number": "hint.phone_number", "birthdate": "hint.birthdate"}
MAX_VALUE = 2048


@dataclass(frozen=True)
class FieldSpec:
    """One input: its Cognito name, its label (a catalogue key, or a literal for custom attributes), its type."""

    name: str
    label_key: str | None
    label_text: str = ""
    input_type: str = "text"
    autocomplete: str = "off"
    hint_key: str | None = None
    required: bool = True

    @property
    def dom_id(self) -> str:
        return "f-" + "".join(c if c.isalnum() else "-" for c in self.name)


def attribute_field(name: str, *, required: bool = True) -> FieldSpec:
    custom = name.startswith("custom:")
    return FieldSpec(name=name, label_key=None if custom else f"attr.{name}",
                     label_text=name.removeprefix("custom:").replace("_", " ").capitalize() if custom else "",
                     input_type=INPUT_TYPES.get(name, "text"), autocomplete=AUTOCOMPLETE.get(name, "off"),
                     hint_key=HINTS.get(name), required=required)


def username_field(pool: UserPool, *, signing_up: bool) -> FieldSpec:
    """Email-as-username pools ask for `email` (or `phone_number`); the others for `username`."""
    if "email" in pool.username_attributes and signing_up:
        return attribute_field("email")
    if pool.username_attributes == ("phone_number",) and signing_up:
        return attribute_field("phone_number")
    if "email" in pool.username_attributes:
        return FieldSpec(name="username", label_key="attr.email", input_type="email", autocomplete="username")
    return FieldSpec(name="username", label_key="field.username", autocomplete="username")


def _order(name: str) -> tuple[int, str]:
    return (ATTRIBUTE_ORDER.index(name) if name in ATTRIBUTE_ORDER else len(ATTRIBUTE_ORDER), name)


def attribute_fields(pool: UserPool, *, skip: str = "") -> list[FieldSpec]:
    """The required attributes, plus `email` when the pool confirms accounts by email (the code goes there)."""
    names = set(pool.required_attributes)
    if "email" in pool.auto_verified_attributes:
        names.add("email")
    names.discard(skip)
    return [attribute_field(n) for n in sorted(names, key=_order)]


def signup_fields(pool: UserPool) -> list[FieldSpec]:
    first = username_field(pool, signing_up=True)
    return [first, *attribute_fields(pool, skip=first.name)]


def text(form: FormData | Mapping[str, object], name: str) -> str:
    value = form.get(name)
    return value[:MAX_VALUE] if isinstance(value, str) else ""


@dataclass(frozen=True)
class LoginForm:
    username: str
    password: str = field(repr=False)

    @classmethod
    def parse(cls, form: FormData) -> LoginForm:
        return cls(username=text(form, "username").strip(), password=text(form, "password"))


@dataclass(frozen=True)
class SignUpForm:
    """Every sign-up input by its field name; the first field (`username`, or `email` in email-as-username pools)
    is the username, the others are attributes."""

    username_name: str
    fields: Mapping[str, str]
    password: str = field(repr=False)

    @classmethod
    def parse(cls, form: FormData, pool: UserPool) -> SignUpForm:
        specs = signup_fields(pool)
        return cls(username_name=specs[0].name, fields={f.name: text(form, f.name).strip() for f in specs},
                   password=text(form, "password"))

    @property
    def username(self) -> str:
        return self.fields.get(self.username_name, "")

    @property
    def attributes(self) -> dict[str, str]:
        return {k: v for k, v in self.fields.items() if v and k != self.username_name}


@dataclass(frozen=True)
class ConfirmForm:
    username: str
    code: str
    flow: str
    resend: bool

    @classmethod
    def parse(cls, form: FormData) -> ConfirmForm:
        return cls(username=text(form, "username").strip(), code=text(form, "code").strip(),
                   flow=text(form, "flow"), resend=text(form, "action") == "resend")


@dataclass(frozen=True)
class ForgotForm:
    username: str

    @classmethod
    def parse(cls, form: FormData) -> ForgotForm:
        return cls(username=text(form, "username").strip())


@dataclass(frozen=True)
class NewPasswordForm:
    """`new_password` twice, plus (new-password step) the session token and any missing required attributes."""

    new_password: str = field(repr=False)
    confirm_password: str = field(repr=False)
    session: str = ""
    flow: str = ""
    username: str = ""
    code: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, form: FormData, attribute_names: tuple[str, ...] = ()) -> NewPasswordForm:
        attributes = {n: text(form, n).strip() for n in attribute_names}
        return cls(new_password=text(form, "new_password"), confirm_password=text(form, "confirm_password"),
                   session=text(form, "session"), flow=text(form, "flow"), username=text(form, "username").strip(),
                   code=text(form, "code").strip(), attributes={k: v for k, v in attributes.items() if v})

    @property
    def mismatch(self) -> bool:
        return self.new_password != self.confirm_password

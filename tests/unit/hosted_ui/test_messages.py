"""The catalogue is complete in every language, every Cognito error has a sentence, and the language choice
follows `lang`, then Accept-Language, then English."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from cognate.domain import errors
from cognate.hosted_ui._catalogue import CATALOGUES, EN
from cognate.hosted_ui.messages import Translator, choose_language, error_key, sentence

TEMPLATES = Path(errors.__file__).resolve().parents[1] / "hosted_ui" / "templates"


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", sorted(CATALOGUES))
def test_every_language_has_every_key_with_the_same_placeholders(lang: str) -> None:
    table = CATALOGUES[lang]
    assert set(table) == set(EN)
    for key, text in table.items():
        assert _placeholders(text) == _placeholders(EN[key]), key


def test_every_key_used_by_a_template_exists() -> None:
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r't\(\s*"([a-z_.]+)"', path.read_text()))
        used |= set(re.findall(r"t\(\s*'([a-z_.]+)'", path.read_text()))
    assert used and used <= set(EN), used - set(EN)


@pytest.mark.parametrize("name", errors.__all__)
def test_every_cognito_error_has_a_sentence(name: str) -> None:
    cls = getattr(errors, name)
    exc = cls("Something happened")
    for lang in CATALOGUES:
        assert sentence(exc, Translator(lang))


def test_not_authorized_is_told_apart_by_its_message() -> None:
    assert error_key(errors.NotAuthorizedException("User is disabled.")) == "error.user_disabled"
    assert error_key(errors.NotAuthorizedException("Password attempts exceeded"), page="login") == \
        "error.wrong_credentials"
    assert error_key(errors.UserNotFoundException("User does not exist."), page="login") == "error.wrong_credentials"
    assert error_key(errors.UserNotFoundException("User does not exist.")) == "error.user_not_found"


@pytest.mark.parametrize(("param", "header", "expected"), [
    ("de", "en", "de"), ("de-AT", None, "de"), ("xx", "de-DE,de;q=0.9", "de"), (None, "fr, de;q=0.1", "de"),
    (None, "de;q=0.2, en;q=0.9", "en"), (None, "de;q=0", "en"), (None, None, "en"), (None, "garbage;q=x", "en"),
])
def test_language_choice(param: str | None, header: str | None, expected: str) -> None:
    assert choose_language(param, header) == expected

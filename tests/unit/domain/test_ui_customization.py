"""SetUICustomization's checks: Cognito's class names only, no at-rules, a PNG or JPEG logo of at most 100 KB."""

from __future__ import annotations

import base64

import pytest

from cognate.domain.errors import InvalidParameterException
from cognate.domain.ui_customization import MAX_CSS, MAX_IMAGE, SELECTORS, check_css, decode_image

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32

# The shape of the AWS CLI's set-ui-customization example: every class, comments, hover and focus states.
COGNITO_SAMPLE = """
/* the console's template */
.logo-customizable { max-width: 60%; max-height: 30%; }
.banner-customizable { padding: 25px 0px 25px 0px; background-color: lightgray; }
.label-customizable { font-weight: 400; }
.textDescription-customizable, .idpDescription-customizable { padding-top: 10px; display: block; font-size: 16px; }
.legalText-customizable { color: #747474; font-size: 11px; }
.submitButton-customizable { font-size: 14px; height: 40px; width: 100%; color: #fff; background-color: #337ab7; }
.submitButton-customizable:hover { color: #fff; background-color: #286090; }
.errorMessage-customizable { padding: 5px; border: 2px solid #D64958; color: #D64958; }
.inputField-customizable { width: 100%; height: 34px; color: #555; border: 1px solid #ccc; }
.inputField-customizable:focus { border-color: #66afe9; outline: 0; }
.idpButton-customizable { height: 40px; } .idpButton-customizable:hover { color: #fff; }
.socialButton-customizable { border-radius: 2px; }
.redirect-customizable { text-align: center; }
.passwordCheck-notValid-customizable { color: #DF3312; }
.passwordCheck-valid-customizable { color: #19BF00; }
.background-customizable { background-color: #fff; }
"""


def test_cognitos_own_template_is_accepted_as_is() -> None:
    assert check_css(COGNITO_SAMPLE) == COGNITO_SAMPLE
    assert all(selector in COGNITO_SAMPLE for selector in SELECTORS)


@pytest.mark.parametrize("css", [
    "body { color: red; }",
    ".submitButton-customizable, .button { color: red; }",
    ".submitButton-customizable:active { color: red; }",
    "div.label-customizable { color: red; }",
    ".label-customizable .x { color: red; }",
])
def test_a_selector_outside_cognitos_list_is_refused(css: str) -> None:
    with pytest.raises(InvalidParameterException, match="not allowed"):
        check_css(css)


@pytest.mark.parametrize(("css", "why"), [
    ("@import url(https://evil.example/x.css);", "at-rules"),
    ("@media (max-width: 1px) { .label-customizable { color: red; } }", "at-rules"),
    (".label-customizable { color: red; } /* open", "unterminated comment"),
    (".label-customizable { color: red;", "ends inside"),
    (".label-customizable { color: red; } }", "without its"),
    (".label-customizable { .x { color: red; } }", "nested"),
    (".label-customizable { content: 'x }", "ends inside"),
    (".a\\62 c { color: red; }", "must not contain"),
    (".label-customizable { color: red; }" + " " * MAX_CSS, "at most"),
])
def test_malformed_or_dangerous_sheets_are_refused(css: str, why: str) -> None:
    with pytest.raises(InvalidParameterException, match=why):
        check_css(css)


def test_braces_in_strings_and_selectors_in_comments_do_not_count() -> None:
    css = '/* body { color: red } */ .label-customizable { font-family: "a{b}c"; }'
    assert check_css(css) == css


def test_png_and_jpeg_logos_are_recognised_by_their_bytes() -> None:
    assert decode_image(base64.b64encode(PNG).decode()) == (PNG, "png")
    assert decode_image(base64.b64encode(JPEG).decode()) == (JPEG, "jpeg")


@pytest.mark.parametrize(("encoded", "why"), [
    (base64.b64encode(b"GIF89a" + b"\x00" * 10).decode(), "PNG or JPEG"),
    (base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode(), "PNG or JPEG"),
    ("not base64!", "base64"),
    (base64.b64encode(PNG + b"\x00" * MAX_IMAGE).decode(), "100 KB"),
])
def test_other_images_are_refused(encoded: str, why: str) -> None:
    with pytest.raises(InvalidParameterException, match=why):
        decode_image(encoded)

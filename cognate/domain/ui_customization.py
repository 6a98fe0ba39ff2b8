"""Cognito's classic hosted-UI customization (SetUICustomization): a style sheet limited to Cognito's class names
and a PNG or JPEG logo, for every app client of a pool (`ALL`) or for one, which then no longer falls back to `ALL`.

CSS written for Cognito's hosted UI works unchanged on Cognate's pages, which carry the same class names; what
Cognito refuses (a selector outside its list, an at-rule) is refused here too, so a sheet accepted by Cognate is
one Cognito would take.
"""

from __future__ import annotations

import binascii
from base64 import b64decode
from dataclasses import dataclass

from cognate.domain.errors import InvalidParameterException

ALL = "ALL"
# The selectors Cognito's developer guide lists for classic branding ("Customizing hosted UI (classic) branding").
SELECTORS = frozenset({
    ".background-customizable", ".banner-customizable", ".errorMessage-customizable", ".idpButton-customizable",
    ".idpButton-customizable:hover", ".idpDescription-customizable", ".inputField-customizable",
    ".inputField-customizable:focus", ".label-customizable", ".legalText-customizable", ".logo-customizable",
    ".passwordCheck-valid-customizable", ".passwordCheck-notValid-customizable", ".redirect-customizable",
    ".socialButton-customizable", ".submitButton-customizable", ".submitButton-customizable:hover",
    ".textDescription-customizable",
})
MAX_CSS = 131072  # the API's length limit for CSS
MAX_IMAGE = 100 * 1024  # the guide: "Your logo file can be no larger than 100 KB"
IMAGE_TYPES = {"png": "image/png", "jpeg": "image/jpeg"}


@dataclass(frozen=True)
class UiCustomization:
    pool_id: str
    client_id: str  # ALL, or an app client id
    css: str | None
    image: bytes | None
    image_type: str | None  # a key of IMAGE_TYPES
    created_at: float
    updated_at: float

    @property
    def version(self) -> str:
        """Changes with every SetUICustomization: cache-busts the style sheet and logo URLs, and is `CSSVersion`."""
        return str(int(self.updated_at * 1000))

    @property
    def logo_path(self) -> str:
        """Where the hosted UI serves the logo; versioned, so a new one is never hidden by a cache."""
        return f"/hosted-ui/logo/{self.pool_id}/{self.client_id}?v={self.version}"

    @property
    def css_path(self) -> str:
        return f"/hosted-ui/custom/{self.pool_id}/{self.client_id}.css?v={self.version}"


def _without_comments(css: str) -> str:
    out, at = [], 0
    while (start := css.find("/*", at)) != -1:
        end = css.find("*/", start + 2)
        if end == -1:
            raise InvalidParameterException("CSS has an unterminated comment.")
        out.append(css[at:start] + " ")
        at = end + 2
    out.append(css[at:])
    return "".join(out)


def _rules(css: str) -> list[tuple[str, str]]:
    """(selector list, declarations) of each rule; quoted strings may hold braces, nesting is refused."""
    rules: list[tuple[str, str]] = []
    buf: list[str] = []
    selector: str | None = None
    quote: str | None = None
    for ch in css:
        if quote:
            quote = None if ch == quote else quote
            buf.append(ch)
        elif ch in "\"'":
            quote = ch
            buf.append(ch)
        elif ch == "{":
            if selector is not None:
                raise InvalidParameterException("CSS rules must not be nested.")
            selector, buf = "".join(buf), []
        elif ch == "}":
            if selector is None:
                raise InvalidParameterException("CSS has a '}' without its '{'.")
            rules.append((selector, "".join(buf)))
            selector, buf = None, []
        else:
            buf.append(ch)
    if quote or selector is not None or "".join(buf).strip():
        raise InvalidParameterException("CSS ends inside a rule or a string.")
    return rules


def check_css(css: str) -> str:
    """The sheet as given, if Cognito would take it: only its class names as selectors, no at-rules."""
    if len(css) > MAX_CSS:
        raise InvalidParameterException(f"CSS must be at most {MAX_CSS} characters.")
    if "\\" in css:  # an escape could spell a selector outside the list (`.a\\62 c`)
        raise InvalidParameterException("CSS must not contain '\\'.")
    bare = _without_comments(css)
    if "@" in bare:
        raise InvalidParameterException("CSS must not contain at-rules such as @import or @media.")
    for selectors, _ in _rules(bare):
        for selector in (s.strip() for s in selectors.split(",")):
            if selector not in SELECTORS:
                raise InvalidParameterException(
                    f"CSS selector '{selector[:80]}' is not allowed: use the hosted UI's -customizable classes.")
    return css


def decode_image(encoded: str) -> tuple[bytes, str]:
    """ImageFile (base64 on the wire) → (bytes, type): a PNG or JPEG of at most 100 KB."""
    try:
        data = b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidParameterException("ImageFile must be base64-encoded.") from None
    if len(data) > MAX_IMAGE:
        raise InvalidParameterException("ImageFile must be at most 100 KB.")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return data, "png"
    if data.startswith(b"\xff\xd8\xff"):
        return data, "jpeg"
    raise InvalidParameterException("ImageFile must be a PNG or JPEG image.")

"""Per-pool hosted-UI branding (HOSTED_UI.md "Look"): logo URL, primary and background colours, custom CSS.

Cognate keeps it with the pool (stored under `CognateBranding`); Cognito's own managed-login branding API is
not modelled. Values are checked here so every door (CLI, future API) applies the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cognate.domain._checks import fail, mapping

COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_CSS_BYTES = 64 * 1024
MAX_URL = 1024
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})
STORED_KEY = "CognateBranding"


@dataclass(frozen=True)
class Branding:
    logo_url: str | None = None
    primary_color: str | None = None
    background_color: str | None = None
    css: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.logo_url or self.primary_color or self.background_color or self.css)


def check_colour(value: str, field: str) -> str:
    if not COLOUR_RE.fullmatch(value):
        raise fail(f"{field} must be a colour like #1a73e8")
    return value.lower()


def check_logo_url(value: str) -> str:
    """https anywhere, or http on localhost (development); nothing that could break out of an attribute."""
    parts = urlsplit(value)
    secure = parts.scheme == "https" and bool(parts.hostname)
    local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
    if len(value) > MAX_URL or not (secure or local) or any(c.isspace() or c in "\"'<>\\" for c in value):
        raise fail("The logo URL must be an https:// URL (or http://localhost) of at most 1024 characters")
    return value


def check_css(value: str) -> str:
    if len(value.encode()) > MAX_CSS_BYTES:
        raise fail("The custom CSS must be at most 64 KiB")
    if "</" in value:
        raise fail("The custom CSS must not contain '</'")
    return value


def build_branding(*, logo_url: str | None = None, primary_color: str | None = None,
                   background_color: str | None = None, css: str | None = None) -> Branding:
    """Validated branding; empty strings mean "not set"."""
    return Branding(
        logo_url=check_logo_url(logo_url) if logo_url else None,
        primary_color=check_colour(primary_color, "PrimaryColor") if primary_color else None,
        background_color=check_colour(background_color, "BackgroundColor") if background_color else None,
        css=check_css(css) if css else None,
    )


def branding_to_stored(branding: Branding) -> dict[str, str]:
    raw = {"LogoUrl": branding.logo_url, "PrimaryColor": branding.primary_color,
           "BackgroundColor": branding.background_color, "Css": branding.css}
    return {k: v for k, v in raw.items() if v}


def branding_from_stored(raw: object) -> Branding | None:
    data: Mapping[str, Any] = mapping(raw, STORED_KEY)
    if not data:
        return None
    values = {k: data.get(k) for k in ("LogoUrl", "PrimaryColor", "BackgroundColor", "Css")}
    if any(v is not None and not isinstance(v, str) for v in values.values()):
        raise fail(f"{STORED_KEY} values must be strings")
    branding = build_branding(logo_url=values["LogoUrl"], primary_color=values["PrimaryColor"],
                              background_color=values["BackgroundColor"], css=values["Css"])
    return None if branding.empty else branding

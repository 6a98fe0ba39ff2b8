"""A pool's branding as a style sheet served by Cognate (the CSP allows only 'self'): colour variables chosen so
text keeps WCAG 2.1 AA contrast (4.5:1), then the pool's own CSS.
"""

from __future__ import annotations

from cognate.domain.branding import Branding

LIGHT_TEXT = "#ffffff"
DARK_TEXT = "#111318"
DEFAULT_LINK = "#1a56c4"
AA = 4.5
FOCUS_CONTRAST = 3.0


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of `#rrggbb`."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_on(background: str) -> str:
    """White or near-black, whichever reads better on `background`."""
    return LIGHT_TEXT if contrast(background, LIGHT_TEXT) >= contrast(background, DARK_TEXT) else DARK_TEXT


def theme_css(branding: Branding) -> str:
    light: list[str] = []
    if branding.primary_color:
        primary = branding.primary_color
        light += [f"--primary: {primary};", f"--on-primary: {text_on(primary)};"]
        light.append(f"--link: {primary if contrast(primary, LIGHT_TEXT) >= AA else DEFAULT_LINK};")
        if contrast(primary, LIGHT_TEXT) >= FOCUS_CONTRAST:  # WCAG 1.4.11: focus rings need 3:1
            light.append(f"--focus: {primary};")
    if branding.background_color:
        light += [f"--page-bg: {branding.background_color};", f"--on-page: {text_on(branding.background_color)};"]
    parts = [":root {\n  " + "\n  ".join(light) + "\n}\n"] if light else []
    if branding.primary_color:
        parts.append("@media (prefers-color-scheme: dark) {\n  :root { --link: #8ab4f8; --focus: #a8c7fa; }\n}\n")
    if branding.css:
        parts.append("/* pool CSS */\n" + branding.css + "\n")
    return "".join(parts)

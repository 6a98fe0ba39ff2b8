"""Callback and sign-out URL rules of app clients (spec §3) and exact matching (RFC 9700 §4.1.3)."""

from __future__ import annotations

from urllib.parse import urlsplit

from cognate.domain._checks import fail

MAX_URL_LENGTH = 1024
MAX_URLS = 100
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})


def check_redirect_url(url: str, field: str = "CallbackURLs") -> str:
    """Absolute, no fragment, https unless loopback http; custom app schemes (`myapp://cb`) allowed."""
    if not isinstance(url, str) or not 1 <= len(url) <= MAX_URL_LENGTH:
        raise fail(f"{field}: each URL must be 1-{MAX_URL_LENGTH} characters")
    if any(c.isspace() for c in url) or "\\" in url:
        raise fail(f"{field}: {url} is not a valid URL")
    parts = urlsplit(url)
    if not parts.scheme or not (parts.netloc or parts.path):
        raise fail(f"{field}: {url} must be an absolute URL")
    if "#" in url:
        raise fail(f"{field}: {url} must not contain a fragment")
    scheme = parts.scheme.lower()
    if scheme == "http":
        host = (parts.hostname or "").lower()
        bracketed = f"[{host}]" if ":" in host else host
        if bracketed not in LOOPBACK_HOSTS:
            raise fail(f"{field}: {url} must use HTTPS (http is allowed only for localhost)")
    elif scheme == "https":
        if not parts.hostname:
            raise fail(f"{field}: {url} must have a host")
    elif scheme in ("javascript", "data", "file", "vbscript"):
        raise fail(f"{field}: {url} uses a forbidden scheme")
    if parts.username is not None or parts.password is not None:
        raise fail(f"{field}: {url} must not contain user information")
    return url


def check_redirect_urls(urls: tuple[str, ...], field: str) -> tuple[str, ...]:
    if len(urls) > MAX_URLS:
        raise fail(f"{field}: at most {MAX_URLS} URLs")
    return tuple(check_redirect_url(u, field) for u in urls)


def matches_registered(candidate: str, registered: tuple[str, ...]) -> bool:
    """Exact string comparison: no prefix, case folding or normalisation (RFC 9700 §2.1)."""
    return candidate in registered

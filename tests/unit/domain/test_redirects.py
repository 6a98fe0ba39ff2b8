"""Callback / sign-out URL rules (spec §3) and exact redirect matching."""

from __future__ import annotations

import pytest

from cognate.domain.errors import InvalidParameterException
from cognate.domain.redirects import MAX_URL_LENGTH, check_redirect_url, check_redirect_urls, matches_registered


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com/cb",
        "https://app.example.com:8443/cb?x=1",
        "http://localhost:3000/cb",
        "http://localhost/cb",
        "http://127.0.0.1:8080/x",
        "http://[::1]:5000/cb",
        "myapp://callback",
        "com.example.app:/oauth2redirect",
    ],
)
def test_accepted_urls_are_returned_unchanged(url: str) -> None:
    assert check_redirect_url(url) == url


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.com/cb", "must use HTTPS"),
        ("http://localhost.evil.com/cb", "must use HTTPS"),
        ("http://127.0.0.1.nip.io/cb", "must use HTTPS"),
        ("https://app.example.com/cb#frag", "must not contain a fragment"),
        ("https://app.example.com/cb#", "must not contain a fragment"),
        ("/cb", "must be an absolute URL"),
        ("cb", "must be an absolute URL"),
        ("//app.example.com/cb", "must be an absolute URL"),
        ("javascript:alert(1)", "forbidden scheme"),
        ("JavaScript:alert(1)", "forbidden scheme"),
        ("data:text/html,hi", "forbidden scheme"),
        ("https://user:pw@app.example.com/cb", "must not contain user information"),
        ("https://user@app.example.com/cb", "must not contain user information"),
        ("https:///cb", "must have a host"),
        ("https://app.example.com/a b", "is not a valid URL"),
        ("", "1-1024 characters"),
    ],
)
def test_refused_urls(url: str, message: str) -> None:
    with pytest.raises(InvalidParameterException, match=message):
        check_redirect_url(url)


def test_url_of_exactly_max_length_is_accepted() -> None:
    url = "https://app.example.com/" + "a" * (MAX_URL_LENGTH - len("https://app.example.com/"))
    assert len(url) == 1024
    assert check_redirect_url(url) == url


def test_url_over_1024_chars_is_refused() -> None:
    url = "https://app.example.com/" + "a" * MAX_URL_LENGTH
    with pytest.raises(InvalidParameterException, match="1-1024 characters"):
        check_redirect_url(url)


def test_error_names_the_field() -> None:
    with pytest.raises(InvalidParameterException, match=r"^LogoutURLs: "):
        check_redirect_url("http://example.com/out", "LogoutURLs")


def test_check_redirect_urls_checks_every_entry() -> None:
    with pytest.raises(InvalidParameterException, match=r"http://example.com/bad"):
        check_redirect_urls(("https://ok.example.com/cb", "http://example.com/bad"), "CallbackURLs")


def test_check_redirect_urls_limits_count_to_100() -> None:
    urls = tuple(f"https://app.example.com/{i}" for i in range(101))
    with pytest.raises(InvalidParameterException, match="at most 100 URLs"):
        check_redirect_urls(urls, "CallbackURLs")
    assert check_redirect_urls(urls[:100], "CallbackURLs") == urls[:100]


REGISTERED = ("https://app.example.com/cb", "myapp://callback")


def test_matches_registered_exact() -> None:
    assert matches_registered("https://app.example.com/cb", REGISTERED)
    assert matches_registered("myapp://callback", REGISTERED)


@pytest.mark.parametrize(
    "candidate",
    [
        "https://app.example.com/cb/",
        "https://app.example.com/cb/extra",
        "https://app.example.com/c",
        "https://APP.example.com/cb",
        "https://app.example.com/CB",
        "https://app.example.com/cb?x=1",
        "https://app.example.com:443/cb",
        "http://app.example.com/cb",
        "myapp://callback/",
        "",
    ],
)
def test_matches_registered_refuses_near_misses(candidate: str) -> None:
    assert not matches_registered(candidate, REGISTERED)

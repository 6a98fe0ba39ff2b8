"""Parsing OAuth requests once (RFC 6749 §3.1 single-valued parameters, §2.3.1 client credentials)."""

from __future__ import annotations

import base64
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cognate.oauth.errors import InvalidClient, InvalidRequest
from cognate.oauth.requests import bearer_token, client_credentials, form_pairs, parse_form, parse_query


def _basic(user: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode()


def test_repeated_parameters_are_refused_and_empty_ones_dropped() -> None:
    assert parse_query("a=1&b=&c=x%20y") == {"a": "1", "c": "x y"}
    with pytest.raises(InvalidRequest):
        parse_query("a=1&a=1")
    with pytest.raises(InvalidRequest):
        parse_form(b"a=&a=2")
    with pytest.raises(InvalidRequest):
        parse_form(b"a=\xff")


@given(st.text(alphabet="ab=&;%+2F0 \u00e9\x00", max_size=40))
def test_form_pairs_read_exactly_what_parse_qsl_reads(text: str) -> None:
    assert form_pairs(text) == parse_qsl(text, keep_blank_values=True)


def test_basic_credentials() -> None:
    creds = client_credentials(_basic("client", "s3cret"), {})
    assert creds.client_id == "client" and creds.secrets == ("s3cret",) and creds.basic
    encoded = client_credentials(_basic("client", "a%2Bb+c"), {})
    assert encoded.secrets == ("a%2Bb+c", "a+b c")  # raw first (most clients do not form-encode), then decoded
    assert client_credentials(_basic("client", "s"), {"client_id": "client"}).client_id == "client"


@pytest.mark.parametrize("header", ["Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode(),
                                    "Basic " + base64.b64encode(b":secret").decode()])
def test_malformed_basic_is_invalid_client_with_a_challenge(header: str) -> None:
    with pytest.raises(InvalidClient) as caught:
        client_credentials(header, {})
    assert caught.value.status == 401 and caught.value.headers["WWW-Authenticate"] == 'Basic realm="cognate"'


def test_mixed_methods_are_refused() -> None:
    with pytest.raises(InvalidRequest):
        client_credentials(_basic("client", "s"), {"client_secret": "s"})
    with pytest.raises(InvalidClient):
        client_credentials(_basic("client", "s"), {"client_id": "other"})
    with pytest.raises(InvalidClient) as caught:
        client_credentials("Bearer abc", {})
    assert caught.value.status == 400


def test_post_and_public_credentials() -> None:
    post = client_credentials(None, {"client_id": "c", "client_secret": "s"})
    assert post.client_id == "c" and post.secrets == ("s",) and not post.basic
    assert client_credentials(None, {"client_id": "c"}).secrets == ()


def test_bearer_token() -> None:
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer  abc ") == "abc"
    for bad in (None, "", "Bearer", "Basic abc"):
        with pytest.raises(InvalidRequest):
            bearer_token(bad)


def test_error_descriptions_are_safe_for_headers() -> None:
    error = InvalidRequest('bad "value"\r\nX-Injected: 1')
    assert '"' not in error.description and "\n" not in error.description
    assert error.bearer_challenge().startswith('Bearer error="invalid_request"')

"""Pool domains (spec §4): prefix rules, reserved words, custom domains and their URLs."""

from __future__ import annotations

from typing import Any

import pytest

from cognate.domain.domains import (
    PoolDomain,
    back_channel_url,
    build_domain,
    check_custom_domain,
    check_prefix,
    domain_host,
    domain_to_cognito,
    domain_url,
    is_loopback_name,
)
from cognate.domain.errors import InvalidParameterException

POOL = "eu-west-2_abcdefghi"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-123456789012"
SUFFIX = "auth.localhost"


def make(**req: Any) -> PoolDomain:
    return build_domain({"UserPoolId": POOL, **req}, 100.0)


@pytest.mark.parametrize("prefix", ["a", "1", "my-app", "my-app-2", "a" * 63, "0x1"])
def test_valid_prefixes(prefix: str) -> None:
    assert check_prefix(prefix) == prefix


@pytest.mark.parametrize("prefix", ["MyApp", "myApp", "-myapp", "myapp-", "my_app", "my.app", "my app", "myapp\n"])
def test_invalid_prefix_characters(prefix: str) -> None:
    with pytest.raises(InvalidParameterException, match="The domain name contains an invalid character"):
        check_prefix(prefix)


def test_prefix_of_64_chars_refused() -> None:
    with pytest.raises(InvalidParameterException, match="length less than or equal to 63"):
        check_prefix("a" * 64)


@pytest.mark.parametrize("prefix", [None, ""])
def test_missing_prefix(prefix: str | None) -> None:
    with pytest.raises(InvalidParameterException, match="Domain is required"):
        check_prefix(prefix)


@pytest.mark.parametrize(
    ("prefix", "word"),
    [("aws", "aws"), ("myaws", "aws"), ("aws-app", "aws"), ("my-amazon-login", "amazon"), ("cognito", "cognito"),
     ("appcognito", "cognito"), ("laws1", "aws")],
)
def test_reserved_words_anywhere(prefix: str, word: str) -> None:
    with pytest.raises(InvalidParameterException, match=f"^Domain cannot contain reserved word: {word}$"):
        check_prefix(prefix)


def test_build_prefix_domain() -> None:
    d = make(Domain="my-app")
    assert d == PoolDomain(domain="my-app", pool_id=POOL, created_at=100.0)
    assert not d.is_custom


def test_build_requires_pool_id() -> None:
    with pytest.raises(InvalidParameterException, match="UserPoolId is required"):
        build_domain({"Domain": "my-app"}, 1.0)


def test_managed_login_version() -> None:
    assert make(Domain="my-app", ManagedLoginVersion=2).managed_login_version == 2
    with pytest.raises(InvalidParameterException, match="ManagedLoginVersion must be 1 or 2"):
        make(Domain="my-app", ManagedLoginVersion=3)


def test_build_custom_domain() -> None:
    d = make(Domain="Auth.Example.com", CustomDomainConfig={"CertificateArn": CERT})
    assert (d.domain, d.certificate_arn, d.is_custom) == ("auth.example.com", CERT, True)


def test_custom_domain_may_contain_reserved_words() -> None:
    assert make(Domain="login.amazonaws-partner.com", CustomDomainConfig={"CertificateArn": CERT}).is_custom


@pytest.mark.parametrize("name", ["auth", "auth.example.c0m", "-auth.example.com", "auth..example.com",
                                  "auth.example.com\n", "auth_1.example.com", "a.b"])
def test_custom_domain_must_be_fqdn(name: str) -> None:
    with pytest.raises(InvalidParameterException, match="is not a valid fully qualified domain name"):
        make(Domain=name, CustomDomainConfig={"CertificateArn": CERT})


@pytest.mark.parametrize("arn", [None, "", "certificate/abc", "arn:aws:acm", CERT + "\n", 42])
def test_custom_domain_needs_certificate_arn(arn: object) -> None:
    with pytest.raises(InvalidParameterException, match="CertificateArn must be a certificate ARN"):
        make(Domain="auth.example.com", CustomDomainConfig={"CertificateArn": arn})


def test_check_custom_domain_accepts_fqdn() -> None:
    assert check_custom_domain("login.auth.example.co.uk") == "login.auth.example.co.uk"


def test_hosts_and_urls() -> None:
    prefix = make(Domain="my-app")
    custom = make(Domain="auth.example.com", CustomDomainConfig={"CertificateArn": CERT})
    assert domain_host(prefix, SUFFIX) == "my-app.auth.localhost"
    assert domain_host(custom, SUFFIX) == "auth.example.com"
    assert domain_url(prefix, suffix=SUFFIX, public_url="http://localhost:9229") == "http://my-app.auth.localhost:9229"
    assert domain_url(prefix, suffix=SUFFIX, public_url="https://id.example.net") == "https://my-app.auth.localhost"
    assert domain_url(custom, suffix=SUFFIX, public_url="http://localhost:9229") == "https://auth.example.com"


def test_to_cognito() -> None:
    out = domain_to_cognito(make(Domain="auth.example.com", CustomDomainConfig={"CertificateArn": CERT}),
                            suffix=SUFFIX)
    assert out["CustomDomainConfig"] == {"CertificateArn": CERT}
    assert (out["Domain"], out["UserPoolId"], out["Status"]) == ("auth.example.com", POOL, "ACTIVE")
    assert "CustomDomainConfig" not in domain_to_cognito(make(Domain="my-app"), suffix=SUFFIX)


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "myapp.auth.localhost", "a.localhost.", "x.Localhost"])
def test_loopback_names(host: str) -> None:
    assert is_loopback_name(host)


@pytest.mark.parametrize("host", ["", "127.0.0.1", "localhost.example.com", "mylocalhost", "auth.example.com"])
def test_names_that_are_not_loopback_by_rfc_6761(host: str) -> None:
    assert not is_loopback_name(host)


@pytest.mark.parametrize(("front", "back"), [
    ("http://myapp.auth.localhost:9229", "http://127.0.0.1:9229"),  # servers cannot resolve it: the public URL
    ("https://login.localhost", "http://127.0.0.1:9229"),
    ("http://myapp.auth.example.com:9229", "http://myapp.auth.example.com:9229"),  # Cognito's shape
    ("https://login.example.com", "https://login.example.com"),
    ("http://127.0.0.1:9229", "http://127.0.0.1:9229"),
])
def test_back_channel_url(front: str, back: str) -> None:
    assert back_channel_url(front, public_url="http://127.0.0.1:9229") == back

"""Pool domains: Cognito prefix domains and custom domains (spec §4) and the URL each one is served at."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from cognate.domain._checks import ARN_RE, fail, mapping

PREFIX_RE = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")
FQDN_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
RESERVED_WORDS = ("aws", "amazon", "cognito")


@dataclass(frozen=True)
class PoolDomain:
    domain: str
    pool_id: str
    created_at: float
    certificate_arn: str | None = None
    managed_login_version: int = 1

    @property
    def is_custom(self) -> bool:
        return self.certificate_arn is not None


def check_prefix(prefix: object) -> str:
    if not isinstance(prefix, str) or not prefix:
        raise fail("Domain is required.")
    if len(prefix) > 63:
        raise fail(f"1 validation error detected: Value '{prefix[:40]}' at 'domain' failed to satisfy constraint: "
                   "Member must have length less than or equal to 63")
    if not PREFIX_RE.fullmatch(prefix):
        raise fail("The domain name contains an invalid character. Domain names can only contain lower-case "
                   "letters, numbers, and hyphens. Please enter a different name that follows this format: "
                   "^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$")
    for word in RESERVED_WORDS:
        if word in prefix:
            raise fail(f"Domain cannot contain reserved word: {word}")
    return prefix


def check_custom_domain(name: str) -> str:
    if not FQDN_RE.fullmatch(name):
        raise fail(f"{name} is not a valid fully qualified domain name.")
    return name


def build_domain(req: Mapping[str, Any], now: float) -> PoolDomain:
    """A CreateUserPoolDomain request; a `CustomDomainConfig` makes it a custom (FQDN) domain."""
    raw, pool_id = req.get("Domain"), req.get("UserPoolId")
    if not isinstance(pool_id, str) or not pool_id:
        raise fail("UserPoolId is required.")
    custom_cfg = mapping(req.get("CustomDomainConfig"), "CustomDomainConfig")
    version = req.get("ManagedLoginVersion", 1)
    if version not in (1, 2):
        raise fail("ManagedLoginVersion must be 1 or 2.")
    if custom_cfg:
        arn = custom_cfg.get("CertificateArn")
        if not isinstance(arn, str) or not ARN_RE.fullmatch(arn):
            raise fail("CustomDomainConfig.CertificateArn must be a certificate ARN.")
        name = check_custom_domain(str(raw or "").lower())
        return PoolDomain(domain=name, pool_id=pool_id, created_at=now, certificate_arn=arn,
                          managed_login_version=version)
    return PoolDomain(domain=check_prefix(raw), pool_id=pool_id, created_at=now, managed_login_version=version)


def updated_domain(domain: PoolDomain, req: Mapping[str, Any]) -> PoolDomain:
    """UpdateUserPoolDomain: the branding version and, for a custom domain, its certificate; the name stays."""
    version = req.get("ManagedLoginVersion", domain.managed_login_version)
    if version not in (1, 2):
        raise fail("ManagedLoginVersion must be 1 or 2.")
    custom_cfg = mapping(req.get("CustomDomainConfig"), "CustomDomainConfig")
    arn = domain.certificate_arn
    if custom_cfg:
        if not domain.is_custom:
            raise fail("CustomDomainConfig can only be updated for a custom domain.")
        arn = custom_cfg.get("CertificateArn")
        if not isinstance(arn, str) or not ARN_RE.fullmatch(arn):
            raise fail("CustomDomainConfig.CertificateArn must be a certificate ARN.")
    return replace(domain, managed_login_version=version, certificate_arn=arn)


def domain_host(domain: PoolDomain, suffix: str) -> str:
    return domain.domain if domain.is_custom else f"{domain.domain}.{suffix}"


def domain_url(domain: PoolDomain, *, suffix: str, public_url: str) -> str:
    """`{scheme}://{prefix}.{suffix}{:port}` for prefixes; `https://{fqdn}` for custom domains (contracts table)."""
    parts = urlsplit(public_url)
    if domain.is_custom:
        return f"https://{domain.domain}"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{domain.domain}.{suffix}{port}"


def is_loopback_name(host: str) -> bool:
    """`localhost` and every name under `.localhost` are loopback (RFC 6761 §6.3). Browsers resolve them so, but the
    system resolver that Python's and Node's HTTP clients use often does not know the names below `localhost`."""
    name = host.lower().rstrip(".")
    return name == "localhost" or name.endswith(".localhost")


def back_channel_url(front_url: str, *, public_url: str) -> str:
    """Where servers are told to call the token, userInfo and revocation endpoints (discovery).

    Cognito advertises them on the pool's domain, next to the authorize endpoint. A local prefix domain
    (`http://myapp.auth.localhost:9229`) cannot be reached that way from a backend on the same machine (its resolver
    fails on the name), so under a `localhost` name they are advertised on the public URL, which serves them for
    every pool with the same checks. A real DNS name or a custom domain keeps Cognito's shape."""
    host = urlsplit(front_url).hostname or ""
    return public_url if is_loopback_name(host) else front_url


def domain_to_cognito(domain: PoolDomain, *, suffix: str) -> dict[str, Any]:
    """The `DomainDescriptionType` of DescribeUserPoolDomain."""
    out: dict[str, Any] = {
        "UserPoolId": domain.pool_id,
        "AWSAccountId": "000000000000",
        "Domain": domain.domain,
        "S3Bucket": "",
        "CloudFrontDistribution": domain_host(domain, suffix),
        "Version": "1",
        "Status": "ACTIVE",
        "ManagedLoginVersion": domain.managed_login_version,
    }
    if domain.certificate_arn:
        out["CustomDomainConfig"] = {"CertificateArn": domain.certificate_arn}
    return out

"""Domain operations through boto3: Create/Describe/DeleteUserPoolDomain (spec §4)."""

from __future__ import annotations

import uuid
from typing import Any

from tests.e2e.cognito_api._helpers import error_code


def _prefix() -> str:
    return f"app-{uuid.uuid4().hex[:10]}"


def test_create_describe_delete_prefix_domain(cognito: Any, pool_id: str) -> None:
    prefix = _prefix()
    created = cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
    assert created["ManagedLoginVersion"] == 1
    description = cognito.describe_user_pool_domain(Domain=prefix)["DomainDescription"]
    assert description["UserPoolId"] == pool_id and description["Status"] == "ACTIVE"
    assert description["CloudFrontDistribution"] == f"{prefix}.auth.localhost"
    assert cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["Domain"] == prefix
    cognito.delete_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
    assert cognito.describe_user_pool_domain(Domain=prefix)["DomainDescription"] == {}


def test_unknown_domain_describes_as_empty(cognito: Any) -> None:
    assert cognito.describe_user_pool_domain(Domain=_prefix())["DomainDescription"] == {}


def test_custom_domain_answers_with_its_target(cognito: Any, pool_id: str) -> None:
    name = f"{_prefix()}.example.com"
    arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
    created = cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=name, CustomDomainConfig={
        "CertificateArn": arn})
    assert created["CloudFrontDomain"] == name
    assert cognito.describe_user_pool_domain(Domain=name)["DomainDescription"]["CustomDomainConfig"] == {
        "CertificateArn": arn}


def test_domain_refusals(cognito: Any, pool_id: str) -> None:
    prefix = _prefix()
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
    other = cognito.create_user_pool(PoolName="other")["UserPool"]["Id"]
    create = cognito.create_user_pool_domain
    assert error_code(lambda: create(UserPoolId=other, Domain=prefix)) == "InvalidParameterException"
    assert error_code(lambda: create(UserPoolId=other, Domain="my-aws-login")) == "InvalidParameterException"
    assert error_code(lambda: create(UserPoolId=other, Domain="Bad_Name")) == "InvalidParameterException"
    assert error_code(lambda: create(UserPoolId="us-east-1_Nope12345", Domain=_prefix())) \
        == "ResourceNotFoundException"
    assert error_code(lambda: cognito.delete_user_pool_domain(UserPoolId=other, Domain=prefix)) \
        == "InvalidParameterException"


def test_update_domain_version_and_certificate(cognito: Any, pool_id: str) -> None:
    prefix = _prefix()
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
    answer = cognito.update_user_pool_domain(UserPoolId=pool_id, Domain=prefix, ManagedLoginVersion=2)
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {"ManagedLoginVersion": 2}
    assert cognito.describe_user_pool_domain(Domain=prefix)["DomainDescription"]["ManagedLoginVersion"] == 2
    name = f"{_prefix()}.example.com"
    old, new = ("arn:aws:acm:us-east-1:123456789012:certificate/old",
                "arn:aws:acm:us-east-1:123456789012:certificate/new")
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=name, CustomDomainConfig={"CertificateArn": old})
    updated = cognito.update_user_pool_domain(UserPoolId=pool_id, Domain=name,
                                              CustomDomainConfig={"CertificateArn": new})
    assert updated["CloudFrontDomain"] == name and updated["ManagedLoginVersion"] == 1
    assert cognito.describe_user_pool_domain(Domain=name)["DomainDescription"]["CustomDomainConfig"] == {
        "CertificateArn": new}

    update = cognito.update_user_pool_domain
    assert error_code(lambda: update(UserPoolId=pool_id, Domain=prefix, CustomDomainConfig={
        "CertificateArn": new})) == "InvalidParameterException"  # a prefix domain has no certificate
    assert error_code(lambda: update(UserPoolId=pool_id, Domain=prefix, ManagedLoginVersion=3)) \
        == "InvalidParameterException"
    other = cognito.create_user_pool(PoolName="other")["UserPool"]["Id"]
    assert error_code(lambda: update(UserPoolId=other, Domain=prefix, ManagedLoginVersion=1)) \
        == "InvalidParameterException"
    assert cognito.describe_user_pool_domain(Domain=prefix)["DomainDescription"]["ManagedLoginVersion"] == 2

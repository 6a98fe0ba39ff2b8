"""Issue 13: answers carry what Cognito answers (with its defaults), schemas are checked as Cognito checks them,
values Cognito accepts are accepted, and configuration Cognate does not act on is kept, echoed and named in a
WARNING, never silently dropped; a request that needs a trigger Cognate does not run is refused clearly."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.cognito_api._helpers import ALL_FLOWS, error_of, new_app, new_pool
from tests.support.processes import Server

TRIGGERS = {"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:pre-sign-up",
            "PostConfirmation": "arn:aws:lambda:us-east-1:123456789012:function:post-confirmation"}


def test_lambda_config_is_kept_echoed_and_named_in_a_warning(cognito: Any, api_server: Server) -> None:
    name = f"triggers-{uuid.uuid4().hex[:8]}"
    created = cognito.create_user_pool(PoolName=name, LambdaConfig=TRIGGERS)["UserPool"]
    assert created["LambdaConfig"] == TRIGGERS
    assert cognito.describe_user_pool(UserPoolId=created["Id"])["UserPool"]["LambdaConfig"] == TRIGGERS
    listed = [p for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60)
              for p in page["UserPools"] if p["Id"] == created["Id"]]
    assert listed[0]["LambdaConfig"] == TRIGGERS
    log = api_server.log()
    line = next(x for x in log.splitlines() if created["Id"] in x and "ignores" in x)
    assert '"level": "warning"' in line and "LambdaConfig.PreSignUp" in line and "LambdaConfig.PostConfirmation" in line
    cognito.update_user_pool(UserPoolId=created["Id"], LambdaConfig={"PreSignUp": TRIGGERS["PreSignUp"]})
    assert cognito.describe_user_pool(UserPoolId=created["Id"])["UserPool"]["LambdaConfig"] == {
        "PreSignUp": TRIGGERS["PreSignUp"]}


def test_sms_settings_are_kept_and_named_in_a_warning(cognito: Any, api_server: Server) -> None:
    sms = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "x"}
    pool = cognito.create_user_pool(PoolName=f"sms-{uuid.uuid4().hex[:8]}", SmsConfiguration=sms,
                                    SmsVerificationMessage="Code {####}")["UserPool"]
    described = cognito.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["SmsConfiguration"] == sms and described["SmsVerificationMessage"] == "Code {####}"
    line = next(x for x in api_server.log().splitlines() if pool["Id"] in x and "ignores" in x)
    assert "SmsConfiguration" in line and "SmsVerificationMessage" in line


def test_describe_user_pool_carries_cognitos_defaults(cognito: Any, pool_id: str) -> None:
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["LambdaConfig"] == {}
    assert pool["EmailConfiguration"] == {"EmailSendingAccount": "COGNITO_DEFAULT"}
    assert pool["UserAttributeUpdateSettings"] == {"AttributesRequireVerificationBeforeUpdate": []}
    assert pool["VerificationMessageTemplate"]["DefaultEmailOption"] == "CONFIRM_WITH_CODE"
    assert set(pool["AdminCreateUserConfig"]) >= {"AllowAdminCreateUserOnly", "UnusedAccountValidityDays"}
    assert pool["AccountRecoverySetting"]["RecoveryMechanisms"]
    assert pool["UsernameConfiguration"] == {"CaseSensitive": True}


def test_prefix_domain_describes_its_cloudfront_distribution(cognito: Any, pool_id: str) -> None:
    prefix = f"shape-{uuid.uuid4().hex[:10]}"
    cognito.create_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
    description = cognito.describe_user_pool_domain(Domain=prefix)["DomainDescription"]
    assert description["CloudFrontDistribution"] and description["Domain"] == prefix
    assert description["UserPoolId"] == pool_id and description["Version"]


def test_mfa_off_pool_names_no_mfa_method(cognito: Any, pool_id: str) -> None:
    """Terraform's software_token_mfa_configuration for an MFA OFF pool: no block, so no member in the answer."""
    config = cognito.get_user_pool_mfa_config(UserPoolId=pool_id)
    config.pop("ResponseMetadata")
    assert config == {"MfaConfiguration": "OFF"}


def test_optional_totp_pool_names_software_token(cognito: Any, pool_id: str) -> None:
    cognito.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                     SoftwareTokenMfaConfiguration={"Enabled": True})
    config = cognito.get_user_pool_mfa_config(UserPoolId=pool_id)
    assert config["SoftwareTokenMfaConfiguration"] == {"Enabled": True} and config["MfaConfiguration"] == "OPTIONAL"


def test_admin_create_user_takes_email_verified_capitalised(cognito: Any, pool_id: str) -> None:
    user = cognito.admin_create_user(UserPoolId=pool_id, Username="cap-true", MessageAction="SUPPRESS",
                                     UserAttributes=[{"Name": "email", "Value": "cap@example.com"},
                                                     {"Name": "email_verified", "Value": "True"}])["User"]
    attrs = {a["Name"]: a["Value"] for a in user["Attributes"]}
    assert attrs["email_verified"] == "true"


def test_admin_create_user_may_set_immutable_attributes(cognito: Any) -> None:
    pool_id = cognito.create_user_pool(PoolName=f"imm-{uuid.uuid4().hex[:8]}", Schema=[
        {"Name": "tier", "AttributeDataType": "String", "Mutable": False}])["UserPool"]["Id"]
    user = cognito.admin_create_user(UserPoolId=pool_id, Username="imm", MessageAction="SUPPRESS",
                                     UserAttributes=[{"Name": "custom:tier", "Value": "gold"}])["User"]
    assert {a["Name"]: a["Value"] for a in user["Attributes"]}["custom:tier"] == "gold"
    refused = error_of(lambda: cognito.admin_update_user_attributes(
        UserPoolId=pool_id, Username="imm", UserAttributes=[{"Name": "custom:tier", "Value": "silver"}]))
    assert refused["Code"] == "InvalidParameterException" and "immutable" in refused["Message"]


@pytest.mark.parametrize(("entry", "message"), [
    ({"Name": "tier"}, "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."),
    ({"Name": "tier", "AttributeDataType": "String",
      "StringAttributeConstraints": {"MinLength": "10", "MaxLength": "5"}}, "MinLength must not exceed MaxLength"),
    ({"Name": "tier", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "2049"}},
     "lengths go from 0 to 2048"),
    ({"Name": "seats", "AttributeDataType": "Number",
      "NumberAttributeConstraints": {"MinValue": "10", "MaxValue": "1"}}, "MinValue must not exceed MaxValue"),
    ({"Name": "email", "AttributeDataType": "Number"},
     "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email"),
    ({"Name": "email", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
     "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email"),
])
def test_schema_refusals_in_cognitos_words(cognito: Any, entry: dict[str, Any], message: str) -> None:
    refused = error_of(lambda: cognito.create_user_pool(PoolName=f"bad-{uuid.uuid4().hex[:8]}", Schema=[entry]))
    assert refused["Code"] == "InvalidParameterException" and message in refused["Message"], refused


def test_add_custom_attributes_checks_the_schema_too(cognito: Any, pool_id: str) -> None:
    refused = error_of(lambda: cognito.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[{"Name": "x"}]))
    assert refused["Code"] == "InvalidParameterException" and "AttributeDataType" in refused["Message"]


def test_custom_auth_is_refused_saying_triggers_are_not_run(cognito: Any, public: Any, api_server: Server) -> None:
    pool_id = new_pool(cognito)
    app = new_app(cognito, pool_id, flows=[*ALL_FLOWS, "ALLOW_CUSTOM_AUTH"])
    refused = error_of(lambda: public.initiate_auth(ClientId=app.client_id, AuthFlow="CUSTOM_AUTH",
                                                    AuthParameters={"USERNAME": "someone"}))
    assert refused["Code"] == "InvalidParameterException"
    assert "does not run custom auth Lambda triggers" in refused["Message"]
    admin = error_of(lambda: cognito.admin_initiate_auth(UserPoolId=pool_id, ClientId=app.client_id,
                                                         AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "x"}))
    assert "does not run custom auth Lambda triggers" in admin["Message"]
    assert any(app.client_id in x and "CUSTOM_AUTH" in x and '"level": "warning"' in x
               for x in api_server.log().splitlines())


DEFAULT_SMS = "Your verification code is {####}. "


def test_verification_template_defaults_carry_the_sms_message(cognito: Any, pool_id: str) -> None:
    pool = cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["VerificationMessageTemplate"] == {
        "SmsMessage": DEFAULT_SMS, "EmailMessage": "Your verification code is {####}. ",
        "EmailSubject": "Your verification code", "DefaultEmailOption": "CONFIRM_WITH_CODE"}
    assert pool["SmsVerificationMessage"] == DEFAULT_SMS


def test_verification_template_link_and_sms_fields_are_kept(cognito: Any, api_server: Server) -> None:
    template = {"SmsMessage": "Code: {####}", "EmailMessageByLink": "Please {##verify your address##}.",
                "EmailSubjectByLink": "Verify your address", "DefaultEmailOption": "CONFIRM_WITH_LINK",
                "EmailMessage": "Your code is {####}", "EmailSubject": "Your code"}
    created = cognito.create_user_pool(PoolName=f"tpl-{uuid.uuid4().hex[:8]}",
                                       VerificationMessageTemplate=template)["UserPool"]
    assert created["VerificationMessageTemplate"] == template
    described = cognito.describe_user_pool(UserPoolId=created["Id"])["UserPool"]
    assert described["VerificationMessageTemplate"] == template
    assert described["SmsVerificationMessage"] == "Code: {####}"
    assert described["EmailVerificationMessage"] == "Your code is {####}"
    line = next(x for x in api_server.log().splitlines() if created["Id"] in x and "ignores" in x)
    assert "VerificationMessageTemplate.DefaultEmailOption" in line

    # The older top-level members set the template's too; what UpdateUserPool leaves out returns to its default.
    cognito.update_user_pool(UserPoolId=created["Id"], SmsVerificationMessage="Your code {####}")
    updated = cognito.describe_user_pool(UserPoolId=created["Id"])["UserPool"]
    assert updated["VerificationMessageTemplate"] == {
        "SmsMessage": "Your code {####}", "EmailMessage": "Your verification code is {####}. ",
        "EmailSubject": "Your verification code", "DefaultEmailOption": "CONFIRM_WITH_CODE"}
    assert updated["SmsVerificationMessage"] == "Your code {####}"


@pytest.mark.parametrize(("template", "words"), [
    ({"DefaultEmailOption": "CONFIRM_WITH_CARRIER_PIGEON"}, "verificationMessageTemplate.defaultEmailOption"),
    ({"EmailMessageByLink": "Click here to verify"}, "{##"),
    ({"SmsMessage": "No code in here"}, "{####}"),
])
def test_verification_template_refusals(unchecked: Any, template: dict[str, str], words: str) -> None:
    refused = error_of(lambda: unchecked.create_user_pool(PoolName=f"bad-{uuid.uuid4().hex[:8]}",
                                                          VerificationMessageTemplate=template))
    assert refused["Code"] == "InvalidParameterException" and words in refused["Message"], refused


def test_developer_only_attributes_are_named_dev_custom(cognito: Any) -> None:
    schema = [{"Name": "internal", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
              {"Name": "tier", "AttributeDataType": "String"}]
    pool_id = cognito.create_user_pool(PoolName=f"dev-{uuid.uuid4().hex[:8]}", Schema=schema)["UserPool"]["Id"]
    cognito.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[
        {"Name": "audit", "AttributeDataType": "Number", "DeveloperOnlyAttribute": True}])
    names = {a["Name"]: a["DeveloperOnlyAttribute"]
             for a in cognito.describe_user_pool(UserPoolId=pool_id)["UserPool"]["SchemaAttributes"]}
    assert names["dev:custom:internal"] is True and names["dev:custom:audit"] is True
    assert names["custom:tier"] is False
    assert "custom:internal" not in names and "custom:audit" not in names
    again = error_of(lambda: cognito.add_custom_attributes(UserPoolId=pool_id, CustomAttributes=[
        {"Name": "internal", "AttributeDataType": "String", "DeveloperOnlyAttribute": True}]))
    assert again["Code"] == "InvalidParameterException" and "dev:custom:internal" in again["Message"], again

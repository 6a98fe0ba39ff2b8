"""User-pool settings (spec §5): names, username/alias choice, policies, schema, templates, update semantics."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from cognate.domain.errors import InvalidParameterException
from cognate.domain.password_policy import PasswordPolicy
from cognate.domain.pools import (
    DEFAULT_RECOVERY,
    MessageTemplates,
    UserPool,
    add_custom_attributes,
    build_pool,
    pool_from_stored,
    pool_to_cognito,
    pool_to_stored,
    update_pool,
)

POOL = "eu-west-2_abcdefghi"


def make(**req: Any) -> UserPool:
    return build_pool(POOL, {"PoolName": "users", **req}, 100.0)


def custom(name: str, **extra: Any) -> dict[str, Any]:
    return {"Name": name, "AttributeDataType": "String", **extra}


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [None, ""])
def test_empty_pool_name_refused(name: str | None) -> None:
    with pytest.raises(InvalidParameterException, match="'poolName' failed to satisfy constraint: Member must not"):
        make(PoolName=name)


def test_pool_name_over_128_refused() -> None:
    with pytest.raises(InvalidParameterException, match="length less than or equal to 128"):
        make(PoolName="p" * 129)
    assert make(PoolName="p" * 128).name == "p" * 128


@pytest.mark.parametrize("name", ["my/pool", "pool!", "a#b"])
def test_pool_name_bad_characters_refused(name: str) -> None:
    with pytest.raises(InvalidParameterException, match="Member must satisfy regular expression pattern"):
        make(PoolName=name)


# --- username / alias attributes -----------------------------------------------------------------


def test_defaults() -> None:
    p = make()
    assert p.password_policy == PasswordPolicy()
    assert (p.username_attributes, p.alias_attributes, p.auto_verified_attributes) == ((), (), ())
    assert p.case_sensitive is True and p.mfa_configuration == "OFF" and p.deletion_protection is False
    assert p.account_recovery == DEFAULT_RECOVERY
    assert p.messages == MessageTemplates()
    assert p.attribute("sub") is not None and p.attribute("email") is not None


def test_username_and_alias_attributes_together_refused() -> None:
    with pytest.raises(InvalidParameterException, match="Only one of the aliasAttributes or usernameAttributes"):
        make(UsernameAttributes=["email"], AliasAttributes=["phone_number"])


def test_invalid_username_attribute_refused() -> None:
    with pytest.raises(InvalidParameterException, match="Invalid UsernameAttributes: preferred_username"):
        make(UsernameAttributes=["preferred_username"])


def test_invalid_alias_attribute_refused() -> None:
    with pytest.raises(InvalidParameterException, match="Invalid AliasAttributes: name"):
        make(AliasAttributes=["name"])


def test_invalid_auto_verified_refused() -> None:
    with pytest.raises(InvalidParameterException, match="Invalid AutoVerifiedAttributes: preferred_username"):
        make(AutoVerifiedAttributes=["preferred_username"])


def test_valid_choices_kept() -> None:
    assert make(UsernameAttributes=["email", "phone_number"]).username_attributes == ("email", "phone_number")
    assert make(AliasAttributes=["preferred_username"]).alias_attributes == ("preferred_username",)


def test_case_sensitivity() -> None:
    assert make(UsernameConfiguration={"CaseSensitive": False}).case_sensitive is False
    with pytest.raises(InvalidParameterException, match="CaseSensitive must be a boolean"):
        make(UsernameConfiguration={"CaseSensitive": "no"})


def test_other_settings_validated() -> None:
    with pytest.raises(InvalidParameterException, match="Invalid MfaConfiguration MAYBE"):
        make(MfaConfiguration="MAYBE")
    with pytest.raises(InvalidParameterException, match="DeletionProtection must be ACTIVE or INACTIVE"):
        make(DeletionProtection="ON")
    assert make(DeletionProtection="ACTIVE").deletion_protection is True


# --- password policy -----------------------------------------------------------------------------


def test_password_policy_from_request() -> None:
    # Issue 13: in a given policy an omitted Require* is false, as Cognito keeps it (Terraform omits false ones).
    p = make(Policies={"PasswordPolicy": {"MinimumLength": 12, "RequireNumbers": True}})
    assert p.password_policy == PasswordPolicy(minimum_length=12, require_uppercase=False, require_lowercase=False,
                                               require_symbols=False)


@pytest.mark.parametrize("length", [5, 100, 0])
def test_password_minimum_length_out_of_bounds(length: int) -> None:
    with pytest.raises(InvalidParameterException, match="MinimumLength must be between 6 and 99"):
        make(Policies={"PasswordPolicy": {"MinimumLength": length}})


# --- account recovery ----------------------------------------------------------------------------


def test_recovery_mechanisms_sorted_by_priority() -> None:
    mechanisms = [{"Name": "verified_phone_number", "Priority": 2}, {"Name": "verified_email", "Priority": 1}]
    p = make(AccountRecoverySetting={"RecoveryMechanisms": mechanisms})
    assert p.account_recovery == ((1, "verified_email"), (2, "verified_phone_number"))


@pytest.mark.parametrize(
    ("mechanisms", "message"),
    [
        ([], "must have 1 or 2 entries"),
        ([{"Name": "sms", "Priority": 1}], "Invalid recovery mechanism"),
        ([{"Name": "verified_email", "Priority": 3}], "Invalid recovery mechanism"),
        ([{"Name": "admin_only", "Priority": 1}, {"Name": "verified_email", "Priority": 2}], "admin_only cannot"),
        ([{"Name": "verified_email", "Priority": 1}, {"Name": "verified_phone_number", "Priority": 1}], "unique"),
    ],
)
def test_recovery_mechanisms_refused(mechanisms: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(InvalidParameterException, match=message):
        make(AccountRecoverySetting={"RecoveryMechanisms": mechanisms})


# --- schema --------------------------------------------------------------------------------------


def test_custom_attribute_without_prefix_gets_it() -> None:
    p = make(Schema=[custom("tier")])
    attr = p.attribute("custom:tier")
    assert attr is not None and attr.is_custom
    assert p.attribute("tier") is None


def test_required_custom_attribute_refused() -> None:
    with pytest.raises(InvalidParameterException, match="Required custom attributes are not supported"):
        make(Schema=[custom("custom:tier", Required=True)])


def test_more_than_50_custom_attributes_refused() -> None:
    with pytest.raises(InvalidParameterException, match="at most 50 custom attributes"):
        make(Schema=[custom(f"a{i}") for i in range(51)])
    assert sum(a.is_custom for a in make(Schema=[custom(f"a{i}") for i in range(50)]).schema) == 50


def test_duplicate_custom_attribute_refused() -> None:
    with pytest.raises(InvalidParameterException, match="Duplicate attribute name custom:tier"):
        make(Schema=[custom("tier"), custom("custom:tier")])


def test_standard_attribute_made_required() -> None:
    p = make(Schema=[{"Name": "email", "AttributeDataType": "String", "Required": True}])
    assert p.required_attributes == ("email",)
    assert make().required_attributes == ()


# --- message templates ---------------------------------------------------------------------------


def test_verification_message_without_code_refused() -> None:
    with pytest.raises(InvalidParameterException, match=r"must contain the \{####\} placeholder"):
        make(VerificationMessageTemplate={"EmailMessage": "Click here"})
    with pytest.raises(InvalidParameterException, match=r"must contain the \{####\} placeholder"):
        make(EmailVerificationMessage="no code")


def test_invite_message_needs_both_placeholders() -> None:
    with pytest.raises(InvalidParameterException, match=r"\{username\} and \{####\} placeholders"):
        make(AdminCreateUserConfig={"InviteMessageTemplate": {"EmailMessage": "Code {####}"}})


def test_custom_templates_kept() -> None:
    p = make(VerificationMessageTemplate={"EmailMessage": "Code: {####}", "EmailSubject": "Hi"})
    assert (p.messages.email_message, p.messages.email_subject) == ("Code: {####}", "Hi")


def test_email_subject_over_140_refused() -> None:
    with pytest.raises(InvalidParameterException, match="EmailSubject must have length less than or equal to 140"):
        make(VerificationMessageTemplate={"EmailSubject": "s" * 141})


# --- update_pool ---------------------------------------------------------------------------------


def test_update_pool_resets_unspecified_settings() -> None:
    p = make(Policies={"PasswordPolicy": {"MinimumLength": 12}}, MfaConfiguration="OPTIONAL",
             AutoVerifiedAttributes=["email"], DeletionProtection="ACTIVE",
             VerificationMessageTemplate={"EmailMessage": "Code {####}"})
    u = update_pool(p, {"UserPoolId": POOL}, 200.0)
    assert u.password_policy == PasswordPolicy()
    assert (u.mfa_configuration, u.auto_verified_attributes, u.deletion_protection) == ("OFF", (), False)
    assert u.messages == MessageTemplates()
    assert u.updated_at == 200.0 and u.created_at == 100.0


def test_update_pool_keeps_immutable_settings() -> None:
    p = make(UsernameAttributes=["email"], Schema=[custom("tier")], UsernameConfiguration={"CaseSensitive": False})
    u = update_pool(p, {"MfaConfiguration": "ON"}, 200.0)
    assert (u.name, u.username_attributes, u.schema, u.case_sensitive) == (p.name, ("email",), p.schema, False)
    assert u.mfa_configuration == "ON"


# --- add_custom_attributes -----------------------------------------------------------------------


def test_add_custom_attributes() -> None:
    p = add_custom_attributes(make(), [custom("plan")], 300.0)
    assert p.attribute("custom:plan") is not None and p.updated_at == 300.0


def test_add_custom_attributes_refuses_existing_name() -> None:
    p = make(Schema=[custom("tier")])
    with pytest.raises(InvalidParameterException, match="Existing attribute already has name custom:tier"):
        add_custom_attributes(p, [custom("tier")], 300.0)


def test_add_custom_attributes_limit() -> None:
    p = make(Schema=[custom(f"a{i}") for i in range(50)])
    with pytest.raises(InvalidParameterException, match="at most 50 custom attributes"):
        add_custom_attributes(p, [custom("one_more")], 300.0)


# --- serialisation -------------------------------------------------------------------------------

FULL: dict[str, Any] = {
    "Policies": {"PasswordPolicy": {"MinimumLength": 10, "RequireNumbers": False, "TemporaryPasswordValidityDays": 3}},
    "AliasAttributes": ["email", "preferred_username"],
    "AutoVerifiedAttributes": ["email"],
    "Schema": [
        {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True},
        custom("tier", StringAttributeConstraints={"MinLength": "1", "MaxLength": "32"}, Mutable=False),
        {"Name": "age", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "0"}},
        {"Name": "vip", "AttributeDataType": "Boolean"},
    ],
    "AccountRecoverySetting": {"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]},
    "DeletionProtection": "ACTIVE",
    "UsernameConfiguration": {"CaseSensitive": False},
    "MfaConfiguration": "OPTIONAL",
    "VerificationMessageTemplate": {"EmailMessage": "Your code {####}", "EmailSubject": "Verify"},
    "AdminCreateUserConfig": {
        "AllowAdminCreateUserOnly": True,
        "InviteMessageTemplate": {"EmailMessage": "Hi {username}, use {####}", "EmailSubject": "Welcome"},
    },
}


@pytest.mark.parametrize("req", [{}, FULL, {"UsernameAttributes": ["phone_number"]}], ids=["min", "full", "phone"])
def test_stored_round_trip(req: dict[str, Any]) -> None:
    p = replace(make(**req), updated_at=150.0)
    assert pool_from_stored(POOL, pool_to_stored(p), p.created_at, p.updated_at) == p


def test_stored_round_trip_detects_changes() -> None:
    p = make(**FULL)
    changed = replace(p, mfa_configuration="ON")
    assert pool_from_stored(POOL, pool_to_stored(changed), p.created_at, p.updated_at) != p


def test_to_cognito_shape() -> None:
    out = pool_to_cognito(make(**FULL), region="eu-west-2", domain="auth")
    assert out["Arn"] == f"arn:aws:cognito-idp:eu-west-2:000000000000:userpool/{POOL}"
    assert out["AliasAttributes"] == ["email", "preferred_username"]
    assert "UsernameAttributes" not in out
    assert out["Domain"] == "auth" and "CustomDomain" not in out
    assert out["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
    assert out["SchemaAttributes"][0]["Name"] == "sub"

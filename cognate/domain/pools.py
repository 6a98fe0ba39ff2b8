"""User pools: the settings CreateUserPool/UpdateUserPool accept and Cognito's rules about them (spec §5)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from cognate.domain._checks import (
    check_bool,
    check_choices,
    check_name,
    check_str_list,
    check_text,
    fail,
    mapping,
)
from cognate.domain.attributes import SchemaAttribute, build_schema, check_schema_request
from cognate.domain.branding import STORED_KEY as BRANDING_KEY
from cognate.domain.branding import Branding, branding_from_stored, branding_to_stored
from cognate.domain.mfa import PoolMfa, pool_mfa_from_stored
from cognate.domain.password_policy import PasswordPolicy

USERNAME_ATTRIBUTES = frozenset({"email", "phone_number"})
ALIAS_ATTRIBUTES = frozenset({"email", "phone_number", "preferred_username"})
AUTO_VERIFIED = frozenset({"email", "phone_number"})
RECOVERY_NAMES = frozenset({"verified_email", "verified_phone_number", "admin_only"})
MFA_CONFIGURATIONS = frozenset({"OFF", "ON", "OPTIONAL"})
DEFAULT_EMAIL_SUBJECT = "Your verification code"
DEFAULT_EMAIL_MESSAGE = "Your verification code is {####}. "
DEFAULT_SMS_MESSAGE = "Your verification code is {####}. "
EMAIL_OPTIONS = frozenset({"CONFIRM_WITH_CODE", "CONFIRM_WITH_LINK"})
LINK_PLACEHOLDER_RE = re.compile(r"\{##.*?##\}", re.DOTALL)  # {##Verify Email##}: the text of the link
MFA_KEY, SRP_KEY = "CognateMfaConfig", "CognateSrpEnabled"  # stored with the pool, never on the wire
MAX_TAGS = 50
# Settings Cognate keeps and answers with as Cognito does, but does not act on yet (Lambda triggers, SMS, device
# tracking, advanced security): kept so a Describe after a Create/Update shows what was sent (Terraform and
# CloudFormation plan a change on every run otherwise), each one that would change behaviour named in a WARNING.
ECHOED_SETTINGS = ("LambdaConfig", "SmsConfiguration", "SmsAuthenticationMessage",
                   "EmailConfiguration", "DeviceConfiguration", "UserAttributeUpdateSettings", "UserPoolAddOns")
# What DescribeUserPool shows for them when nothing was set (Cognito's answers for a new pool).
ECHOED_DEFAULTS: dict[str, Any] = {
    "LambdaConfig": {},
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
    "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": []},
}
DEFAULT_RECOVERY: tuple[tuple[int, str], ...] = ((1, "verified_email"), (2, "verified_phone_number"))


@dataclass(frozen=True)
class MessageTemplates:
    """The pool's message texts. Cognate mails codes with the email ones; the SMS text, the link texts and a
    CONFIRM_WITH_LINK choice are kept and answered as Cognito does (no SMS is sent, codes go out instead of links)."""

    email_subject: str = DEFAULT_EMAIL_SUBJECT
    email_message: str = DEFAULT_EMAIL_MESSAGE
    invite_subject: str = "Your temporary password"
    invite_message: str = "Your username is {username} and temporary password is {####}. "
    sms_message: str = DEFAULT_SMS_MESSAGE
    email_message_by_link: str | None = None
    email_subject_by_link: str | None = None
    default_email_option: str = "CONFIRM_WITH_CODE"


@dataclass(frozen=True)
class UserPool:
    id: str
    name: str
    created_at: float
    updated_at: float
    password_policy: PasswordPolicy = field(default_factory=PasswordPolicy)
    username_attributes: tuple[str, ...] = ()
    alias_attributes: tuple[str, ...] = ()
    auto_verified_attributes: tuple[str, ...] = ()
    schema: tuple[SchemaAttribute, ...] = ()
    account_recovery: tuple[tuple[int, str], ...] = DEFAULT_RECOVERY
    deletion_protection: bool = False
    case_sensitive: bool = True
    mfa_configuration: str = "OFF"
    messages: MessageTemplates = field(default_factory=MessageTemplates)
    allow_admin_create_user_only: bool = False
    branding: Branding | None = None  # hosted-UI look (Cognate's own; stored under CognateBranding)
    mfa: PoolMfa = field(default_factory=PoolMfa)  # Set/GetUserPoolMfaConfig beyond MfaConfiguration
    tags: Mapping[str, str] = field(default_factory=dict)  # UserPoolTags / TagResource
    srp_enabled: bool = True  # Cognate extension: off, USER_SRP_AUTH is refused and no verifier is derived
    echoed: Mapping[str, Any] = field(default_factory=dict)  # ECHOED_SETTINGS as the request gave them

    @property
    def lambda_config(self) -> Mapping[str, Any]:
        return mapping(self.echoed.get("LambdaConfig"), "LambdaConfig")

    def attribute(self, name: str) -> SchemaAttribute | None:
        return next((a for a in self.schema if a.name == name), None)

    @property
    def required_attributes(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.schema if a.required and a.name != "sub")

    def arn(self, region: str, account: str = "000000000000") -> str:
        return f"arn:aws:cognito-idp:{region}:{account}:userpool/{self.id}"


def check_tags(raw: object, *, field: str = "UserPoolTags") -> dict[str, str]:
    """Tag keys 1 to 128 characters, values at most 256, at most 50 tags (as the model and Cognito allow)."""
    data = mapping(raw, field)
    if len(data) > MAX_TAGS:
        raise fail(f"A user pool can have at most {MAX_TAGS} tags.")
    for key, value in data.items():
        if not isinstance(value, str) or not 1 <= len(key) <= 128 or len(value) > 256:
            raise fail(f"Invalid tag {key[:128]!r}: keys have 1 to 128 characters, values at most 256.")
    return dict(data)


def _check_username_choice(username_attrs: tuple[str, ...], alias_attrs: tuple[str, ...]) -> None:
    if username_attrs and alias_attrs:
        raise fail("Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.")


def _recovery(raw: object) -> tuple[tuple[int, str], ...]:
    data = mapping(raw, "AccountRecoverySetting")
    mechanisms = data.get("RecoveryMechanisms")
    if mechanisms is None:
        return DEFAULT_RECOVERY
    if not isinstance(mechanisms, list) or not 1 <= len(mechanisms) <= 2:
        raise fail("RecoveryMechanisms must have 1 or 2 entries")
    out = []
    for item in mechanisms:
        entry = mapping(item, "RecoveryMechanisms")
        name, priority = entry.get("Name"), entry.get("Priority")
        if name not in RECOVERY_NAMES or not isinstance(priority, int) or priority not in (1, 2):
            raise fail(f"Invalid recovery mechanism {entry!r}")
        out.append((priority, str(name)))
    if "admin_only" in (n for _, n in out) and len(out) > 1:
        raise fail("admin_only cannot be combined with another recovery mechanism")
    if len({p for p, _ in out}) != len(out):
        raise fail("Recovery mechanism priorities must be unique")
    return tuple(sorted(out))


def _templates(req: Mapping[str, Any], current: MessageTemplates) -> MessageTemplates:
    tpl = mapping(req.get("VerificationMessageTemplate"), "VerificationMessageTemplate")
    invite = mapping(mapping(req.get("AdminCreateUserConfig"), "AdminCreateUserConfig").get("InviteMessageTemplate"),
                     "InviteMessageTemplate")
    subject = tpl.get("EmailSubject") or req.get("EmailVerificationSubject") or current.email_subject
    message = tpl.get("EmailMessage") or req.get("EmailVerificationMessage") or current.email_message
    if "{####}" not in str(message):
        raise fail("The verification message must contain the {####} placeholder.")
    invite_message = invite.get("EmailMessage") or current.invite_message
    if "{####}" not in str(invite_message) or "{username}" not in str(invite_message):
        raise fail("The invitation message must contain the {username} and {####} placeholders.")
    return MessageTemplates(
        email_subject=check_text(str(subject), "EmailSubject", max_len=140),
        email_message=check_text(str(message), "EmailMessage", max_len=20000),
        invite_subject=check_text(str(invite.get("EmailSubject") or current.invite_subject), "EmailSubject",
                                  max_len=140),
        invite_message=check_text(str(invite_message), "EmailMessage", max_len=20000),
        **_sms_and_link_templates(req, tpl),
    )


def _sms_and_link_templates(req: Mapping[str, Any], tpl: Mapping[str, Any]) -> dict[str, Any]:
    """SmsMessage (the same text as the older SmsVerificationMessage), the link texts and DefaultEmailOption,
    checked as the API model and Cognito check them."""
    sms = tpl.get("SmsMessage") or req.get("SmsVerificationMessage") or DEFAULT_SMS_MESSAGE
    if "{####}" not in str(sms):
        raise fail("The SMS verification message must contain the {####} placeholder.")
    option = tpl.get("DefaultEmailOption") or "CONFIRM_WITH_CODE"
    if option not in EMAIL_OPTIONS:
        raise fail(f"Invalid DefaultEmailOption {option!r}: CONFIRM_WITH_CODE or CONFIRM_WITH_LINK.")
    link_message, link_subject = tpl.get("EmailMessageByLink"), tpl.get("EmailSubjectByLink")
    if link_message is not None and not LINK_PLACEHOLDER_RE.search(str(link_message)):
        raise fail("EmailMessageByLink must contain the link text in a {##Verify Email##} placeholder.")
    return {
        "sms_message": check_text(str(sms), "SmsMessage", max_len=140),
        "default_email_option": option,
        "email_message_by_link": None if link_message is None else check_text(
            link_message, "EmailMessageByLink", max_len=20000),
        "email_subject_by_link": None if link_subject is None else check_text(
            link_subject, "EmailSubjectByLink", max_len=140),
    }


def _verification_template(messages: MessageTemplates) -> dict[str, Any]:
    """VerificationMessageTemplate as DescribeUserPool answers it: the link texts only when set."""
    out: dict[str, Any] = {"SmsMessage": messages.sms_message, "EmailMessage": messages.email_message,
                           "EmailSubject": messages.email_subject}
    if messages.email_message_by_link is not None:
        out["EmailMessageByLink"] = messages.email_message_by_link
    if messages.email_subject_by_link is not None:
        out["EmailSubjectByLink"] = messages.email_subject_by_link
    out["DefaultEmailOption"] = messages.default_email_option
    return out


def _echoed(req: Mapping[str, Any]) -> dict[str, Any]:
    """The ECHOED_SETTINGS a request sets (their JSON types were checked against the API model on the way in)."""
    out: dict[str, Any] = {}
    for name in ECHOED_SETTINGS:
        value = req.get(name)
        if value in (None, "", {}) or value == ECHOED_DEFAULTS.get(name):
            continue
        if name.startswith("Sms") and name.endswith("Message"):
            out[name] = check_text(value, name, max_len=140)
        else:
            out[name] = dict(mapping(value, name))
    return out


def ignored_settings(pool: UserPool) -> list[str]:
    """The settings of `pool` Cognate stores and echoes but does not act on: no Lambda trigger is invoked (requests
    that would run one are refused, `triggers`), no SMS is sent, email goes through Cognate's own mail settings,
    devices are not tracked, attribute changes apply at once. Empty for a pool that behaves here as it would in
    Cognito."""
    echoed = pool.echoed
    names = [f"LambdaConfig.{key}" for key in pool.lambda_config]
    names += [n for n in ("SmsConfiguration", "SmsAuthenticationMessage", "DeviceConfiguration") if n in echoed]
    if pool.messages.sms_message != DEFAULT_SMS_MESSAGE:
        names.append("SmsVerificationMessage")
    if pool.messages.default_email_option != "CONFIRM_WITH_CODE":
        names.append("VerificationMessageTemplate.DefaultEmailOption")
    email = mapping(echoed.get("EmailConfiguration"), "EmailConfiguration")
    if email not in ({}, ECHOED_DEFAULTS["EmailConfiguration"]):
        names.append("EmailConfiguration")
    update = mapping(echoed.get("UserAttributeUpdateSettings"), "UserAttributeUpdateSettings")
    if update.get("AttributesRequireVerificationBeforeUpdate"):
        names.append("UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate")
    if mapping(echoed.get("UserPoolAddOns"), "UserPoolAddOns").get("AdvancedSecurityMode", "OFF") != "OFF":
        names.append("UserPoolAddOns.AdvancedSecurityMode")
    if pool.mfa.sms is not None:
        names.append("SmsMfaConfiguration")
    if "phone_number" in pool.auto_verified_attributes:  # its codes would go by SMS (`sms.code_needs_sms`)
        names.append("AutoVerifiedAttributes.phone_number")
    return names


def _mutable_settings(req: Mapping[str, Any]) -> dict[str, Any]:
    """The settings both CreateUserPool and UpdateUserPool accept; unspecified ones return to defaults."""
    policies = mapping(req.get("Policies"), "Policies")
    auto_verified = check_choices(
        check_str_list(req.get("AutoVerifiedAttributes"), "AutoVerifiedAttributes"), "AutoVerifiedAttributes",
        AUTO_VERIFIED)
    mfa = req.get("MfaConfiguration", "OFF")
    if mfa not in MFA_CONFIGURATIONS:
        raise fail(f"Invalid MfaConfiguration {mfa}")
    protection = req.get("DeletionProtection", "INACTIVE")
    if protection not in ("ACTIVE", "INACTIVE"):
        raise fail("DeletionProtection must be ACTIVE or INACTIVE")
    admin_cfg = mapping(req.get("AdminCreateUserConfig"), "AdminCreateUserConfig")
    return {
        "echoed": _echoed(req),
        "password_policy": PasswordPolicy.from_cognito(policies.get("PasswordPolicy")),
        "auto_verified_attributes": auto_verified,
        "mfa_configuration": mfa,
        "deletion_protection": protection == "ACTIVE",
        "account_recovery": _recovery(req.get("AccountRecoverySetting")),
        "messages": _templates(req, MessageTemplates()),
        "allow_admin_create_user_only": check_bool(
            admin_cfg.get("AllowAdminCreateUserOnly", False), "AllowAdminCreateUserOnly"),
    }


def build_pool(pool_id: str, req: Mapping[str, Any], now: float, *, check_schema: bool = True) -> UserPool:
    """A new pool from a CreateUserPool request (or from the store, whose schema was checked when written)."""
    name = check_name(req.get("PoolName"), "poolName")
    if check_schema:
        check_schema_request(req.get("Schema"))
    username_attrs = check_choices(
        check_str_list(req.get("UsernameAttributes"), "UsernameAttributes"), "UsernameAttributes", USERNAME_ATTRIBUTES)
    alias_attrs = check_choices(
        check_str_list(req.get("AliasAttributes"), "AliasAttributes"), "AliasAttributes", ALIAS_ATTRIBUTES)
    _check_username_choice(username_attrs, alias_attrs)
    username_cfg = mapping(req.get("UsernameConfiguration"), "UsernameConfiguration")
    base = UserPool(id=pool_id, name=name, created_at=now, updated_at=now)
    return replace(
        base,
        username_attributes=username_attrs,
        alias_attributes=alias_attrs,
        schema=build_schema(req.get("Schema")),
        case_sensitive=check_bool(username_cfg.get("CaseSensitive", True), "CaseSensitive"),
        tags=check_tags(req.get("UserPoolTags")),
        **_mutable_settings(req),
    )


def update_pool(pool: UserPool, req: Mapping[str, Any], now: float) -> UserPool:
    """UpdateUserPool semantics: settings not in the request return to their defaults (as Cognito does); tags are
    replaced only when `UserPoolTags` is given."""
    tags = check_tags(req["UserPoolTags"]) if "UserPoolTags" in req else pool.tags
    return replace(pool, updated_at=now, tags=tags, **_mutable_settings(req))


def add_custom_attributes(pool: UserPool, raw: object, now: float) -> UserPool:
    check_schema_request(raw)
    additions = build_schema(raw)
    custom = [a for a in additions if a.is_custom]
    for attr in custom:
        existing = pool.attribute(attr.name)
        if existing:
            raise fail(f"Existing attribute already has name {existing.described_name}.")
    schema = (*pool.schema, *custom)
    if sum(a.is_custom for a in schema) > 50:
        raise fail("A user pool can have at most 50 custom attributes")
    return replace(pool, schema=schema, updated_at=now)


def pool_to_cognito(pool: UserPool, *, region: str, domain: str | None = None,
                    custom_domain: str | None = None, estimated_users: int = 0) -> dict[str, Any]:
    """The `UserPoolType` DescribeUserPool returns."""
    out: dict[str, Any] = {
        "Id": pool.id,
        "Name": pool.name,
        "Arn": pool.arn(region),
        "Policies": {"PasswordPolicy": pool.password_policy.to_cognito()},
        "DeletionProtection": "ACTIVE" if pool.deletion_protection else "INACTIVE",
        "LastModifiedDate": pool.updated_at,
        "CreationDate": pool.created_at,
        "SchemaAttributes": [a.to_cognito() for a in pool.schema],
        "AutoVerifiedAttributes": list(pool.auto_verified_attributes),
        "VerificationMessageTemplate": _verification_template(pool.messages),
        "SmsVerificationMessage": pool.messages.sms_message,
        "EmailVerificationMessage": pool.messages.email_message,
        "EmailVerificationSubject": pool.messages.email_subject,
        "MfaConfiguration": pool.mfa_configuration,
        "EstimatedNumberOfUsers": estimated_users,
        "UsernameConfiguration": {"CaseSensitive": pool.case_sensitive},
        "AdminCreateUserConfig": {
            "AllowAdminCreateUserOnly": pool.allow_admin_create_user_only,
            "UnusedAccountValidityDays": pool.password_policy.temporary_password_validity_days,
            "InviteMessageTemplate": {
                "EmailMessage": pool.messages.invite_message,
                "EmailSubject": pool.messages.invite_subject,
            },
        },
        "AccountRecoverySetting": {
            "RecoveryMechanisms": [{"Priority": p, "Name": n} for p, n in pool.account_recovery]
        },
    }
    out.update({**ECHOED_DEFAULTS, **pool.echoed})
    if pool.username_attributes:
        out["UsernameAttributes"] = list(pool.username_attributes)
    if pool.alias_attributes:
        out["AliasAttributes"] = list(pool.alias_attributes)
    if pool.tags:
        out["UserPoolTags"] = dict(pool.tags)
    if domain:
        out["Domain"] = domain
    if custom_domain:
        out["CustomDomain"] = custom_domain
    return out


def pool_to_stored(pool: UserPool) -> dict[str, Any]:
    """The JSON the store keeps: a CreateUserPool request that rebuilds this exact pool."""
    full = pool_to_cognito(pool, region="")
    req = {k: v for k, v in full.items() if k not in ("Id", "Name", "Arn", "LastModifiedDate", "CreationDate",
                                                      "EstimatedNumberOfUsers", "SchemaAttributes")}
    req["PoolName"] = pool.name
    req["Schema"] = [a.to_cognito() for a in pool.schema if a.name != "sub"]
    if pool.branding is not None:
        req[BRANDING_KEY] = branding_to_stored(pool.branding)
    req[MFA_KEY] = pool.mfa.to_stored()
    req[SRP_KEY] = pool.srp_enabled
    return req


def pool_from_stored(pool_id: str, data: Mapping[str, Any], created_at: float, updated_at: float) -> UserPool:
    return replace(build_pool(pool_id, data, created_at, check_schema=False), updated_at=updated_at,
                   branding=branding_from_stored(data.get(BRANDING_KEY)), mfa=pool_mfa_from_stored(data.get(MFA_KEY)),
                   srp_enabled=check_bool(data.get(SRP_KEY, True), SRP_KEY))

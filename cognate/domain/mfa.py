"""TOTP multi-factor rules (spec §6 T2 TOTP MFA: 6 digits, SHA-1, 30 s, base32; InitiateAuth challenges).

Pure rules: which challenge a sign-in meets, what GetUser reports, which preferences and pool settings are valid.
The secrets themselves are sealed by the services; here they are opaque strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from cognate.domain._checks import check_bool, fail, mapping
from cognate.domain.sms import no_sms

SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA"
MFA_SETUP = "MFA_SETUP"
MFA_CONFIGURATIONS = frozenset({"OFF", "ON", "OPTIONAL"})
MAX_CODE_ATTEMPTS = 5  # wrong codes per challenge session before it is refused (then sign in again)


@dataclass(frozen=True)
class UserMfa:
    """A user's TOTP state: a secret being enrolled, the verified one, whether it is used and preferred."""

    pending_secret: str | None = None  # sealed, from AssociateSoftwareToken until VerifySoftwareToken
    secret: str | None = None  # sealed, verified
    enabled: bool = False
    preferred: bool = False
    last_step: int | None = None  # the 30 s step of the last accepted code (a code works once)

    def settings_list(self) -> list[str]:
        """GetUser's `UserMFASettingList`."""
        return [SOFTWARE_TOKEN_MFA] if self.enabled and self.secret else []

    def preferred_setting(self) -> str | None:
        """GetUser's `PreferredMfaSetting`."""
        return SOFTWARE_TOKEN_MFA if self.preferred and self.enabled and self.secret else None


@dataclass(frozen=True)
class PoolMfa:
    """Set/GetUserPoolMfaConfig beyond `MfaConfiguration`: TOTP on or off, the SMS settings echoed (not used)."""

    software_token: bool = True
    sms: Mapping[str, Any] | None = None

    def to_stored(self) -> dict[str, Any]:
        out: dict[str, Any] = {"SoftwareTokenMfaConfiguration": {"Enabled": self.software_token}}
        if self.sms is not None:
            out["SmsMfaConfiguration"] = dict(self.sms)
        return out


def pool_mfa_from_stored(raw: object) -> PoolMfa:
    data = mapping(raw, "MfaConfig")
    token = mapping(data.get("SoftwareTokenMfaConfiguration"), "SoftwareTokenMfaConfiguration")
    sms = data.get("SmsMfaConfiguration")
    return PoolMfa(software_token=check_bool(token.get("Enabled", True), "Enabled"),
                   sms=dict(mapping(sms, "SmsMfaConfiguration")) if sms is not None else None)


def apply_pool_mfa_config(current: PoolMfa, req: Mapping[str, Any]) -> tuple[str | None, PoolMfa]:
    """SetUserPoolMfaConfig: the new MfaConfiguration (None: unchanged) and the method settings."""
    configuration = req.get("MfaConfiguration")
    if configuration is not None and configuration not in MFA_CONFIGURATIONS:
        raise fail(f"Invalid MfaConfiguration {configuration}")
    token = req.get("SoftwareTokenMfaConfiguration")
    software = current.software_token if token is None else check_bool(
        mapping(token, "SoftwareTokenMfaConfiguration").get("Enabled", False), "Enabled")
    sms = req.get("SmsMfaConfiguration", current.sms)
    updated = replace(current, software_token=software, sms=dict(mapping(sms, "SmsMfaConfiguration")) if sms else None)
    if configuration in ("ON", "OPTIONAL") and not (updated.software_token or updated.sms):
        raise fail("At least one MFA method (SoftwareTokenMfaConfiguration or SmsMfaConfiguration) must be enabled "
                   "when MfaConfiguration is ON or OPTIONAL.")
    if configuration == "OFF" and token is not None and software:
        raise fail("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.")
    return configuration, updated


def require_runnable_mfa(mfa_configuration: str, pool_mfa: PoolMfa) -> None:
    """After a right password, before any token: a pool that requires MFA with SMS as its only method would have
    Cognito text a code. Cognate sends no SMS, so the sign-in is refused (as Cognito refuses when its SMS role may
    not publish) rather than let through on the password alone."""
    if mfa_configuration == "ON" and not pool_mfa.software_token:
        raise no_sms("this pool requires MFA with SMS as its only method; enable SoftwareTokenMfaConfiguration "
                     "(TOTP) with SetUserPoolMfaConfig")


# (Admin)SetUserMFAPreference members of the methods Cognate cannot run: switching one on is refused, not ignored.
UNSUPPORTED_METHODS = {"SMSMfaSettings": "SMS", "EmailMfaSettings": "Email", "WebAuthnMfaSettings": "WebAuthn"}


def refuse_unsupported_methods(methods: Mapping[str, object]) -> None:
    """A request that enables or prefers SMS, email or WebAuthn MFA needs what Cognate does not do (issue 13:
    nothing silently dropped); turning one off is what is already so, and is accepted."""
    for member, what in UNSUPPORTED_METHODS.items():
        raw = methods.get(member)
        if raw is None:
            continue
        data = mapping(raw, member)
        if check_bool(data.get("Enabled", False), "Enabled") or check_bool(data.get("PreferredMfa", False),
                                                                            "PreferredMfa"):
            raise fail(f"Cognate supports software token (TOTP) MFA only: {what} MFA cannot be enabled ({member}).")


def sign_in_challenge(mfa_configuration: str, pool_mfa: PoolMfa, user: UserMfa) -> str | None:
    """After the password: SOFTWARE_TOKEN_MFA for a user with TOTP on, MFA_SETUP when the pool requires MFA."""
    if mfa_configuration == "OFF" or not pool_mfa.software_token:
        return None
    if user.enabled and user.secret:
        return SOFTWARE_TOKEN_MFA
    return MFA_SETUP if mfa_configuration == "ON" else None


def setup_allowed(mfa_configuration: str, pool_mfa: PoolMfa) -> bool:
    """MFA_SETUP exists only where the pool uses TOTP; where MFA is off, a Session naming it is forged or stale and
    must not finish a sign-in (nor enrol) without the password that pool then asks for."""
    return mfa_configuration != "OFF" and pool_mfa.software_token


def with_preference(user: UserMfa, settings: object) -> UserMfa:
    """(Admin)SetUserMFAPreference's `SoftwareTokenMfaSettings {Enabled, PreferredMfa}` (absent: unchanged)."""
    if settings is None:
        return user
    data = mapping(settings, "SoftwareTokenMfaSettings")
    enabled = check_bool(data.get("Enabled", user.enabled), "Enabled")
    preferred = check_bool(data.get("PreferredMfa", user.preferred and enabled), "PreferredMfa")
    if (enabled or preferred) and not user.secret:
        raise fail("User has not verified software token mfa")
    if preferred and not enabled:
        raise fail("A disabled MFA method cannot be preferred.")
    return replace(user, enabled=enabled, preferred=preferred)


def verified(user: UserMfa) -> UserMfa:
    """VerifySoftwareToken succeeded: the pending secret becomes the one used at sign-in."""
    return replace(user, secret=user.pending_secret, pending_secret=None, enabled=True, last_step=None)

"""Cognito's pool password policy and its check (Cognito guide: user-pool-settings-policies)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cognate.domain._checks import check_bool, check_int, mapping
from cognate.domain.errors import InvalidPasswordException

# The symbols Cognito counts as special characters.
SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
MAX_PASSWORD_LENGTH = 256


@dataclass(frozen=True)
class PasswordPolicy:
    minimum_length: int = 8
    require_uppercase: bool = True
    require_lowercase: bool = True
    require_numbers: bool = True
    require_symbols: bool = True
    temporary_password_validity_days: int = 7

    @classmethod
    def from_cognito(cls, raw: Mapping[str, Any] | None) -> PasswordPolicy:
        """A policy Cognito would keep: with no policy (or an empty one) the default; in a given policy an omitted
        `Require*` is false, as in Cognito (SDKs such as Terraform's send only the `true` ones)."""
        data = mapping(raw, "PasswordPolicy")
        d = cls() if not data else cls(require_uppercase=False, require_lowercase=False, require_numbers=False,
                                       require_symbols=False)
        temporary_days = check_int(data.get("TemporaryPasswordValidityDays", d.temporary_password_validity_days),
                                   "TemporaryPasswordValidityDays", 0, 365)
        return cls(
            minimum_length=check_int(data.get("MinimumLength", d.minimum_length), "MinimumLength", 6, 99),
            require_uppercase=check_bool(data.get("RequireUppercase", d.require_uppercase), "RequireUppercase"),
            require_lowercase=check_bool(data.get("RequireLowercase", d.require_lowercase), "RequireLowercase"),
            require_numbers=check_bool(data.get("RequireNumbers", d.require_numbers), "RequireNumbers"),
            require_symbols=check_bool(data.get("RequireSymbols", d.require_symbols), "RequireSymbols"),
            # 0 means "the default" (spec §5), not "never expires".
            temporary_password_validity_days=temporary_days or d.temporary_password_validity_days,
        )

    def to_cognito(self) -> dict[str, Any]:
        return {
            "MinimumLength": self.minimum_length,
            "RequireUppercase": self.require_uppercase,
            "RequireLowercase": self.require_lowercase,
            "RequireNumbers": self.require_numbers,
            "RequireSymbols": self.require_symbols,
            "TemporaryPasswordValidityDays": self.temporary_password_validity_days,
        }

    def rules(self) -> list[str]:
        """The rules this policy enforces, as codes the hosted UI shows before the user types."""
        codes = ["length"]
        for code, on in (("uppercase", self.require_uppercase), ("lowercase", self.require_lowercase),
                         ("numbers", self.require_numbers), ("symbols", self.require_symbols)):
            if on:
                codes.append(code)
        return codes

    def broken_rules(self, password: str) -> list[str]:
        """Codes of every rule the password breaks: `length`, `too_long`, `uppercase`, `lowercase`, `numbers`,
        `symbols`, `spaces` (in the order the hosted UI lists them)."""
        checks = (
            ("length", len(password) < self.minimum_length),
            ("too_long", len(password) > MAX_PASSWORD_LENGTH),
            ("uppercase", self.require_uppercase and not any(c.isupper() for c in password)),
            ("lowercase", self.require_lowercase and not any(c.islower() for c in password)),
            ("numbers", self.require_numbers and not any(c.isdigit() for c in password)),
            ("symbols", self.require_symbols and not any(c in SYMBOLS for c in password)),
            ("spaces", password != password.strip()),
        )
        return [code for code, broken in checks if broken]

    def violations(self, password: str) -> list[str]:
        """Every rule the password breaks, as Cognito words it, in the order the hosted UI lists them."""
        words = {
            "length": f"Password not long enough (minimum {self.minimum_length} characters)",
            "too_long": f"Password too long (maximum {MAX_PASSWORD_LENGTH} characters)",
            "uppercase": "Password must have uppercase characters",
            "lowercase": "Password must have lowercase characters",
            "numbers": "Password must have numeric characters",
            "symbols": "Password must have symbol characters",
            "spaces": "Password must not begin or end with a space",
        }
        return [words[code] for code in self.broken_rules(password)]

    def check(self, password: str) -> None:
        problems = self.violations(password)
        if problems:
            raise InvalidPasswordException("Password did not conform with policy: " + problems[0])

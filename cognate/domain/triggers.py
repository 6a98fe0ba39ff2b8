"""Which Lambda triggers a request would run, and the refusal while Cognate runs none of them (issue 13 §1).

A pool may name triggers in `LambdaConfig` (kept and echoed as Cognito does), but a request that would call one
must not go on as if it were absent: a PreSignUp that vets sign-ups or a PreTokenGeneration that adds claims is
part of the app's security. This is the one home of the rule "which triggers does this request need"; every door
reaches it through the use cases in `services`, and a pool without `LambdaConfig` is never refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any

from cognate.domain.errors import UnexpectedLambdaException


class Occasion(Enum):
    """A moment of a request at which Cognito calls triggers, with the triggers it calls there."""

    SIGN_UP = ("PreSignUp",)  # SignUp, AdminCreateUser, the hosted UI's sign-up
    CONFIRMATION = ("PostConfirmation",)  # ConfirmSignUp, AdminConfirmSignUp, ConfirmForgotPassword
    SIGN_IN = ("PreAuthentication", "PostAuthentication", "PreTokenGeneration")  # every sign-in flow
    TOKENS = ("PreTokenGeneration",)  # refresh, code exchange: tokens without a new sign-in
    MESSAGE = ("CustomMessage", "CustomEmailSender", "CustomSMSSender")  # a code or invitation is sent
    UNKNOWN_USER = ("UserMigration",)  # a sign-in or password reset of a user the pool does not have


# LambdaConfig members whose name is not the trigger's (a versioned config object), and members that are no trigger.
_TRIGGER_OF = {"PreTokenGenerationConfig": "PreTokenGeneration"}
_NOT_TRIGGERS = frozenset({"KMSKeyID"})


def configured_triggers(lambda_config: Mapping[str, Any]) -> frozenset[str]:
    """The trigger names a `LambdaConfig` sets (PreTokenGenerationConfig counts as PreTokenGeneration)."""
    return frozenset(_TRIGGER_OF.get(key, key) for key, value in lambda_config.items()
                     if value and key not in _NOT_TRIGGERS)


def runs_for_machines(lambda_config: Mapping[str, Any]) -> bool:
    """PreTokenGeneration's V3_0 event also runs for client-credentials tokens; V1_0 and V2_0 only for users."""
    config = lambda_config.get("PreTokenGenerationConfig")
    return isinstance(config, Mapping) and config.get("LambdaVersion") == "V3_0"


def unrun_trigger(lambda_config: Mapping[str, Any], *occasions: Occasion) -> str | None:
    """The first trigger the request would run at these occasions, if the pool configures any."""
    configured = configured_triggers(lambda_config)
    return next((name for occasion in occasions for name in occasion.value if name in configured), None)


def refuse_unrun_triggers(lambda_config: Mapping[str, Any], *occasions: Occasion) -> None:
    """Raise Cognito's failing-trigger exception naming the trigger this request would need."""
    name = unrun_trigger(lambda_config, *occasions)
    if name is not None:
        raise UnexpectedLambdaException(f"Cognate does not run Lambda triggers yet: {name} is configured on this pool")

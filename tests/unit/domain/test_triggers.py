"""Which configured Lambda triggers a request needs (`domain.triggers`), the rule every door reaches."""

from __future__ import annotations

import pytest

from cognate.domain.errors import UnexpectedLambdaException
from cognate.domain.triggers import (
    Occasion,
    configured_triggers,
    refuse_unrun_triggers,
    runs_for_machines,
    unrun_trigger,
)

ARN = "arn:aws:lambda:us-east-1:123456789012:function:f"


def test_versioned_configs_count_by_trigger_name_and_the_kms_key_is_no_trigger() -> None:
    config = {"PreTokenGenerationConfig": {"LambdaArn": ARN, "LambdaVersion": "V2_0"},
              "CustomEmailSender": {"LambdaArn": ARN, "LambdaVersion": "V1_0"}, "KMSKeyID": "arn:aws:kms:k",
              "PreSignUp": ""}
    assert configured_triggers(config) == {"PreTokenGeneration", "CustomEmailSender"}


def test_a_request_needs_only_the_triggers_of_its_occasions() -> None:
    config = {"PostConfirmation": ARN, "UserMigration": ARN}
    assert unrun_trigger(config, Occasion.SIGN_UP, Occasion.MESSAGE) is None
    assert unrun_trigger(config, Occasion.SIGN_IN) is None
    assert unrun_trigger(config, Occasion.SIGN_IN, Occasion.UNKNOWN_USER) == "UserMigration"
    assert unrun_trigger({}, *Occasion) is None


def test_the_refusal_names_the_trigger() -> None:
    with pytest.raises(UnexpectedLambdaException) as info:
        refuse_unrun_triggers({"PreTokenGenerationConfig": {"LambdaArn": ARN}}, Occasion.TOKENS)
    assert info.value.message == ("Cognate does not run Lambda triggers yet: PreTokenGeneration is configured on "
                                  "this pool")


def test_only_the_v3_event_runs_for_client_credentials() -> None:
    assert runs_for_machines({"PreTokenGenerationConfig": {"LambdaArn": ARN, "LambdaVersion": "V3_0"}})
    assert not runs_for_machines({"PreTokenGenerationConfig": {"LambdaArn": ARN, "LambdaVersion": "V2_0"}})
    assert not runs_for_machines({"PreTokenGeneration": ARN})

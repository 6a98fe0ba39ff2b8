"""Groups of a pool (CreateGroup) and their limits (spec §5 quotas)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cognate.domain._checks import ARN_RE, check_int, check_name, fail

GROUP_NAME_RE = re.compile(r"^[\w\-.+@=,:;!#$%&'*/?^`{|}~\[\]()<>\"\\]+$")
MAX_GROUPS_PER_POOL = 10000
MAX_GROUPS_PER_USER = 100


@dataclass(frozen=True)
class Group:
    pool_id: str
    name: str
    created_at: float
    updated_at: float
    description: str | None = None
    precedence: int | None = None
    role_arn: str | None = None


def _optional(req: Mapping[str, Any]) -> dict[str, Any]:
    description = req.get("Description")
    if description is not None and (not isinstance(description, str) or len(description) > 2048):
        raise fail("Description must be at most 2048 characters")
    precedence = req.get("Precedence")
    if precedence is not None:
        check_int(precedence, "Precedence", 0, 2**31 - 1)
    role_arn = req.get("RoleArn")
    if role_arn is not None and (not isinstance(role_arn, str) or not ARN_RE.fullmatch(role_arn)):
        raise fail("RoleArn must be an IAM role ARN")
    return {"description": description, "precedence": precedence, "role_arn": role_arn}


def build_group(pool_id: str, req: Mapping[str, Any], now: float) -> Group:
    name = check_name(req.get("GroupName"), "groupName", pattern=GROUP_NAME_RE)
    return Group(pool_id=pool_id, name=name, created_at=now, updated_at=now, **_optional(req))


def update_group(group: Group, req: Mapping[str, Any], now: float) -> Group:
    """UpdateGroup changes only the fields the request names."""
    changes = _optional({**{"Description": group.description, "Precedence": group.precedence,
                            "RoleArn": group.role_arn}, **{k: v for k, v in req.items() if v is not None}})
    return Group(pool_id=group.pool_id, name=group.name, created_at=group.created_at, updated_at=now, **changes)


def group_to_cognito(group: Group) -> dict[str, Any]:
    out: dict[str, Any] = {
        "GroupName": group.name,
        "UserPoolId": group.pool_id,
        "LastModifiedDate": group.updated_at,
        "CreationDate": group.created_at,
    }
    for key, value in (("Description", group.description), ("Precedence", group.precedence),
                       ("RoleArn", group.role_arn)):
        if value is not None:
            out[key] = value
    return out

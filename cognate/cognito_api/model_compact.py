"""Builds `api_shapes.json`, the part of botocore's cognito-idp model that `shapes.py` checks requests against.

Run by `scripts/gen_api_shapes.py` (and by a unit test that regenerates and compares, so the file never drifts from
the installed botocore). Never imported when serving: botocore's model with its documentation is slow and large to
load (README "Measured costs"), for the few fields kept here (per operation its input shape; per shape its JSON
type, length or value bounds, enum, sensitivity, members in model order, required members, list member, map key
and value).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).with_name("api_shapes.json")
KEPT = ("min", "max", "enum", "sensitive")


def botocore_service() -> dict[str, Any]:
    from botocore.loaders import create_loader

    model: dict[str, Any] = create_loader().load_service_model("cognito-idp", "service-2")
    return model


def compact(service: dict[str, Any]) -> dict[str, Any]:
    """{"operations": {name: input shape name}, "shapes": {name: {...}}} with only the shapes inputs reach."""
    raw_shapes: dict[str, Any] = service["shapes"]
    operations = {name: op["input"]["shape"] for name, op in service["operations"].items()}
    shapes: dict[str, dict[str, Any]] = {}
    pending = sorted(set(operations.values()))
    while pending:
        name = pending.pop()
        if name in shapes:
            continue
        raw = raw_shapes[name]
        out: dict[str, Any] = {"type": raw["type"], **{k: raw[k] for k in KEPT if k in raw}}
        if raw["type"] == "structure":
            out["members"] = {member: ref["shape"] for member, ref in raw.get("members", {}).items()}
            if raw.get("required"):
                out["required"] = list(raw["required"])
        elif raw["type"] == "list":
            out["member"] = raw["member"]["shape"]
        elif raw["type"] == "map":
            out["key"], out["value"] = raw["key"]["shape"], raw["value"]["shape"]
        shapes[name] = out
        pending.extend(ref for ref in (*out.get("members", {}).values(), out.get("member"), out.get("key"),
                                       out.get("value")) if ref and ref not in shapes)
    return {"operations": operations, "shapes": dict(sorted(shapes.items()))}


def render(model: dict[str, Any]) -> str:
    """One operation or shape per line, so a botocore update shows as a readable diff."""
    def block(items: dict[str, Any]) -> str:
        return ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" for k, v in items.items())

    return ('{"operations": {\n' + block(model["operations"]) + '\n},\n"shapes": {\n' + block(model["shapes"])
            + "\n}}\n")


def generate() -> str:
    return render(compact(botocore_service()))

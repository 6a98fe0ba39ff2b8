"""Build `cognate/cognito_api/api_shapes.json`, the part of botocore's cognito-idp model that
`cognate/cognito_api/shapes.py` checks requests against. A build-time tool, not part of the package:

    .venv/bin/python scripts/gen_api_shapes.py            # rewrite the file from the installed botocore
    .venv/bin/python scripts/gen_api_shapes.py --check    # exit 1 if the file differs from what it would write

Run it after upgrading botocore (tests/scripts/test_gen_api_shapes.py runs `--check` and fails until you do).
It imports nothing of `cognate` (only botocore) and writes next to itself in the same checkout. The server never
loads botocore's model: with its documentation it is slow and large to load (README "Measured costs"), for the few
fields kept here (per operation its input shape; per shape its JSON type, length or value bounds, enum,
sensitivity, members in model order, required members, list member, map key and value).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parents[1] / "cognate" / "cognito_api" / "api_shapes.json"
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate (or --check) api_shapes.json from botocore's model.")
    parser.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 on a difference")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"the file (default {OUTPUT})")
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        if not args.output.is_file() or args.output.read_text() != text:
            print(f"{args.output} is out of date with the installed botocore: run scripts/gen_api_shapes.py",
                  file=sys.stderr)
            return 1
        return 0
    args.output.write_text(text)
    print(f"wrote {args.output} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

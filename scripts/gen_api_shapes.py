"""Regenerate cognate/cognito_api/api_shapes.json from the installed botocore's cognito-idp model.

    .venv/bin/python scripts/gen_api_shapes.py

Run it after upgrading botocore (tests/unit/cognito_api/test_api_shapes.py fails until you do).
"""

from __future__ import annotations

from cognate.cognito_api.model_compact import OUTPUT, generate


def main() -> None:
    text = generate()
    OUTPUT.write_text(text)
    print(f"wrote {OUTPUT} ({len(text)} bytes)")


if __name__ == "__main__":
    main()

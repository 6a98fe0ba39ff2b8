"""`cognate.verify` is a client library: importing it loads nothing else of Cognate and none of the service's
libraries, so an API server that verifies tokens does not carry the identity service."""

from __future__ import annotations

import json
import subprocess
import sys

IMPORT = """
import json, sys
from cognate.verify import TOKEN_USES, TokenInvalid, Verifier
print(json.dumps(sorted(sys.modules)))
"""
SERVICE_LIBRARIES = ("starlette", "uvicorn", "sqlalchemy", "alembic", "argon2", "pydantic_settings", "typer",
                     "jinja2", "botocore", "pyotp")


def test_importing_verify_loads_only_verify() -> None:
    out = subprocess.run([sys.executable, "-c", IMPORT], check=True, capture_output=True, text=True).stdout
    loaded = set(json.loads(out))
    ours = {m for m in loaded if m == "cognate" or m.startswith("cognate.")}
    assert "cognate.verify.verifier" in ours
    assert ours <= {"cognate", "cognate.verify"} | {m for m in ours if m.startswith("cognate.verify.")}
    assert not loaded & set(SERVICE_LIBRARIES)

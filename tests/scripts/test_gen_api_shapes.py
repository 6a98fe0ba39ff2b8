"""`scripts/gen_api_shapes.py`, the build-time generator of `cognate/cognito_api/api_shapes.json`: the committed
file is exactly what it makes from the installed botocore, and `--check` notices a file that is not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "gen_api_shapes.py"
COMMITTED = ROOT / "cognate" / "cognito_api" / "api_shapes.json"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60)


def test_the_committed_model_is_regenerated_identically() -> None:
    done = _run("--check")
    assert done.returncode == 0, f"botocore changed: run .venv/bin/python scripts/gen_api_shapes.py\n{done.stderr}"


def test_check_refuses_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "api_shapes.json"
    stale.write_text(COMMITTED.read_text().replace('"AddCustomAttributes"', '"AddCustomAttribute"', 1))
    done = _run("--check", "--output", str(stale))
    assert done.returncode == 1
    assert f"{stale} is out of date" in done.stderr

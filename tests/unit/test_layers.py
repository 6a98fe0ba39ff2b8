"""The import contracts (.importlinter) catch what ARCHITECTURE.md forbids: a copy of the tree with forbidden imports
added fails `lint-imports`, naming each one, and the untouched copy passes (issue 14).

Before issue 14, probes like these reported "3 kept, 0 broken": a layers contract lets a layer skip downwards,
settings and verify belonged to no layer, and third-party packages were not checked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# (module file, line added, what lint-imports must report): one probe per contract written for the issue. The lines
# go into package __init__ files, which other refactorings do not move.
PROBES = [
    ("oauth/__init__.py", "import cognate.store.base", "cognate.oauth is not allowed to import cognate.store"),
    ("oauth/__init__.py", "import cognate.crypto.keys", "cognate.oauth is not allowed to import cognate.crypto"),
    ("hosted_ui/__init__.py", "import cognate.mail.base", "cognate.hosted_ui is not allowed to import cognate.mail"),
    ("cognito_api/__init__.py", "import cognate.app", "cognate.cognito_api is not allowed to import cognate.app"),
    ("web/__init__.py", "import cognate.settings", "cognate.web is not allowed to import cognate.settings"),
    ("domain/__init__.py", "import cognate.settings", "cognate.domain is not allowed to import cognate.settings"),
    ("services/__init__.py", "import cognate.settings", "cognate.services is not allowed to import cognate.settings"),
    ("settings.py", "import cognate.crypto.sealing", "cognate.settings is not allowed to import cognate.crypto"),
    ("cli/__init__.py", "import cognate.crypto.admin_keys", "cognate.cli is not allowed to import cognate.crypto"),
    ("services/__init__.py", "import pyotp", "cognate.services is not allowed to import pyotp"),
    ("services/__init__.py", "import joserfc", "cognate.services is not allowed to import joserfc"),
    ("hosted_ui/__init__.py", "import cryptography", "cognate.hosted_ui is not allowed to import cryptography"),
    ("store/__init__.py", "import argon2", "cognate.store is not allowed to import argon2"),
    ("services/__init__.py", "import starlette.requests", "cognate.services is not allowed to import starlette"),
    ("services/__init__.py", "import sqlalchemy", "cognate.services is not allowed to import sqlalchemy"),
    ("domain/__init__.py", "import os", "cognate.domain is not allowed to import os"),
    ("domain/__init__.py", "import sqlalchemy", "cognate.domain is not allowed to import sqlalchemy"),
    ("domain/__init__.py", "import httpx", "cognate.domain is not allowed to import httpx"),
]


def _lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on `tree` (its .importlinter, its cognate/ first on the path), uncached, in a wide terminal so
    no report line is wrapped."""
    executable = Path(sys.executable).parent / "lint-imports"
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "1000", "NO_COLOR": "1"}
    return subprocess.run([str(executable), "--no-cache", "--no-logo"], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "cognate", tmp_path / "cognate", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def _verify_module(tree: Path) -> Path:
    """cognate.verify is a module today and may become a package: probe whichever it is."""
    module = tree / "cognate" / "verify.py"
    return module if module.exists() else tree / "cognate" / "verify" / "__init__.py"


def _add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}  # probe\n")


def test_the_untouched_tree_keeps_every_contract(tree: Path) -> None:
    result = _lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout


def test_attack_each_forbidden_import_breaks_its_contract(tree: Path) -> None:
    for module, line, _ in PROBES:
        _add_line(tree / "cognate" / module, line)
    _add_line(_verify_module(tree), "import cognate.domain.errors")
    result = _lint_imports(tree)
    assert result.returncode != 0
    expected = [report for _, _, report in PROBES] + ["cognate.verify is not allowed to import cognate.domain"]
    missing = [report for report in expected if report not in result.stdout]
    assert not missing, result.stdout

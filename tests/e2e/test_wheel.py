"""Issue 13 §2: the built wheel, installed into a fresh venv that cannot see the checkout, runs `cognate serve --demo`.

Everything the editable install finds beside the sources (templates, static files, migrations, the API model) must
be inside the wheel; a file forgotten in `package-data` only shows once someone installs Cognate from PyPI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.support.processes import Cli, Server, free_port

CHECKOUT = Path(__file__).resolve().parents[2]


class _WheelCli(Cli):
    """The server's environment without PYTHONPATH, so only the venv's own copy of `cognate` can be imported."""

    def environ(self) -> dict[str, str]:
        env = super().environ()
        env.pop("PYTHONPATH", None)
        return env


def _run(args: list[str], cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=180,
                          stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"{' '.join(args)} failed:\n{proc.stdout}{proc.stderr}"
    return proc.stdout


def _sources(target: Path) -> Path:
    """What an sdist holds, copied out of the checkout, so the build leaves nothing (build/, *.egg-info) behind."""
    target.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(CHECKOUT / name, target / name)
    shutil.copytree(CHECKOUT / "cognate", target / "cognate", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


def _build_wheel(src: Path, dist: Path) -> Path:
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(src)], cwd=src.parent)
    (wheel,) = dist.glob("cognate_idp-*.whl")
    return wheel


def _assert_wheel_holds_every_package_file(src: Path, wheel: Path) -> None:
    inside = set(zipfile.ZipFile(wheel).namelist())
    files = {p.relative_to(src).as_posix() for p in (src / "cognate").rglob("*") if p.is_file()}
    assert files - inside == set(), "in the sources but not in the wheel"
    assert not [n for n in inside if n.startswith("tests/")], "the wheel carries the test suite"


def _fresh_venv(root: Path, wheel: Path) -> Path:
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=root)
    _run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", str(wheel)], cwd=root)
    imported = _run([str(venv / "bin" / "python"), "-c", "import cognate; print(cognate.__file__)"], cwd=root)
    assert imported.strip().startswith(str(venv)), imported
    return venv


def _sign_in_link(log: str) -> str:
    match = re.search(r"https?://\S+/token-viewer\?\S+", log)
    assert match, log
    return match.group(0)


def _assert_demo_is_served(server: Server) -> None:
    link = _sign_in_link(server.log())
    # The token viewer's link on the public URL: it starts a code flow and lands on the sign-in page.
    page = httpx.get(link, follow_redirects=True, timeout=10)
    assert page.status_code == 200 and urlsplit(str(page.url)).path == "/login", (page.url, page.text)
    assert 'name="password"' in page.text and 'name="username"' in page.text
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page.text)
    assert stylesheet, page.text
    css = httpx.get(f"{server.url}{stylesheet.group(1)}", timeout=10)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and "{" in css.text

    pool_id = json.loads((server.cli.data_dir / "demo.json").read_text())["pool_id"]
    discovery = httpx.get(f"{server.url}/{pool_id}/.well-known/openid-configuration", timeout=10)
    assert discovery.status_code == 200 and discovery.json()["issuer"] == f"{server.url}/{pool_id}"
    jwks = httpx.get(f"{server.url}/{pool_id}/.well-known/jwks.json", timeout=10)
    assert jwks.status_code == 200 and jwks.json()["keys"]


def test_the_wheel_in_a_fresh_venv_serves_the_demo(tmp_path: Path, database_url: str) -> None:
    src = _sources(tmp_path / "src")
    wheel = _build_wheel(src, tmp_path / "dist")
    _assert_wheel_holds_every_package_file(src, wheel)
    venv = _fresh_venv(tmp_path, wheel)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cli = _WheelCli(data_dir=tmp_path / "data", database_url=database_url)
    server = Server(cli=cli, port=free_port(), args=("--demo",), executable=str(venv / "bin" / "cognate"),
                    cwd=elsewhere)
    try:
        server.start(timeout=60)
        _assert_demo_is_served(server)
        assert server.stop() == 0, server.log()
    finally:
        server.kill()
    assert "Traceback" not in server.log(), server.log()

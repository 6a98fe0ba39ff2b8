"""Terraform (hashicorp/aws 5.x) against a real `cognate serve`: apply, a second plan that changes nothing, destroy.

A Terraform user's plan only converges when every Describe/Get answer echoes what the provider sent, with Cognito's
defaults for what it did not: a member missing or different shows up as a change on every plan.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from functools import partial
from pathlib import Path
from typing import Any

from tests.conftest import need
from tests.e2e.cognito_api._helpers import KEY_ID, SECRET, error_code
from tests.support.processes import Server

TERRAFORM = "/usr/local/bin/terraform"
MIRROR = "/opt/tf-plugins"
CONFIG = Path(__file__).parent / "terraform" / "main.tf"


def _terraform(workdir: Path, server: Server, suffix: str) -> Any:
    cli_config = workdir / "terraformrc"
    cli_config.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{MIRROR}"\n  }}\n}}\n')
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(cli_config), "TF_IN_AUTOMATION": "1",
           "TF_LOG": "DEBUG", "TF_LOG_PATH": str(workdir / "terraform.log"),
           "TF_VAR_endpoint": server.url, "TF_VAR_access_key": KEY_ID, "TF_VAR_secret_key": SECRET,
           "TF_VAR_suffix": suffix, "AWS_EC2_METADATA_DISABLED": "true"}
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        env.pop(name, None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([TERRAFORM, *args, "-no-color"], cwd=workdir, env=env, capture_output=True, text=True,
                              timeout=180, stdin=subprocess.DEVNULL)

    return run


def test_terraform_apply_converges_and_destroys(tmp_path: Path, api_server: Server, cognito: Any) -> None:
    need(shutil.which(TERRAFORM) is not None and Path(MIRROR).is_dir(),
         f"terraform at {TERRAFORM} and the provider mirror at {MIRROR} are needed")
    shutil.copy(CONFIG, tmp_path / "main.tf")
    run = _terraform(tmp_path, api_server, uuid.uuid4().hex[:8])
    init = run("init", "-input=false")
    assert init.returncode == 0, init.stderr + init.stdout
    applied = run("apply", "-input=false", "-auto-approve")
    assert applied.returncode == 0, applied.stderr + applied.stdout[-3000:]
    outputs = run("output", "-json")
    pools = [str(v["value"]) for v in json.loads(outputs.stdout).values()]
    plan = run("plan", "-input=false", "-detailed-exitcode")
    assert plan.returncode == 0, "the second plan is not empty:\n" + plan.stdout[-8000:] + plan.stderr
    destroyed = run("destroy", "-input=false", "-auto-approve")
    assert destroyed.returncode == 0, destroyed.stderr + destroyed.stdout[-6000:]
    for pool in pools:
        assert error_code(partial(cognito.describe_user_pool, UserPoolId=pool)) == "ResourceNotFoundException"

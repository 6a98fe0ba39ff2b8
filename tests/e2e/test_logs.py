"""What a real `cognate serve` logs (issue 13 §2): JSON lines when stderr is a pipe, readable text on a terminal;
the access log names the JSON API operation and a 4xx's reason (Cognito exception name or OAuth error code) and
never a password or code; "listening" only once the port accepts connections."""

from __future__ import annotations

import json
import os
import pty
import re
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import urlencode

import boto3
import httpx
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.e2e.cognito_api._helpers import KEY_ID, REGION, SECRET
from tests.support.processes import COGNATE, Cli, free_port

WRONG_PASSWORD = "Wr0ng-Pass-LogCheck"
GOOD_PASSWORD = "Passw0rd!LogCheck"
BOGUS_CODE = "BogusCodeLogCheck0123456789"
CALLBACK = "https://app.example.com/cb"


@dataclass
class Output:
    """Lines a stream of the server produced, in order, read by a thread as they come."""

    lines: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, line: str) -> None:
        with self.lock:
            self.lines.append(line)

    def snapshot(self) -> list[str]:
        with self.lock:
            return list(self.lines)

    def wait_for(self, found: Callable[[str], bool], timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.snapshot():
                if found(line):
                    return line
            time.sleep(0.01)
        raise AssertionError("not logged in time:\n" + "\n".join(self.snapshot()[-40:]))


def _pump(read: Callable[[], bytes], out: Output) -> None:
    buffer = b""
    while True:
        try:
            chunk = read()
        except OSError:  # the pty's other side closed (EIO)
            chunk = b""
        if not chunk:
            break
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        for line in complete:
            out.add(line.decode(errors="replace").rstrip("\r"))
    if buffer:
        out.add(buffer.decode(errors="replace"))


def _reader(read: Callable[[], bytes], out: Output) -> threading.Thread:
    thread = threading.Thread(target=_pump, args=(read, out), daemon=True)
    thread.start()
    return thread


@dataclass
class Running:
    process: subprocess.Popen[bytes]
    port: int
    stdout: Output
    stderr: Output

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def serve(cli: Cli, *args: str, terminal: bool) -> Iterator[Running]:
    """`cognate serve ARGS` with stdout and stderr as pipes, or (terminal) both on one pseudo-terminal."""
    env = {**cli.environ(), "COGNATE_PORT": str(port := free_port()), "COGNATE_HOST": "127.0.0.1",
           "COGNATE_ADMIN_ACCESS_KEY_ID": KEY_ID, "COGNATE_ADMIN_SECRET_ACCESS_KEY": SECRET}
    stdout, stderr = Output(), Output()
    if terminal:
        master, slave = pty.openpty()
        process = subprocess.Popen([COGNATE, "serve", *args], env=env, stdin=subprocess.DEVNULL, stdout=slave,
                                   stderr=slave)
        os.close(slave)
        threads = [_reader(lambda: os.read(master, 65536), stderr)]
        stdout = stderr  # one terminal shows both
    else:
        process = subprocess.Popen([COGNATE, "serve", *args], env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert process.stdout is not None and process.stderr is not None
        out, err = process.stdout.fileno(), process.stderr.fileno()
        threads = [_reader(lambda: os.read(out, 65536), stdout), _reader(lambda: os.read(err, 65536), stderr)]
    try:
        yield Running(process, port, stdout, stderr)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
            for thread in threads:
                thread.join(timeout=5)
            for pipe in (process.stdout, process.stderr):  # read through their descriptors; closed here, not by GC
                if pipe is not None:
                    pipe.close()
            if terminal:
                os.close(master)


def _admin(url: str) -> Any:
    return boto3.client("cognito-idp", endpoint_url=url, region_name=REGION, aws_access_key_id=KEY_ID,
                        aws_secret_access_key=SECRET, config=Config(retries={"total_max_attempts": 1}))


def _wrong_password(url: str) -> str:
    """A pool, a public client and a user made through the API; then a sign-in with a wrong password. The client."""
    admin = _admin(url)
    pool_id = admin.create_user_pool(PoolName="logs")["UserPool"]["Id"]
    client_id = admin.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
        AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"], AllowedOAuthFlowsUserPoolClient=True,
        CallbackURLs=[CALLBACK], SupportedIdentityProviders=["COGNITO"])["UserPoolClient"]["ClientId"]
    admin.admin_create_user(UserPoolId=pool_id, Username="logan", MessageAction="SUPPRESS")
    admin.admin_set_user_password(UserPoolId=pool_id, Username="logan", Password=GOOD_PASSWORD, Permanent=True)
    public = boto3.client("cognito-idp", endpoint_url=url, region_name=REGION,
                          config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}))
    with pytest.raises(ClientError) as info:
        public.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "logan", "PASSWORD": WRONG_PASSWORD})
    assert info.value.response["Error"]["Code"] == "NotAuthorizedException"
    return str(client_id)


def _bogus_code(url: str, client_id: str) -> None:
    response = httpx.post(f"{url}/oauth2/token", data={"grant_type": "authorization_code", "client_id": client_id,
                                                       "code": BOGUS_CODE, "redirect_uri": CALLBACK})
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant", response.text


def _hosted_wrong_password(url: str, client_id: str) -> None:
    """The hosted UI's sign-in form posted with a wrong password: a 400 page."""
    query = urlencode({"client_id": client_id, "response_type": "code", "scope": "openid", "redirect_uri": CALLBACK})
    with httpx.Client(base_url=url, timeout=10) as browser:
        page = browser.get(f"/login?{query}")
        csrf = re.search(r'name="_csrf" value="([^"]+)"', page.text)
        assert page.status_code == 200 and csrf, page.text
        answer = browser.post(f"/login?{query}", headers={"Origin": url}, data={
            "_csrf": unescape(csrf.group(1)), "username": "logan", "password": WRONG_PASSWORD})
    assert answer.status_code == 400, answer.status_code


def _accepts_connections(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


def test_piped_stderr_is_json_lines_and_the_access_log_names_operation_and_reason(cli: Cli) -> None:
    with serve(cli, terminal=False) as server:
        server.stdout.wait_for(lambda line: "listening" in line)
        _accepts_connections(server.port)  # before: printed before migrations and the bind: refused here
        listening = server.stderr.wait_for(lambda line: '"listening"' in line)
        assert json.loads(listening)["url"] == server.url
        client_id = _wrong_password(server.url)
        _bogus_code(server.url, client_id)
        _hosted_wrong_password(server.url, client_id)
        api = json.loads(server.stderr.wait_for(lambda line: '"InitiateAuth"' in line))
        token = json.loads(server.stderr.wait_for(lambda line: '"/oauth2/token"' in line))
        form = json.loads(server.stderr.wait_for(lambda line: '"/login"' in line and '"POST"' in line))
    assert api["logger"] == "cognate.access" and (api["method"], api["path"], api["status"]) == ("POST", "/", 400)
    assert (api["operation"], api["reason"]) == ("InitiateAuth", "NotAuthorizedException")
    assert (token["status"], token["reason"]) == (400, "invalid_grant") and "operation" not in token
    assert (form["status"], form["reason"]) == (400, "NotAuthorizedException")  # the hosted UI's form too
    lines = server.stderr.snapshot()
    for line in lines:
        assert isinstance(json.loads(line), dict), line  # every stderr line is one JSON object
    everything = "\n".join(lines + server.stdout.snapshot())
    assert WRONG_PASSWORD not in everything and BOGUS_CODE not in everything and GOOD_PASSWORD not in everything
    assert server.process.returncode == 0


def test_a_terminal_gets_readable_lines(cli: Cli) -> None:
    with serve(cli, terminal=True) as server:
        server.stderr.wait_for(lambda line: "listening" in line and "INFO" in line)
        _accepts_connections(server.port)
        _wrong_password(server.url)
        access = server.stderr.wait_for(lambda line: "POST / InitiateAuth" in line)
    assert "400 NotAuthorizedException" in access, access
    lines = [line for line in server.stderr.snapshot() if line.strip()]
    assert not [line for line in lines if line.lstrip().startswith("{")], lines
    assert WRONG_PASSWORD not in "\n".join(lines)


def test_workers_say_listening_once_the_shared_port_listens(cli: Cli) -> None:
    """With --workers the parent binds the port: "listening" once it listens; requests wait for a worker."""
    with serve(cli, "--workers", "2", terminal=False) as server:
        server.stdout.wait_for(lambda line: "listening" in line, timeout=30)
        _accepts_connections(server.port)
        assert httpx.get(f"{server.url}/health", timeout=30).status_code == 200
        assert len([line for line in server.stderr.snapshot() if '"listening"' in line]) == 1
    assert server.process.returncode == 0

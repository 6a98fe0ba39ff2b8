"""Issue 12 items 6 and 7 against a real `cognate serve`: mail never travels in clear unless the URL opts out (and
never with credentials), certificates are verified, verification codes stay out of the INFO log, and the data dir's
files are private.

The SMTP server is a real aiosmtpd. It advertises AUTH without TLS (`auth_require_tls=False`), as a careless or
hostile server would, so the tests see whether Cognate sends its password there.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import ssl
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cognate.crypto.certificates import self_signed_pem
from tests.e2e.cognito_api._helpers import (
    KEY_ID,
    PASSWORD,
    SECRET,
    code_sent_to,
    error_code,
    new_app,
    new_email,
    new_pool,
)
from tests.support.processes import Cli, Server, free_port


@dataclass
class SmtpServer:
    """What a real SMTP server received: messages (recipients, raw content) and AUTH attempts (mechanism)."""

    port: int = field(default_factory=free_port)
    messages: list[tuple[list[str], bytes]] = field(default_factory=list)
    auth_attempts: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult

        self.auth_attempts.append(mechanism)
        return AuthResult(success=True)


def _start(handler: SmtpServer, **options: Any) -> Any:
    from aiosmtpd.controller import Controller

    controller = Controller(handler, hostname="127.0.0.1", port=handler.port, authenticator=handler.authenticate,
                            auth_require_tls=False, **options)
    controller.start()
    return controller


@pytest.fixture
def plain_smtp() -> Iterator[SmtpServer]:
    """An SMTP server that offers no STARTTLS (and AUTH in clear)."""
    handler = SmtpServer()
    controller = _start(handler)
    yield handler
    controller.stop()


@pytest.fixture
def untrusted_tls_smtp(tmp_path: Path) -> Iterator[SmtpServer]:
    """An SMTP server that offers STARTTLS with a self-signed certificate nobody trusts (a man in the middle)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "smtp.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    (tmp_path / "smtp.crt").write_text(self_signed_pem(key, common_name="127.0.0.1", now=time.time(),
                                                       serial_seed=str(dt.datetime.now())))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "smtp.crt", tmp_path / "smtp.key")
    handler = SmtpServer()
    controller = _start(handler, tls_context=context)
    yield handler
    controller.stop()


def _serve(cli: Cli, server: Server, **env: str) -> tuple[Any, Any, Any]:
    """Start `cognate serve` with `env`; (admin client, public client, an app of a pool that verifies email).
    Without configured admin keys the server makes them, into `admin-credentials.json`."""
    cli.env.update(env)
    server.start()
    key_id, secret = KEY_ID, SECRET
    if "COGNATE_ADMIN_ACCESS_KEY_ID" not in env:
        made = json.loads((cli.data_dir / "admin-credentials.json").read_text())
        key_id, secret = made["access_key_id"], made["secret_access_key"]
    config = Config(retries={"total_max_attempts": 1})
    admin = boto3.client("cognito-idp", endpoint_url=server.url, region_name="us-east-1", aws_access_key_id=key_id,
                         aws_secret_access_key=secret, config=config)
    public = boto3.client("cognito-idp", endpoint_url=server.url, region_name="us-east-1",
                          config=config.merge(Config(signature_version=UNSIGNED)))
    app = new_app(admin, new_pool(admin))
    return admin, public, app


def _sign_up(public: Any, app: Any, email: str) -> Any:
    return public.sign_up(ClientId=app.client_id, Username=email.split("@")[0], Password=PASSWORD,
                          UserAttributes=[{"Name": "email", "Value": email}])


def test_attack_smtp_without_starttls_gets_no_mail_and_no_password(cli: Cli, server: Server,
                                                                    plain_smtp: SmtpServer) -> None:
    """`smtp://user:pass@host` to a server that offers no STARTTLS: before the fix Cognate sent AUTH PLAIN (the
    password) and the code in clear. Now nothing is sent and SignUp answers CodeDeliveryFailureException."""
    _, public, app = _serve(cli, server, COGNATE_SMTP_URL=f"smtp://mailer:hunter2-secret@127.0.0.1:{plain_smtp.port}")
    assert error_code(lambda: _sign_up(public, app, new_email())) == "CodeDeliveryFailureException"
    assert plain_smtp.auth_attempts == [] and plain_smtp.messages == []
    log = server.log()
    assert "does not offer STARTTLS" in log and "hunter2-secret" not in log and "Traceback" not in log


def test_attack_smtp_without_credentials_still_refuses_cleartext(cli: Cli, server: Server,
                                                                  plain_smtp: SmtpServer) -> None:
    _, public, app = _serve(cli, server, COGNATE_SMTP_URL=f"smtp://127.0.0.1:{plain_smtp.port}")
    assert error_code(lambda: _sign_up(public, app, new_email())) == "CodeDeliveryFailureException"
    assert plain_smtp.messages == []


def test_explicit_opt_out_sends_to_a_relay_without_tls(cli: Cli, server: Server, plain_smtp: SmtpServer) -> None:
    _, public, app = _serve(cli, server, COGNATE_SMTP_URL=f"smtp://127.0.0.1:{plain_smtp.port}?starttls=off")
    email = new_email()
    assert _sign_up(public, app, email)["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert [rcpt for rcpt, _ in plain_smtp.messages] == [[email]]
    assert plain_smtp.auth_attempts == []


def test_attack_credentials_with_the_opt_out_are_refused_at_start(cli: Cli) -> None:
    cli.env["COGNATE_SMTP_URL"] = "smtp://mailer:hunter2-secret@127.0.0.1:2525?starttls=off"
    line = cli.fails("serve")
    assert "COGNATE_SMTP_URL" in line and "unencrypted" in line and "hunter2-secret" not in line


def test_attack_starttls_with_an_untrusted_certificate_sends_nothing(cli: Cli, server: Server,
                                                                     untrusted_tls_smtp: SmtpServer) -> None:
    """Certificates are verified: a server (or a man in the middle) with a self-signed one gets neither the
    password nor the code."""
    url = f"smtp://mailer:hunter2-secret@127.0.0.1:{untrusted_tls_smtp.port}"
    _, public, app = _serve(cli, server, COGNATE_SMTP_URL=url)
    assert error_code(lambda: _sign_up(public, app, new_email())) == "CodeDeliveryFailureException"
    assert untrusted_tls_smtp.auth_attempts == [] and untrusted_tls_smtp.messages == []


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_attack_outbox_codes_and_data_files_are_private(cli: Cli, server: Server) -> None:
    """After a sign-up mailed to the outbox: the data dir is 0700; the key, the admin credentials, the outbox's
    files and (SQLite) the database with its WAL and SHM are 0600, and the INFO log names the mail but never the
    code. Before the fix the database, WAL, SHM and `.eml` were 0644, the dirs 0755, and the code was logged."""
    cli.run("pool", "list")  # the CLI makes the data dir, as on a fresh install
    _, public, app = _serve(cli, server)
    email = new_email()
    _sign_up(public, app, email)
    outbox = cli.data_dir / "outbox"
    [mail] = list(outbox.glob("*.eml"))
    code = code_sent_to(outbox, email)
    assert _mode(cli.data_dir) == 0o700 and _mode(outbox) == 0o700 and _mode(mail) == 0o600
    assert _mode(cli.data_dir / "secret.key") == 0o600
    assert _mode(cli.data_dir / "admin-credentials.json") == 0o600
    if cli.database_url.startswith("sqlite"):
        db = Path(cli.database_url.split("///", 1)[1])
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
            assert _mode(path) == 0o600, path
    log = server.log()
    assert "mail written to outbox" in log and email not in log and mail.name in log
    assert not re.search(rf"(?<!\d){code}(?!\d)", log), "the verification code is in the INFO log"

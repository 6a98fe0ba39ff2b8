"""Guessing in parallel against a real `cognate serve` (issue 12 item 2): N wrong passwords or TOTP codes sent at
once meet the lockout and the per-Session code limit exactly as N sent one at a time would, and one TOTP code
signs in once. Real parallel clients (threads, one boto3 client each) on SQLite, or PostgreSQL when
COGNATE_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

import pyotp
import pytest
from botocore import UNSIGNED
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from tests.e2e.cognito_api._helpers import PASSWORD, App, error_of, new_app, new_pool
from tests.e2e.cognito_api.conftest import make_client
from tests.e2e.cognito_api.test_mfa import _code, _enrol, _sign_in, _user
from tests.support.processes import Server

WRONG = "Incorrect username or password."
LOCKED = "Password attempts exceeded"
INVALID_SESSION = "Invalid session for the user."
FREE_FAILURES = 5  # Cognito: the 5th wrong answer starts the first lock (spec §5 Lockout)
MAX_CODE_ATTEMPTS = 5  # wrong codes per challenge Session (cognate.domain.mfa)


def _outcome(call: Callable[[], Any]) -> str:
    """"ok", or "<Code>: <Message>" of the Cognito error the call failed with."""
    try:
        call()
    except ClientError as exc:
        return f"{exc.response['Error']['Code']}: {exc.response['Error']['Message']}"
    return "ok"


def _clients(server: Server, n: int) -> list[Any]:
    """One unsigned boto3 client per thread (an app's view: no AWS credentials)."""
    return [make_client(server.url, signature_version=UNSIGNED) for _ in range(n)]


def _in_parallel(calls: list[Callable[[], Any]]) -> list[str]:
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(_outcome, calls))


def _most_compared(seconds: float) -> int:
    """How many wrong answers one at a time could have had compared within `seconds`: the 5 free ones, then one
    more each time the lock (1 s, then 2 s, 4 s, ...) ran out: k more need 2**k - 1 s. On a loaded machine a burst
    can outlast the first 1 s lock; the bound stays exact."""
    extra = 0
    while 2 ** (extra + 1) - 1 <= seconds:
        extra += 1
    return FREE_FAILURES + extra


def _wrong_code(secret: str) -> str:
    """A code outside the ±1 step window the server accepts."""
    valid = {_code(secret, ahead=k) for k in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in valid)


@pytest.fixture
def app(cognito: Any) -> App:
    app = new_app(cognito, new_pool(cognito, MfaConfiguration="OPTIONAL"))
    _user(cognito, app.pool_id, "alice")
    return app


def _password_call(client: Any, app: App, password: str) -> Callable[[], Any]:
    return lambda: client.initiate_auth(ClientId=app.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                        AuthParameters={"USERNAME": "alice", "PASSWORD": password})


def test_twenty_parallel_wrong_passwords_meet_the_lockout(api_server: Server, app: App) -> None:
    clients = _clients(api_server, 21)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=21) as pool:
        pending: set[Future[str]] = {pool.submit(_outcome, _password_call(c, app, "Wrong-pass1")) for c in clients[:20]}
        outcomes: list[str] = []
        right: Future[str] | None = None
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            outcomes += [f.result() for f in done]
            if right is None and any(LOCKED in o for o in outcomes):  # locked now: the right password is refused
                locked_seen = time.monotonic()
                right = pool.submit(_outcome, _password_call(clients[20], app, PASSWORD))
        burst = time.monotonic() - started
        assert right is not None, outcomes
        # The lock (at least 1 s) began before `locked_seen`: an answer within 1 s of it was given while locked.
        assert right.result() == f"NotAuthorizedException: {LOCKED}" or time.monotonic() - locked_seen >= 1.0
    compared = outcomes.count(f"NotAuthorizedException: {WRONG}")
    assert 1 <= compared <= _most_compared(burst), (burst, outcomes)
    assert outcomes.count(f"NotAuthorizedException: {LOCKED}") == 20 - compared, outcomes


def _srp_proof(client: Any, app: App, password: str) -> Callable[[], Any]:
    """USER_SRP_AUTH step 1 now; step 2 (the PASSWORD_VERIFIER answer, where the proof is compared) when called.
    The client-side SRP arithmetic is done up front, so the proofs reach the server together."""
    srp = AWSSRP("alice", password, app.pool_id, app.client_id, client=client)
    params = srp.get_auth_params()
    started = client.initiate_auth(ClientId=app.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params)
    answer = srp.process_challenge(started["ChallengeParameters"], params)
    return lambda: client.respond_to_auth_challenge(ClientId=app.client_id, ChallengeName="PASSWORD_VERIFIER",
                                                    ChallengeResponses=answer)


def test_twenty_parallel_wrong_srp_proofs_meet_the_lockout(api_server: Server, app: App) -> None:
    """USER_SRP_AUTH's second step compares a password proof: the same lock, the same count."""
    proofs = [_srp_proof(c, app, "Wrong-pass1") for c in _clients(api_server, 20)]
    started = time.monotonic()
    outcomes = _in_parallel(proofs)
    burst = time.monotonic() - started
    compared = outcomes.count(f"NotAuthorizedException: {WRONG}")
    assert 1 <= compared <= _most_compared(burst), (burst, outcomes)
    assert outcomes.count(f"NotAuthorizedException: {LOCKED}") == 20 - compared, outcomes


def _code_call(client: Any, app: App, session: str, code: str) -> Callable[[], Any]:
    return lambda: client.respond_to_auth_challenge(
        ClientId=app.client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=session,
        ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": code})


def test_twenty_five_parallel_wrong_codes_on_one_session(api_server: Server, public: Any, app: App) -> None:
    secret = _enrol(public, app, "alice")
    session = _sign_in(public, app, "alice")["Session"]
    wrong = _wrong_code(secret)
    outcomes = _in_parallel([_code_call(c, app, session, wrong) for c in _clients(api_server, 25)])
    compared = sum(o.startswith("CodeMismatchException") for o in outcomes)
    assert 1 <= compared <= min(FREE_FAILURES, MAX_CODE_ATTEMPTS), outcomes
    refused = [o for o in outcomes if not o.startswith("CodeMismatchException")]
    assert all(o in (f"NotAuthorizedException: {LOCKED}", f"NotAuthorizedException: {INVALID_SESSION}")
               for o in refused), outcomes


def test_a_session_dies_after_the_allowed_wrong_codes(public: Any, app: App) -> None:
    secret = _enrol(public, app, "alice")
    session = _sign_in(public, app, "alice")["Session"]
    for _ in range(MAX_CODE_ATTEMPTS):
        assert _outcome(_code_call(public, app, session, _wrong_code(secret))).startswith("CodeMismatchException")
    time.sleep(1.2)  # the 5th failure's 1 s lock has passed: what refuses now is the Session's own limit
    assert error_of(_code_call(public, app, session, _code(secret, ahead=1))) == {
        "Code": "NotAuthorizedException", "Message": INVALID_SESSION}


def test_one_code_sent_in_parallel_signs_in_once(api_server: Server, public: Any, app: App) -> None:
    secret = _enrol(public, app, "alice")
    sessions = [_sign_in(public, app, "alice")["Session"] for _ in range(4)]
    code = _code(secret, ahead=1)
    outcomes = _in_parallel([_code_call(c, app, s, code) for c, s in zip(_clients(api_server, 4), sessions,
                                                                          strict=True)])
    assert outcomes.count("ok") == 1, outcomes
    assert all(o == "ok" or o.startswith("CodeMismatchException") for o in outcomes), outcomes


def test_a_signed_in_session_cannot_sign_in_again(public: Any, app: App) -> None:
    secret = _enrol(public, app, "alice")
    session = _sign_in(public, app, "alice")["Session"]
    assert _outcome(_code_call(public, app, session, _code(secret, ahead=1))) == "ok"
    assert error_of(_code_call(public, app, session, pyotp.TOTP(secret).at(time.time() + 60))) == {
        "Code": "NotAuthorizedException", "Message": INVALID_SESSION}


def test_mfa_setup_refused_once_the_pool_turns_mfa_off(cognito: Any, public: Any) -> None:
    app = new_app(cognito, new_pool(cognito))
    _user(cognito, app.pool_id, "alice")
    cognito.set_user_pool_mfa_config(UserPoolId=app.pool_id, MfaConfiguration="ON",
                                     SoftwareTokenMfaConfiguration={"Enabled": True})
    challenge = _sign_in(public, app, "alice")
    assert challenge["ChallengeName"] == "MFA_SETUP"
    associated = public.associate_software_token(Session=challenge["Session"])
    verified = public.verify_software_token(Session=associated["Session"], UserCode=_code(associated["SecretCode"]))
    cognito.set_user_pool_mfa_config(UserPoolId=app.pool_id, MfaConfiguration="OFF")
    invalid = {"Code": "NotAuthorizedException", "Message": INVALID_SESSION}
    assert error_of(lambda: public.associate_software_token(Session=challenge["Session"])) == invalid
    assert error_of(lambda: public.verify_software_token(Session=associated["Session"], UserCode="123456")) \
        == invalid
    assert error_of(lambda: public.respond_to_auth_challenge(
        ClientId=app.client_id, ChallengeName="MFA_SETUP", Session=verified["Session"],
        ChallengeResponses={"USERNAME": "alice"})) == invalid


def test_parallel_right_passwords_of_one_user_never_fail_the_server(api_server: Server, app: App) -> None:
    """Each sign-in reserves (counts) its attempt and then forgets the count; racing sign-ins of one user once made
    a reservation update a count row that a neighbour's success had just deleted: InternalErrorException on
    PostgreSQL. Every write of the count now holds the user's row lock. Reservations count while in flight, so
    beyond five at once a right password can meet the lock (README, Differences from Cognito)."""
    clients = _clients(api_server, 8)
    outcomes = _in_parallel([_password_call(c, app, PASSWORD) for c in clients for _ in range(5)])
    assert set(outcomes) <= {"ok", f"NotAuthorizedException: {LOCKED}"}, outcomes
    assert outcomes.count("ok") >= FREE_FAILURES, outcomes

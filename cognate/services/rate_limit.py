"""Rate limits on the credential endpoints, one rule for every door (OWASP ASVS 2.2.1 anti-automation).

Cognito limits an account's request rate (120 sign-ins a second, "Quotas in Amazon Cognito"), never one address,
so a test suite run from one machine must not meet a limit for what succeeds. What an address may spend is
failures: each door calls `check_caller` once per credential request, before the work, and `charge_failure` once
when that request failed (a wrong password, an unknown user, a wrong code, a failed client authentication);
`send_code` charges every message it sends the same way. An address whose failures fill their budget is refused
before its next password is hashed, whatever it sends. The per-client ceiling (all requests, all addresses) and an
optional all-requests limit per address are counted in `check_caller`.

Over a limit `RateLimited` is raised, which the JSON API answers as Cognito's TooManyRequestsException (HTTP 400)
and the OAuth token endpoint and the hosted UI as HTTP 429 with `Retry-After` (RFC 6585 §4). A success writes
nothing for the failure budget: its check only reads the address's counts (`SyncedRateCounter` keeps them in
memory between syncs), so the token endpoint's hot path gains no database write.
"""

from __future__ import annotations

from collections.abc import Sequence

from prometheus_client import Counter

from cognate.domain.errors import CognitoError, TooManyRequestsException
from cognate.domain.rate_limit import CLIENT, IP, IP_FAILURES, RateHit, retry_after, window_start
from cognate.services.caller import request_info
from cognate.services.deps import Deps

LIMITED = Counter("cognate_rate_limited_total", "Requests refused by a rate limit, by scope", ["scope"])
CHARGED = Counter("cognate_rate_limit_charged_total", "Failures and messages charged to an address's budget")
MAX_KEY = 128
# The answers that mean a guess was wrong (password, user name, code, secret, token or session): what an address
# is charged for. Refusals of well-formed requests for other reasons (InvalidPassword, UsernameExists, ...) are not.
FAILED_GUESSES = frozenset({
    "NotAuthorizedException", "UserNotFoundException", "CodeMismatchException", "ExpiredCodeException",
    "EnableSoftwareTokenMFAException",
})


class RateLimited(TooManyRequestsException):
    """Too many requests from one IP or for one app client; `retry_after` in whole seconds."""

    def __init__(self, scope: str, retry_after: int) -> None:
        who = {IP: "requests from this address", IP_FAILURES: "failed requests from this address"}.get(
            scope, "requests for this app client")
        super().__init__(f"Too many {who}; try again in {retry_after} seconds.")
        self.scope = scope
        self.retry_after = retry_after


async def check_rates(deps: Deps, keys: Sequence[tuple[str, str | None, int]]) -> None:
    """Count `n` requests of each (scope, key, n) in one round trip (n = 0: only read its counts); raise RateLimited
    for the first that one more request would take over its limit."""
    counted = [(scope, key[:MAX_KEY], n, rate) for scope, key, n in keys
               if key and (rate := deps.rate_limits.of(scope)) is not None]
    if deps.rate_counter is None or not counted:
        return
    now = deps.clock.now()
    # f"{scope}@{window}": a changed window length starts fresh counts
    results = await deps.rate_counter.add([RateHit(f"{scope}@{rate.window}", key, rate.window, rate.limit, n)
                                           for scope, key, n, rate in counted], now=now)
    for (scope, _, n, rate), (current, previous) in zip(counted, results, strict=True):
        # a read asks whether the failure this request may become still fits
        wait = retry_after(rate, current + (n == 0), previous, now - window_start(now, rate.window))
        if wait is not None:
            LIMITED.labels(scope).inc()
            raise RateLimited(scope, wait)


async def check_caller(deps: Deps, *, client_id: str | None) -> None:
    """The check of one credential request, before its work: the address's failure budget (read, not counted),
    then the address's and the app client's request counts (the address's verdicts first)."""
    ip = request_info.get().ip
    await check_rates(deps, [(IP_FAILURES, ip, 0), (IP, ip, 1), (CLIENT, client_id, 1)])


async def charge_failure(deps: Deps) -> None:
    """Charge the calling address one failure or one message sent (no address, as from the CLI: nothing).

    Never raises RateLimited: the request already has its answer; the address's next request meets the budget."""
    ip = request_info.get().ip
    rate = deps.rate_limits.failures_per_ip
    if ip is None or rate is None or deps.rate_counter is None:
        return
    CHARGED.inc()
    await deps.rate_counter.add([RateHit(f"{IP_FAILURES}@{rate.window}", ip[:MAX_KEY], rate.window, rate.limit)],
                                now=deps.clock.now())


async def charge_if_failed(deps: Deps, error: CognitoError) -> None:
    """`charge_failure` when `error` says a guess was wrong (FAILED_GUESSES)."""
    if error.name in FAILED_GUESSES:
        await charge_failure(deps)

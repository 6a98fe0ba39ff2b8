"""What every use case receives: storage, time, crypto, the few settings the rules need, and the memo."""

from __future__ import annotations

from dataclasses import dataclass, field

from cognate.crypto.passwords import PasswordHasher
from cognate.crypto.sealing import Sealer
from cognate.domain.clock import Clock
from cognate.domain.rate_limit import RateLimits
from cognate.mail.base import Mailer
from cognate.services.memo import Memo
from cognate.store.base import RateCounter, Store


@dataclass(frozen=True)
class Deps:
    store: Store
    clock: Clock
    sealer: Sealer
    hasher: PasswordHasher
    mailer: Mailer
    region: str = "us-east-1"
    domain_suffix: str = "auth.localhost"
    public_url: str = "http://127.0.0.1:9229"
    rate_counter: RateCounter | None = None  # None: no rate limiting (e.g. the CLI)
    rate_limits: RateLimits = field(default_factory=RateLimits)
    require_pkce_for_public_clients: bool = False  # COGNATE_REQUIRE_PKCE_FOR_PUBLIC_CLIENTS (an operator's policy)
    memo: Memo = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        """A memo of its own (its entries derive from this store, public URL and clock), on this clock, told by the
        store what each commit changed. `dataclasses.replace` makes a new Deps, so a new, empty memo."""
        memo = Memo(self.clock)
        object.__setattr__(self, "memo", memo)
        self.store.listen(memo)

"""Cognate's one typed configuration object (every `COGNATE_*` variable, ARCHITECTURE.md contracts).

Each field's description is its documentation; `cognate config show` and the README table are built from it.
There is no module-level instance: settings are read by `app.py` and the CLI only (.importlinter). This module is
pydantic and nothing else: the checks that need a layer's knowledge (how strong a master key must be, what an SMTP
URL may say) are added by `app.CheckedSettings`, the model `app.load_settings` reads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

RATE_PATTERN = r"^(0|[1-9]\d{0,8}/(second|minute|hour|day))$"  # parsed by cognate.domain.rate_limit.Rate
SECRET_FIELDS = frozenset({"secret_key", "admin_secret_access_key", "smtp_url", "database_url", "redis_url"})


class SettingsError(ValueError):
    """Every configuration problem at once, as one readable message."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COGNATE_", extra="ignore", frozen=True)

    host: str = Field("127.0.0.1", description="Address `cognate serve` listens on.")
    port: int = Field(9229, ge=1, le=65535, description="TCP port `cognate serve` listens on.")
    data_dir: Path = Field(Path(".cognate"), description="Where the SQLite file, generated keys and outbox live.")
    public_url: str = Field("", description="Base URL clients use to reach Cognate; default `http://{host}:{port}`.")
    database_url: str = Field("", description="SQLAlchemy URL; default SQLite in the data dir. `postgresql+asyncpg://`.")
    db_pool_size: int = Field(10, ge=1, le=500, description="Database connections per process (PostgreSQL).")
    hash_workers: int = Field(0, ge=0, le=256, description="Password hashes (argon2id, 19 MiB each) run at once per "
                              "process; 0: one fewer than the CPUs (at least 1), so a sign-in flood leaves a core "
                              "for everything else.")
    secret_key: str = Field(
        "", description="Master key: URL-safe base64 of at least 32 random bytes (`secrets.token_urlsafe(48)`); "
        "unset, one is generated once into the data dir (`secret.key`, 0600). A weak or malformed key (variable or "
        "file) stops Cognate."
    )
    redis_url: str = Field(
        "", description="Optional `redis://host:6379/0`: rate-limit counters live there instead of the database "
        "(lockout counts stay in the database)."
    )
    region: str = Field("us-east-1", pattern=r"^[a-z]{2}(-[a-z]+)+-\d+$", description="Region used in pool ids.")
    admin_access_key_id: str = Field("", description="Access key id for SigV4-signed admin operations.")
    admin_secret_access_key: str = Field("", description="Secret key for SigV4-signed admin operations.")
    domain_suffix: str = Field("auth.localhost", description="Pool domains are `{prefix}.{suffix}`.")
    smtp_url: str = Field(
        "", description="`smtp://[user:pass@]host:port` (STARTTLS required: a server without it gets no mail), "
        "`smtps://[user:pass@]host:port` (implicit TLS), or `smtp://host:port?starttls=off` for a local relay "
        "without TLS (no credentials allowed then); certificates are verified. Unset = `.eml` files (0600) in "
        "`{data_dir}/outbox/`."
    )
    rate_limit_failures_per_ip: str = Field(
        "100/minute", pattern=RATE_PATTERN,
        description="Failed credential requests (wrong password, unknown user, wrong code, failed client "
        "authentication, a hosted-UI form answered 400) and messages sent (codes mailed) per client IP, sliding "
        "window, `N/unit` (second, minute, hour or day); `0` = off. Successes are not counted, so a test suite "
        "from one machine is never throttled for them; once an address's failures fill it, that address's "
        "credential requests (`/oauth2/token`, hosted-UI form posts, the unsigned sign-in/sign-up/code API "
        "operations) are refused before any password is checked: HTTP 429 + `Retry-After` (JSON API: "
        "TooManyRequestsException).",
    )
    rate_limit_per_ip: str = Field(
        "0", pattern=RATE_PATTERN,
        description="All credential requests per client IP, successes too (same endpoints, window and answer as "
        "above); `0` = off, as in Cognito, which limits no address. Set it (e.g. `300/minute`) for a stricter "
        "per-address brake; mind offices behind one NAT address and test suites.",
    )
    rate_limit_per_client: str = Field(
        "7200/minute", pattern=RATE_PATTERN,
        description="All credential requests per app client id, all IPs together: Cognito's default "
        "UserAuthentication quota (120 requests a second) as a per-minute count, a ceiling on distributed "
        "guessing; `0` = off.",
    )
    require_pkce_for_public_clients: bool = Field(
        False, description="Require a PKCE `code_challenge` (S256) in the code flow of every public client (no "
        "secret), as RFC 9700 recommends; off: PKCE is optional and verified when sent, as in Cognito. Recommended "
        "in production when no app depends on the code flow without PKCE. A client's own `CognatePkceRequired` "
        "applies either way.",
    )
    log_level: str = Field("info", pattern=r"^(debug|info|warning|error)$", description="Log level.")
    log_format: Literal["auto", "text", "json"] = Field(
        "auto", description="Logs on stderr: `json` (one object per line, for collectors), `text` (readable lines), "
        "or `auto`: text when stderr is a terminal, JSON otherwise.",
    )

    @field_validator("public_url")
    @classmethod
    def _absolute(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @property
    def effective_public_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{(self.data_dir / 'cognate.db').resolve()}"

    def redacted(self) -> dict[str, Any]:
        """Effective values, secrets shown only as set/unset."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if name in SECRET_FIELDS:
                value = "<set>" if value else "<unset>"
            out[name] = str(value) if isinstance(value, Path) else value
        out["public_url"] = self.effective_public_url
        if not self.database_url:
            out["database_url"] = f"<default> {self.effective_database_url}"
        return out


def load_settings(model: type[Settings] = Settings, /, **overrides: Any) -> Settings:
    """Environment first, then explicit overrides (CLI flags); all problems reported together. `model`: a subclass
    adding validators (`app.CheckedSettings`), so its problems are reported in the same one line."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    try:
        return model(**clean)
    except ValidationError as exc:
        problems = "; ".join(
            f"COGNATE_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"invalid configuration: {problems}") from None


def markdown_table() -> str:
    """The README's configuration table, generated from the field descriptions above."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for name, info in Settings.model_fields.items():
        default = info.default
        shown = f"`{default}`" if default not in ("", None) else "(unset)"
        lines.append(f"| `COGNATE_{name.upper()}` | {shown} | {info.description} |")
    return "\n".join(lines)

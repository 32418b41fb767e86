"""Configuration from the environment and `.env`, grouped by concern.

Every setting has the name an operator types (`DATABASE_URL`, `REDIS_URL`, ...). Secrets are
`SecretStr` so they never show in a repr or a log line.
"""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from app.bootstrap import setting_checks as checks


class ConfigurationError(Exception):
    """A setting that stops start-up; its message names the setting in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # Environment
    nexus_env: Literal["development", "test", "production"] = "development"
    nexus_data_dir: Path = Path(".nexus")
    log_level: str = "INFO"
    # Unset: JSON for a server whose output is not a terminal, short human lines otherwise.
    log_format: Literal["json", "text"] | None = None

    # Storage
    database_url: str | None = None
    # A worker keeps its connections open and opens none beyond them by default: under load,
    # overflow connections opened and closed per burst cost more than waiting for a pooled one
    # (bench: half the throughput of a rating write or an uncached page). A request beyond the
    # pool waits its turn (back-pressure) up to the pool time-out, then 503.
    database_pool_size: int = Field(10, ge=1, le=200)
    database_max_overflow: int = Field(0, ge=0, le=200)
    database_pool_timeout: float = Field(30.0, gt=0)
    database_connect_timeout: float = Field(5.0, gt=0, le=60)
    database_statement_timeout_ms: int = Field(15_000, ge=0)
    redis_url: str | None = None
    redis_key_prefix: str = "nexus:"
    redis_max_connections: int = Field(50, ge=1, le=10_000)
    redis_socket_timeout: float = Field(0.5, gt=0)

    # Security
    jwt_secret: SecretStr | None = None
    jwt_algorithm: Literal["HS256", "HS384", "HS512", "RS256"] = "HS256"
    jwt_private_key: SecretStr | None = None
    jwt_public_key: str | None = None
    jwt_issuer: str = "nexus"
    access_token_minutes: int = Field(15, ge=1, le=24 * 60)
    refresh_token_days: int = Field(7, ge=1, le=365)
    refresh_reuse_grace_seconds: float = Field(5.0, ge=0, le=300)
    # However often it is refreshed, a session ends this long after its sign-in.
    session_max_days: int = Field(30, ge=1, le=365)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Off by default: the refresh token also in an HttpOnly, SameSite=Strict cookie, refreshes
    # and sign-outs by cookie checked against a CSRF token (docs/clients.md).
    refresh_cookie_enabled: bool = False
    refresh_cookie_secure: bool = True  # only over HTTPS; false for plain-HTTP development
    # Clients reach the service over HTTPS (TLS ends at a proxy in front): send HSTS.
    served_over_https: bool = False
    # Argon2id cost: OWASP's recommended minimum by default; tests lower it to stay fast.
    password_hash_time_cost: int = Field(3, ge=1, le=20)
    password_hash_memory_kib: int = Field(65_536, ge=8, le=4 * 1024 * 1024)
    password_hash_parallelism: int = Field(4, ge=1, le=64)

    # Rate limits (limits' notation, e.g. "100/hour")
    rate_limit_enabled: bool = True
    rate_limit_anonymous: str = "100/hour"
    rate_limit_authenticated: str = "1000/hour"
    rate_limit_auth: str = "10/minute"
    rate_limit_tmdb_search: str = "60/minute"
    rate_limit_strategy: Literal[
        "moving-window", "sliding-window-counter", "sliding-window-batched"
    ] = "sliding-window-batched"
    rate_limit_redis_timeout: float = Field(0.25, gt=0, le=5)
    rate_limit_redis_retry_seconds: float = Field(5.0, gt=0, le=600)

    # HTTP
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    public_base_url: str | None = Field(
        None, description="scheme://host[:port] that absolute links use; required in production"
    )
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    forwarded_allow_ips: str = Field(
        "127.0.0.1", description="the proxies whose X-Forwarded-* headers `nexus serve` trusts"
    )

    # TMDb
    tmdb_api_key: SecretStr | None = None
    tmdb_read_token: SecretStr | None = None
    tmdb_base_url: AnyHttpUrl = AnyHttpUrl("https://api.themoviedb.org/3")
    tmdb_image_base_url: str = "https://image.tmdb.org/t/p/"
    tmdb_timeout_seconds: float = Field(10.0, gt=0)
    tmdb_max_retries: int = Field(3, ge=0, le=10)
    tmdb_backoff_base_seconds: float = Field(0.5, ge=0)
    tmdb_backoff_max_seconds: float = Field(8.0, ge=0)
    tmdb_max_retry_after_seconds: float = Field(
        10.0, ge=0, description="a longer Retry-After is passed on as a 503, not waited for"
    )
    tmdb_max_connections: int = Field(20, ge=1, le=100)
    tmdb_language: str = "en-US"
    tmdb_sync_category: Literal["popular", "top_rated", "now_playing", "upcoming", "trending"] = (
        "popular"
    )
    tmdb_sync_window: Literal["day", "week"] = Field(
        "day", description="the trending window a background trending sync ranks"
    )
    tmdb_sync_pages: int = Field(5, ge=1, le=500)
    tmdb_sync_concurrency: int = Field(8, ge=1, le=20)
    tmdb_sync_interval: int = Field(
        0, ge=0, description="seconds between background syncs; 0 = off"
    )

    # MovieLens releases for `nexus import-movielens --download` and `nexus demo`
    movielens_base_url: AnyHttpUrl = AnyHttpUrl("https://files.grouplens.org/datasets/movielens")

    # Recommendations
    model_refresh_interval: int = Field(
        3600,
        ge=0,
        description="seconds between checks for a model rebuild; 0 = off (the first model is "
        "still built at start when ratings exist and no model does)",
    )
    model_refresh_min_change: float = Field(
        0.01,
        ge=0,
        le=1,
        description="share of new ratings (against the model's) that makes a rebuild worth it",
    )
    model_check_seconds: float = Field(
        5.0, ge=0, le=3600, description="how often a replica looks for a newer stored model"
    )
    response_cache_seconds: float = Field(
        2.0, ge=0, le=60, description="serialized trending answers kept in the process; 0 = off"
    )
    warm_up: bool = Field(
        True,
        description="before serving, open database connections and run a few reads, so the "
        "first requests are not slowed by lazily built tables and statements",
    )
    rendered_list_seconds: float = Field(
        30.0,
        ge=0,
        le=3600,
        description="a signed-in user's rendered recommendation list kept in the process, keyed "
        "by user, taste and model versions; bounds how long a staff edit of a listed movie "
        "may lag (0 = off)",
    )
    # Kept in Redis and checked against a version on every request (0 = off): a signed-in user's
    # account state (off: the database is read every time), and anonymous public answers (with a
    # copy in each process; writes bump the version).
    user_state_cache_seconds: float = Field(60.0, ge=0, le=86_400)
    public_cache_seconds: float = Field(10.0, ge=0, le=3600)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        return checks.split_list(value)

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        return checks.split_list(value, lower=True)

    @field_validator("public_base_url")
    @classmethod
    def _check_public_base_url(cls, value: str | None) -> str | None:
        return checks.check_public_base_url(value)

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _check_forwarded_allow_ips(cls, value: str) -> str:
        return checks.check_forwarded_allow_ips(value)

    @field_validator("tmdb_api_key", "tmdb_read_token", mode="before")
    @classmethod
    def _blank_tmdb_secret_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator(
        "rate_limit_anonymous",
        "rate_limit_authenticated",
        "rate_limit_auth",
        "rate_limit_tmdb_search",
    )
    @classmethod
    def _check_rate_limit(cls, value: str) -> str:
        return checks.check_rate_limit(value)

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        return checks.check_database_url(value)

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        return checks.check_redis_url(value)

    @model_validator(mode="after")
    def _check_production(self) -> Settings:
        """Production refuses weak or missing secrets and needs PUBLIC_BASE_URL."""
        if self.nexus_env == "production":
            checks.check_production(self)
        return self

    @property
    def trusted_hosts(self) -> list[str]:
        """The Host headers answered (see `setting_checks.trusted_hosts`)."""
        return checks.trusted_hosts(
            self.allowed_hosts, self.public_base_url, production=self.nexus_env == "production"
        )

    @cached_property
    def tmdb_configured(self) -> bool:
        return self.tmdb_read_token is not None or self.tmdb_api_key is not None

    def resolved_jwt_secret(self) -> str:
        """The HMAC secret: configured, or generated once and kept in the data dir (development)."""
        if self.jwt_secret is not None:
            return self.jwt_secret.get_secret_value()
        if self.nexus_env == "production":
            raise ConfigurationError("JWT_SECRET: required in production")
        path = self.nexus_data_dir / "jwt_secret"
        try:
            if path.exists():
                return path.read_text().strip()
            path.parent.mkdir(parents=True, exist_ok=True)
            value = secrets.token_urlsafe(48)
            path.write_text(value)
            path.chmod(0o600)
            return value
        except OSError as exc:
            raise ConfigurationError(
                f"NEXUS_DATA_DIR: cannot keep the generated JWT secret in {path}: {exc.strerror}"
            ) from None


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning a validation error into a one-line `ConfigurationError`."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]).upper() or "settings"
        message = first["msg"].removeprefix("Value error, ")
        raise ConfigurationError(f"{field}: {message}") from None

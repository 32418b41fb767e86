"""Checks of single settings, each raising `ValueError` with the words an operator reads.

`Settings` (settings.py) declares the settings and calls these from its validators.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from app.bootstrap.settings import Settings

# Secrets that appear in tutorials, templates and our own examples: never acceptable in production.
KNOWN_WEAK_SECRETS = frozenset(
    {
        "changeme",
        "change-me",
        "secret",
        "jwt-secret",
        "your-secret-key",
        "please-change-me",
        "development",
        "dev",
        "test",
        "nexus",
    }
)
MIN_PRODUCTION_SECRET_LENGTH = 32
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def split_list(value: object, *, lower: bool = False) -> object:
    """A comma-separated environment value as a list (other values pass through)."""
    if isinstance(value, str):
        items = [item.strip() for item in value.split(",") if item.strip()]
        return [item.lower() for item in items] if lower else items
    return value


def check_rate_limit(value: str) -> str:
    from limits import parse

    try:
        parse(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a rate limit such as '100/hour'") from None
    return value


def check_database_url(value: str | None) -> str | None:
    """The URL with the asyncpg driver named. Parsed with the standard library: settings are
    loaded by every command, `nexus serve`'s supervising process included, which must not carry
    SQLAlchemy for this alone."""
    if value is None or value.strip() == "":
        return None
    scheme, separator, rest = value.strip().partition("://")
    if not separator or not rest or not scheme:
        raise ValueError(
            "not a database URL: expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
        )
    if scheme.split("+", 1)[0].lower() not in {"postgresql", "postgres"}:
        raise ValueError("must be a postgresql:// URL")
    try:
        urlsplit("postgresql://" + rest).port  # noqa: B018 (a port that is not a number raises)
    except ValueError:
        raise ValueError("not a database URL: its port is not a number") from None
    return "postgresql+asyncpg://" + rest


def check_redis_url(value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    if not value.startswith(("redis://", "rediss://", "unix://", "valkey://")):
        raise ValueError("must start with redis://, rediss:// or unix://")
    return value.replace("valkey://", "redis://", 1)


def check_production_secret(secret: str) -> None:
    if (
        len(secret) < MIN_PRODUCTION_SECRET_LENGTH
        or secret.lower() in KNOWN_WEAK_SECRETS
        or len(set(secret)) < 8
    ):
        raise ValueError(
            "JWT_SECRET must be a random secret of at least "
            f"{MIN_PRODUCTION_SECRET_LENGTH} characters in production"
        )


def check_production(settings: Settings) -> None:
    """What production needs beyond single settings: strong secrets (or both RS256 keys), and
    PUBLIC_BASE_URL, since links are never built from the request's Host header."""
    if settings.jwt_algorithm == "RS256":
        if settings.jwt_private_key is None or settings.jwt_public_key is None:
            raise ValueError("JWT_PRIVATE_KEY and JWT_PUBLIC_KEY are required for RS256")
    else:
        secret = settings.jwt_secret
        check_production_secret(secret.get_secret_value() if secret else "")
    if settings.public_base_url is None:
        raise ValueError(
            "PUBLIC_BASE_URL is required in production: links are never built from the "
            "request's Host header"
        )


def check_public_base_url(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("PUBLIC_BASE_URL must be an http(s):// URL such as https://example.com")
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
        raise ValueError("PUBLIC_BASE_URL is scheme://host[:port] only, without a path")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def check_forwarded_allow_ips(value: str) -> str:
    for item in (part.strip() for part in value.split(",")):
        if item in ("*", "") or item.startswith("unix:"):
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network") from None
    return value


def trusted_hosts(
    allowed_hosts: list[str], public_base_url: str | None, *, production: bool
) -> list[str]:
    """ALLOWED_HOSTS, else PUBLIC_BASE_URL's host; loopback names always (health checks run
    there), and Starlette's test client's name outside production."""
    hosts = list(allowed_hosts)
    if not hosts and public_base_url:
        hosts.append(urlsplit(public_base_url).hostname or "")
    hosts.extend(LOOPBACK_HOSTS)
    if not production:
        hosts.append("testserver")
    return hosts

"""The JWT secrets production refuses (`Settings` checks them at start-up)."""

from __future__ import annotations

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


def is_weak_production_secret(secret: str) -> bool:
    """Too short, a known example, or too few distinct characters to be random."""
    return (
        len(secret) < MIN_PRODUCTION_SECRET_LENGTH
        or secret.lower() in KNOWN_WEAK_SECRETS
        or len(set(secret)) < 8
    )

"""What a session is made of: an access token, a refresh token in a family, and the server-side
record of that refresh token. Only a hash of a refresh token's id is ever stored, so a database
leak does not hand out usable tokens."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime


def hash_token_id(jti: str) -> str:
    """The stored form of a token id (sha256 hex)."""
    return hashlib.sha256(jti.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedRefresh:
    """A freshly signed refresh token and the claims the server keeps a record of."""

    token: str
    jti: str
    family_id: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class RefreshClaims:
    """The verified claims of a presented refresh token."""

    user_id: int
    jti: str
    family_id: str


@dataclass(frozen=True, slots=True)
class RefreshRecord:
    """The server's record of one refresh token (see the `refresh_tokens` table)."""

    jti_hash: str
    family_id: str
    user_id: int
    expires_at: datetime
    issued_at: datetime | None = None
    used_at: datetime | None = None
    replaced_by: str | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TokenPair:
    access: str
    refresh: str
    expires_in: int  # seconds until the access token expires
    token_type: str = "bearer"  # noqa: S105 (the OAuth2 token type, not a secret)

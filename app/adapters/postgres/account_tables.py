"""The account tables: users (with their one-to-one profile) and the server-side records of
refresh tokens. Re-exported by `tables.py`, which declares the rest of the schema."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Table,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

from app.adapters.postgres.metadata import metadata, updated_at

users = Table(
    "users",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("username", String(150), nullable=False),
    # RFC 8265 canonical form, computed in Python (app/domain/accounts/usernames.py): unique.
    Column("username_canonical", String(600), nullable=False),
    Column("email", String(254), nullable=False),
    Column("password_hash", String(255), nullable=True),  # NULL: cannot sign in (imported users)
    Column("first_name", String(150), nullable=False, server_default=""),
    Column("last_name", String(150), nullable=False, server_default=""),
    Column("is_active", Boolean, nullable=False, server_default=text("true")),
    Column("is_staff", Boolean, nullable=False, server_default=text("false")),
    # Profile: one-to-one with the user, so kept on the same row.
    Column("favorite_genres", ARRAY(Integer), nullable=False, server_default="{}"),
    Column("bio", String(500), nullable=False, server_default=""),
    Column("avatar_url", String(500), nullable=True),
    # Bumped by triggers whenever the user's ratings or favourite genres change (migration a7c4):
    # cached recommendations are keyed by it.
    Column("taste_version", BigInteger, nullable=False, server_default="0"),
    Column("date_joined", DateTime(timezone=True), nullable=False, server_default=func.now()),
    updated_at(),
    CheckConstraint("char_length(username) >= 3", name="username_length"),
    Index("uq_users_username_canonical", "username_canonical", unique=True),
    Index("uq_users_email_lower", func.lower(text("email")), unique=True),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("jti_hash", String(64), nullable=False, unique=True),  # sha256 hex of the token's jti
    Column("family_id", UUID(as_uuid=True), nullable=False, index=True),
    Column(
        "user_id",
        BigInteger,
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("issued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),  # spent by a rotation
    Column("replaced_by", String(64), nullable=True),  # jti_hash of the token that replaced it
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

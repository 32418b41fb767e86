"""Refresh token records in PostgreSQL: rotation and revocation that hold across processes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.tables import refresh_tokens
from app.domain.accounts.tokens import RefreshRecord

# The first key of the two-key advisory locks that guard a user's sessions (b"RTok").
SESSION_LOCK_NAMESPACE = 0x52546F6B
_INT4 = 2**31


def record_from_row(row: Any) -> RefreshRecord:
    return RefreshRecord(
        jti_hash=row.jti_hash,
        family_id=row.family_id.hex,
        user_id=row.user_id,
        issued_at=row.issued_at,
        expires_at=row.expires_at,
        used_at=row.used_at,
        replaced_by=row.replaced_by,
        revoked_at=row.revoked_at,
    )


class PostgresRefreshTokenStore:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, record: RefreshRecord) -> None:
        values: dict[str, Any] = {
            "jti_hash": record.jti_hash,
            "family_id": uuid.UUID(record.family_id),
            "user_id": record.user_id,
            "expires_at": record.expires_at,
        }
        if record.issued_at is not None:
            values["issued_at"] = record.issued_at
        await self._connection.execute(insert(refresh_tokens).values(**values))

    async def lock_sessions(self, user_id: int) -> None:
        # A transaction-scoped advisory lock: released by the commit or rollback, never leaked.
        # Ids past 2**31 share a key with a smaller one; that only serialises more.
        await self._connection.execute(
            text("SELECT pg_advisory_xact_lock(:namespace, :key)"),
            {"namespace": SESSION_LOCK_NAMESPACE, "key": user_id % _INT4},
        )

    async def family_started_at(self, family_id: str) -> datetime | None:
        try:
            family = uuid.UUID(family_id)
        except ValueError:
            return None
        query = select(func.min(refresh_tokens.c.issued_at)).where(
            refresh_tokens.c.family_id == family
        )
        started: datetime | None = (await self._connection.execute(query)).scalar()
        return started

    async def get_for_update(self, jti_hash: str) -> RefreshRecord | None:
        query = (
            select(refresh_tokens).where(refresh_tokens.c.jti_hash == jti_hash).with_for_update()
        )
        row = (await self._connection.execute(query)).first()
        return record_from_row(row) if row else None

    async def mark_used(self, jti_hash: str, *, replaced_by: str, at: datetime) -> None:
        await self._connection.execute(
            update(refresh_tokens)
            .where(refresh_tokens.c.jti_hash == jti_hash, refresh_tokens.c.used_at.is_(None))
            .values(used_at=at, replaced_by=replaced_by)
        )

    async def revoke_family(self, family_id: str, *, at: datetime) -> int:
        try:
            family = uuid.UUID(family_id)
        except ValueError:
            return 0  # not one of ours: nothing to revoke
        return await self._revoke(refresh_tokens.c.family_id == family, at)

    async def revoke_user(self, user_id: int, *, at: datetime) -> int:
        return await self._revoke(refresh_tokens.c.user_id == user_id, at)

    async def _revoke(self, condition: Any, at: datetime) -> int:
        result = await self._connection.execute(
            update(refresh_tokens)
            .where(condition, refresh_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return int(result.rowcount or 0)

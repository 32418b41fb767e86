"""Users in PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.integrity import translate_integrity_errors
from app.adapters.postgres.tables import users
from app.domain.accounts.usernames import canonical_username
from app.domain.accounts.users import NewUser, User


def user_from_row(row: Any) -> User:
    return User(
        id=row.id,
        username=row.username,
        email=row.email,
        password_hash=row.password_hash,
        first_name=row.first_name,
        last_name=row.last_name,
        is_active=row.is_active,
        is_staff=row.is_staff,
        favorite_genres=tuple(row.favorite_genres or ()),
        bio=row.bio,
        avatar_url=row.avatar_url,
        date_joined=row.date_joined,
        updated_at=row.updated_at,
        taste_version=row.taste_version,
    )


class PostgresUserRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def get(self, user_id: int) -> User | None:
        row = (await self._connection.execute(select(users).where(users.c.id == user_id))).first()
        return user_from_row(row) if row else None

    async def get_by_login(self, username_or_email: str) -> User | None:
        by_username = users.c.username_canonical == canonical_username(username_or_email)
        # Emails compare as their unique index does: lower() on both sides, in PostgreSQL.
        by_email = func.lower(users.c.email) == func.lower(username_or_email.strip())
        query = (
            select(users)
            .where(or_(by_username, by_email))
            # A username match wins over someone else's email that happens to be equal.
            .order_by(by_username.desc())
            .limit(1)
        )
        row = (await self._connection.execute(query)).first()
        return user_from_row(row) if row else None

    async def add(self, user: NewUser) -> User:
        with translate_integrity_errors():
            row = (
                await self._connection.execute(
                    insert(users)
                    .values(
                        username=user.username,
                        username_canonical=canonical_username(user.username),
                        email=user.email,
                        password_hash=user.password_hash,
                        first_name=user.first_name,
                        last_name=user.last_name,
                        favorite_genres=list(user.favorite_genres),
                    )
                    .returning(users)
                )
            ).one()
        return user_from_row(row)

    async def update_account(
        self, user_id: int, *, email: str | None = None, password_hash: str | None = None
    ) -> User | None:
        values: dict[str, Any] = {"updated_at": func.now()}
        if email is not None:
            values["email"] = email
        if password_hash is not None:
            values["password_hash"] = password_hash
        with translate_integrity_errors():
            row = (
                await self._connection.execute(
                    update(users).where(users.c.id == user_id).values(**values).returning(users)
                )
            ).first()
        return user_from_row(row) if row else None

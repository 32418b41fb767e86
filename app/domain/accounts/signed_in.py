"""Who an access token names, for every signed-in request: the port, and the lookup in the
database that a cache can wrap (`app.adapters.redis.active_users`)."""

from __future__ import annotations

from typing import Protocol

from app.domain.accounts.users import User
from app.domain.shared.ports import Database


class ActiveUsers(Protocol):
    async def active(self, user_id: int) -> User | None:
        """The user while their account is active; None for an unknown or inactive one."""
        ...


class DatabaseActiveUsers:
    """The user read from the database on every call."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def active(self, user_id: int) -> User | None:
        async with self._database.unit_of_work() as uow:
            user = await uow.users.get(user_id)
        return user if user is not None and user.is_active else None

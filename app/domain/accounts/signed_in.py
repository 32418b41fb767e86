"""The lookup of a signed-in user in the database (the `ActiveUsers` port of
`app.domain.accounts.ports`), which a cache can wrap (`app.adapters.redis.active_users`)."""

from __future__ import annotations

from app.domain.accounts.users import User
from app.domain.shared.ports import Database


class DatabaseActiveUsers:
    """The user read from the database on every call."""

    def __init__(self, database: Database) -> None:
        self._database = database

    async def active(self, user_id: int) -> User | None:
        async with self._database.unit_of_work() as uow:
            user = await uow.users.get(user_id)
        return user if user is not None and user.is_active else None

    async def taste_changed(self, user: User, taste_version: int) -> None:
        """Nothing kept: the next call reads the database."""

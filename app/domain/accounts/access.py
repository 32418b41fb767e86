"""`Authenticate`: the user an access token speaks for."""

from __future__ import annotations

from app.domain.accounts.ports import ActiveUsers, TokenCodec
from app.domain.accounts.signed_in import DatabaseActiveUsers
from app.domain.accounts.users import User
from app.domain.shared.errors import TokenInvalid
from app.domain.shared.ports import Database


class Authenticate:
    """A valid access token of an active user answers that user; a bad token, a deleted or an
    inactive user is `TokenInvalid` (a `NotAuthenticated`). The user is read through
    `active_users` (a cache in front of the database, `app.adapters.redis.active_users`), else
    from the database."""

    def __init__(
        self, database: Database, tokens: TokenCodec, active_users: ActiveUsers | None = None
    ) -> None:
        self._tokens = tokens
        self._users = active_users if active_users is not None else DatabaseActiveUsers(database)

    async def __call__(self, access_token: str) -> User:
        user_id = self._tokens.user_id_from_access(access_token)
        user = await self._users.active(user_id)
        if user is None or not user.is_active:
            raise TokenInvalid("User not found or inactive.")
        return user

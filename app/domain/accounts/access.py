"""`Authenticate`: the user an access token speaks for."""

from __future__ import annotations

from app.domain.accounts.ports import TokenCodec
from app.domain.accounts.users import User
from app.domain.shared.errors import TokenInvalid
from app.domain.shared.ports import Database


class Authenticate:
    """A valid access token of an active user answers that user; a bad token, a deleted or an
    inactive user is `TokenInvalid` (a `NotAuthenticated`)."""

    def __init__(self, database: Database, tokens: TokenCodec) -> None:
        self._database, self._tokens = database, tokens

    async def __call__(self, access_token: str) -> User:
        user_id = self._tokens.user_id_from_access(access_token)
        async with self._database.unit_of_work() as uow:
            user = await uow.users.get(user_id)
        if user is None or not user.is_active:
            raise TokenInvalid("User not found or inactive.")
        return user

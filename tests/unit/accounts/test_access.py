"""`Authenticate`: from an access token to the signed-in user, against the fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from app.adapters.security.jwt_tokens import JoseTokenCodec
from app.bootstrap.use_cases import build_accounts
from app.domain.accounts.users import User
from app.domain.shared.errors import NotAuthenticated
from tests.support.fakes import FakeDatabase, FakePasswordHasher

CODEC = JoseTokenCodec(
    algorithm="HS256",
    signing_key="k" * 40,
    verifying_key="k" * 40,
    issuer="nexus",
    access_lifetime=timedelta(minutes=15),
    refresh_lifetime=timedelta(days=7),
)


async def test_a_valid_token_of_an_active_user_is_that_user() -> None:
    database = FakeDatabase()
    alice = database.add_user("alice")
    authenticate = build_accounts(
        database, FakePasswordHasher(), CODEC, refresh_grace=timedelta(seconds=5)
    ).authenticate

    assert await authenticate(CODEC.issue_access(alice.id)) == alice

    for token in ("not-a-token", CODEC.issue_refresh_token(alice.id, "f" * 32).token):
        with pytest.raises(NotAuthenticated):
            await authenticate(token)
    with pytest.raises(NotAuthenticated, match="inactive"):
        await authenticate(CODEC.issue_access(alice.id + 1000))
    database.store.users[alice.id] = replace(alice, is_active=False)
    with pytest.raises(NotAuthenticated, match="inactive"):
        await authenticate(CODEC.issue_access(alice.id))


class RememberedUsers:
    """An `ActiveUsers` that answers from what it was given, never the database."""

    def __init__(self, *known: User) -> None:
        self.known = {user.id: user for user in known}
        self.asked: list[int] = []

    async def active(self, user_id: int) -> User | None:
        self.asked.append(user_id)
        return self.known.get(user_id)

    async def taste_changed(self, user: User, taste_version: int) -> None:
        self.known[user.id] = replace(user, taste_version=taste_version)


async def test_the_user_is_read_through_active_users_when_given() -> None:
    database = FakeDatabase()
    alice = database.add_user("alice")
    remembered = replace(alice, email="remembered@example.com")
    active_users = RememberedUsers(remembered)
    authenticate = build_accounts(
        database,
        FakePasswordHasher(),
        CODEC,
        refresh_grace=timedelta(seconds=5),
        active_users=active_users,
    ).authenticate

    assert await authenticate(CODEC.issue_access(alice.id)) == remembered
    with pytest.raises(NotAuthenticated, match="inactive"):
        await authenticate(CODEC.issue_access(alice.id + 1000))
    assert active_users.asked == [alice.id, alice.id + 1000]

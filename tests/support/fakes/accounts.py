"""Fakes of the account ports: users, refresh token records and password hashing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from app.domain.accounts.ports import PasswordHasher
from app.domain.accounts.tokens import RefreshRecord
from app.domain.accounts.usernames import canonical_username
from app.domain.accounts.users import NewUser, User
from app.domain.shared.errors import Conflict
from tests.support.fakes.store import FakeStore, NewId, now


class FakeUserRepository:
    def __init__(self, store: FakeStore, new_id: NewId) -> None:
        self._store, self._new_id = store, new_id

    async def get(self, user_id: int) -> User | None:
        return self._store.users.get(user_id)

    async def get_by_login(self, username_or_email: str) -> User | None:
        name, login = canonical_username(username_or_email), username_or_email.strip().lower()
        users = self._store.users.values()
        by_name = [u for u in users if canonical_username(u.username) == name]
        by_email = [u for u in users if u.email.lower() == login]
        found = by_name or by_email
        return found[0] if found else None

    async def add(self, user: NewUser) -> User:
        self._check_unique(user.username, user.email, None)
        created = User(
            id=self._new_id(),
            username=user.username,
            email=user.email,
            password_hash=user.password_hash,
            first_name=user.first_name,
            last_name=user.last_name,
            favorite_genres=user.favorite_genres,
            date_joined=now(),
        )
        self._store.users[created.id] = created
        return created

    async def update_account(
        self, user_id: int, *, email: str | None = None, password_hash: str | None = None
    ) -> User | None:
        user = self._store.users.get(user_id)
        if user is None:
            return None
        if email is not None:
            self._check_unique(None, email, user_id)
            user = replace(user, email=email)
        if password_hash is not None:
            user = replace(user, password_hash=password_hash)
        self._store.users[user_id] = user
        return user

    def _check_unique(self, username: str | None, email: str, own_id: int | None) -> None:
        for other in self._store.users.values():
            if other.id == own_id:
                continue
            if username is not None and canonical_username(other.username) == canonical_username(
                username
            ):
                raise Conflict("A user with that username already exists.")
            if other.email.lower() == email.lower():
                raise Conflict("A user with that email already exists.")


class FakeRefreshTokenStore:
    def __init__(self, store: FakeStore, session_locks: list[int] | None = None) -> None:
        self._tokens = store.refresh_tokens
        # The users whose sessions were locked, in order (shared with `FakeDatabase`).
        self._session_locks = [] if session_locks is None else session_locks

    async def add(self, record: RefreshRecord) -> None:
        if record.jti_hash in self._tokens:
            raise Conflict("duplicate token id")
        self._tokens[record.jti_hash] = record

    async def lock_sessions(self, user_id: int) -> None:
        self._session_locks.append(user_id)

    async def family_started_at(self, family_id: str) -> datetime | None:
        issued = [
            record.issued_at
            for record in self._tokens.values()
            if record.family_id == family_id and record.issued_at is not None
        ]
        return min(issued, default=None)

    async def get_for_update(self, jti_hash: str) -> RefreshRecord | None:
        return self._tokens.get(jti_hash)

    async def mark_used(self, jti_hash: str, *, replaced_by: str, at: datetime) -> None:
        record = self._tokens.get(jti_hash)
        if record is not None and record.used_at is None:
            self._tokens[jti_hash] = replace(record, used_at=at, replaced_by=replaced_by)

    async def revoke_family(self, family_id: str, *, at: datetime) -> int:
        return self._revoke(lambda record: record.family_id == family_id, at)

    async def revoke_user(self, user_id: int, *, at: datetime) -> int:
        return self._revoke(lambda record: record.user_id == user_id, at)

    def _revoke(self, matches: Callable[[RefreshRecord], bool], at: datetime) -> int:
        revoked = 0
        for key, record in list(self._tokens.items()):
            if matches(record) and record.revoked_at is None:
                self._tokens[key] = replace(record, revoked_at=at)
                revoked += 1
        return revoked


class FakePasswordHasher:
    """Readable "hashes" tagged with a cost; records the verifications made without a hash."""

    def __init__(self, cost: int = 2) -> None:
        self.cost = cost
        self.dummy_verifications = 0

    async def hash(self, password: str) -> str:
        return f"fake${self.cost}${password}"

    async def verify(self, password: str, password_hash: str | None) -> tuple[bool, str | None]:
        if password_hash is None:
            self.dummy_verifications += 1
            return False, None
        _, cost, stored = password_hash.split("$", 2)
        if stored != password:
            return False, None
        return True, (await self.hash(password) if int(cost) != self.cost else None)


if TYPE_CHECKING:  # mypy checks that the fake implements the whole port
    _HASHER: PasswordHasher = FakePasswordHasher()

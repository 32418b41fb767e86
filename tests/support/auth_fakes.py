"""In-memory fakes of the ports the account and session use cases need. A unit of work works on a
copy of the data and writes it back only on `commit()`, as the real one does."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from app.domain.accounts.tokens import RefreshRecord
from app.domain.accounts.usernames import canonical_username
from app.domain.accounts.users import NewUser, User
from app.domain.shared.errors import Conflict


@dataclass
class AuthData:
    users: dict[int, User] = field(default_factory=dict)
    tokens: dict[str, RefreshRecord] = field(default_factory=dict)
    next_id: int = 1


class FakeUserRepository:
    def __init__(self, data: AuthData) -> None:
        self._data = data

    async def get(self, user_id: int) -> User | None:
        return self._data.users.get(user_id)

    async def get_by_login(self, username_or_email: str) -> User | None:
        name, login = canonical_username(username_or_email), username_or_email.strip().lower()
        by_name = [u for u in self._data.users.values() if canonical_username(u.username) == name]
        by_email = [u for u in self._data.users.values() if u.email.lower() == login]
        return (by_name or by_email or [None])[0]

    async def add(self, user: NewUser) -> User:
        self._check_unique(user.username, user.email, None)
        created = User(
            id=self._data.next_id,
            username=user.username,
            email=user.email,
            password_hash=user.password_hash,
            first_name=user.first_name,
            last_name=user.last_name,
            favorite_genres=user.favorite_genres,
            date_joined=datetime.now(UTC),
        )
        self._data.users[created.id] = created
        self._data.next_id += 1
        return created

    async def update_account(
        self, user_id: int, *, email: str | None = None, password_hash: str | None = None
    ) -> User | None:
        user = self._data.users.get(user_id)
        if user is None:
            return None
        if email is not None:
            self._check_unique(None, email, user_id)
            user = replace(user, email=email)
        if password_hash is not None:
            user = replace(user, password_hash=password_hash)
        self._data.users[user_id] = user
        return user

    def _check_unique(self, username: str | None, email: str, own_id: int | None) -> None:
        for other in self._data.users.values():
            if other.id == own_id:
                continue
            if username is not None and canonical_username(other.username) == canonical_username(
                username
            ):
                raise Conflict("A user with that username already exists.")
            if other.email.lower() == email.lower():
                raise Conflict("A user with that email already exists.")


class FakeRefreshTokenStore:
    def __init__(self, data: AuthData) -> None:
        self._data = data

    async def add(self, record: RefreshRecord) -> None:
        if record.jti_hash in self._data.tokens:
            raise Conflict("duplicate token id")
        self._data.tokens[record.jti_hash] = record

    async def get_for_update(self, jti_hash: str) -> RefreshRecord | None:
        return self._data.tokens.get(jti_hash)

    async def mark_used(self, jti_hash: str, *, replaced_by: str, at: datetime) -> None:
        record = self._data.tokens.get(jti_hash)
        if record is not None and record.used_at is None:
            self._data.tokens[jti_hash] = replace(record, used_at=at, replaced_by=replaced_by)

    async def revoke_family(self, family_id: str, *, at: datetime) -> int:
        return self._revoke(lambda r: r.family_id == family_id, at)

    async def revoke_user(self, user_id: int, *, at: datetime) -> int:
        return self._revoke(lambda r: r.user_id == user_id, at)

    def _revoke(self, matches, at: datetime) -> int:  # type: ignore[no-untyped-def]
        revoked = 0
        for key, record in list(self._data.tokens.items()):
            if matches(record) and record.revoked_at is None:
                self._data.tokens[key] = replace(record, revoked_at=at)
                revoked += 1
        return revoked


class FakeUnitOfWork:
    def __init__(self, database: FakeDatabase) -> None:
        self._database = database
        self._data = AuthData()

    async def __aenter__(self) -> FakeUnitOfWork:
        self._data = copy.deepcopy(self._database.data)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        return None

    async def commit(self) -> None:
        self._database.data = copy.deepcopy(self._data)
        self._database.commits += 1

    async def rollback(self) -> None:
        self._data = copy.deepcopy(self._database.data)

    @property
    def users(self) -> FakeUserRepository:
        return FakeUserRepository(self._data)

    @property
    def refresh_tokens(self) -> FakeRefreshTokenStore:
        return FakeRefreshTokenStore(self._data)


class FakeDatabase:
    def __init__(self) -> None:
        self.data = AuthData()
        self.commits = 0

    def unit_of_work(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)

    async def ping(self) -> bool:
        return True


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

"""The ports the core needs, as `typing.Protocol`s. Adapters in `app/adapters` implement them;
in-memory fakes in `tests/fakes` implement them too, and one contract suite checks both."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from app.domain.users import NewUser, User


class Cache(Protocol):
    """Bytes by key with a time to live. Misses and an unreachable backend both answer `None`:
    a cache is an optimisation, never a reason to fail a request."""

    async def get(self, key: str) -> bytes | None: ...

    async def set(self, key: str, value: bytes, ttl_seconds: float) -> None: ...

    async def delete(self, *keys: str) -> None: ...

    async def get_or_set(
        self, key: str, ttl_seconds: float, produce: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        """The cached value, else `produce()` stored under `key`; concurrent misses for one key
        in this process share a single `produce()` call."""
        ...

    async def ping(self) -> bool: ...


class UnitOfWork(Protocol):
    """One database transaction per use case: nothing is written unless `commit()` is called;
    leaving the `async with` block without committing rolls back."""

    async def __aenter__(self) -> UnitOfWork: ...

    async def __aexit__(self, *exc_info: object) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    @property
    def users(self) -> UserRepository: ...


class Database(Protocol):
    """A fresh unit of work per use case, and a readiness probe."""

    def unit_of_work(self) -> UnitOfWork: ...

    async def ping(self) -> bool: ...


class UserRepository(Protocol):
    async def get(self, user_id: int) -> User | None: ...

    async def get_by_login(self, username_or_email: str) -> User | None:
        """Case-insensitive match on the username, else on the email."""
        ...

    async def add(self, user: NewUser) -> User: ...


class AccessTokens(Protocol):
    """Issues and checks signed access tokens; raises `NotAuthenticated` for any bad token."""

    def issue_access(self, user_id: int) -> str: ...

    def user_id_from_access(self, token: str) -> int: ...

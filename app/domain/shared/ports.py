"""The ports every feature shares: the unit of work and the database handing it out, the cache,
and the lock that keeps periodic jobs to one replica. Each feature's repositories live in that
feature's `ports.py`. Adapters in `app/adapters` implement them; the in-memory fakes in
`tests/support/fakes` implement them too, and one contract suite checks both."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from app.domain.accounts.ports import RefreshTokenStore, UserRepository
    from app.domain.catalogue.ports import CatalogueWriter, GenreRepository, MovieRepository
    from app.domain.social.ports import (
        PlaylistRepository,
        ProfileRepository,
        RatingRepository,
        StatsRepository,
    )


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

    @property
    def ratings(self) -> RatingRepository: ...

    @property
    def playlists(self) -> PlaylistRepository: ...

    @property
    def profiles(self) -> ProfileRepository: ...

    @property
    def stats(self) -> StatsRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenStore: ...

    @property
    def catalogue(self) -> CatalogueWriter: ...

    @property
    def movies(self) -> MovieRepository: ...

    @property
    def genres(self) -> GenreRepository: ...


class Database(Protocol):
    """A fresh unit of work per use case, and a readiness probe."""

    def unit_of_work(self) -> UnitOfWork: ...

    async def ping(self) -> bool: ...


class JobLock(Protocol):
    """Keeps a periodic job (a TMDb sync, a model build) to one replica at a time."""

    def try_hold(self, name: str) -> AbstractAsyncContextManager[bool]:
        """Held for the `async with` block when the answer is True; False when another process
        holds it (never waits)."""
        ...

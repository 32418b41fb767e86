"""`FakeDatabase`: the in-memory `Database` every unit and contract suite uses. Its unit of work
edits a copy of the tables: nothing is written unless `commit()` is called, and a commit writes
back only the rows the unit of work changed, so concurrent units of work keep each other's
writes (without the real one's locks)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from app.domain.accounts.users import User
from app.domain.catalogue.movies import Genre, Movie
from app.domain.shared.ports import Database, UnitOfWork
from tests.support.fakes.accounts import FakeRefreshTokenStore, FakeUserRepository
from tests.support.fakes.catalogue_writer import FakeCatalogueWriter
from tests.support.fakes.movies import FakeGenreRepository, FakeMovieRepository
from tests.support.fakes.playlists import FakePlaylistRepository
from tests.support.fakes.profiles import FakeProfileRepository, FakeStatsRepository
from tests.support.fakes.ratings import FakeRatingRepository
from tests.support.fakes.store import FakeStore, IdSequence, now


class FakeUnitOfWork:
    def __init__(self, database: FakeDatabase) -> None:
        self._database = database
        self._work = FakeStore()

    async def __aenter__(self) -> FakeUnitOfWork:
        self._work = self._database.store.snapshot()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.rollback()

    async def commit(self) -> None:
        self._database.store.apply(self._work)
        self._database.commits += 1

    async def rollback(self) -> None:
        """Forget what was not committed; what was committed stays."""
        self._work = self._database.store.snapshot()

    @property
    def users(self) -> FakeUserRepository:
        return FakeUserRepository(self._work, self._database.new_id)

    @property
    def refresh_tokens(self) -> FakeRefreshTokenStore:
        return FakeRefreshTokenStore(self._work, self._database.session_locks)

    @property
    def movies(self) -> FakeMovieRepository:
        return FakeMovieRepository(self._work, self._database.new_id)

    @property
    def genres(self) -> FakeGenreRepository:
        return FakeGenreRepository(self._work)

    @property
    def catalogue(self) -> FakeCatalogueWriter:
        return FakeCatalogueWriter(self._work, self._database.new_id)

    @property
    def ratings(self) -> FakeRatingRepository:
        return FakeRatingRepository(self._work, self._database.new_id)

    @property
    def playlists(self) -> FakePlaylistRepository:
        return FakePlaylistRepository(self._work, self._database.new_id)

    @property
    def profiles(self) -> FakeProfileRepository:
        return FakeProfileRepository(self._work)

    @property
    def stats(self) -> FakeStatsRepository:
        return FakeStatsRepository(self._work)


class FakeDatabase:
    """The committed tables are `store`; the `add_*` helpers seed them directly."""

    def __init__(self) -> None:
        self.store = FakeStore()
        self.new_id = IdSequence()
        self.commits = 0
        self.reachable = True
        self.session_locks: list[int] = []  # users whose sessions a unit of work locked

    def unit_of_work(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)

    async def ping(self) -> bool:
        return self.reachable

    def add_user(self, username: str, **fields: Any) -> User:
        user = User(
            id=self.new_id(),
            username=username,
            email=f"{username}@example.com",
            password_hash=None,
            date_joined=now(),
        )
        user = replace(user, **fields)
        self.store.users[user.id] = user
        return user

    def add_genres(self, *genres: Genre) -> None:
        self.store.genres.update({genre.id: genre for genre in genres})

    def add_movie(self, title: str = "A Movie", **fields: Any) -> int:
        at = now()
        movie = replace(
            Movie(id=self.new_id(), title=title, created_at=at, updated_at=at), **fields
        )
        self.store.movies[movie.id] = movie
        return movie.id


if TYPE_CHECKING:  # mypy checks that the fakes implement the whole ports
    _DATABASE: Database = FakeDatabase()
    _UNIT_OF_WORK: UnitOfWork = FakeUnitOfWork(FakeDatabase())

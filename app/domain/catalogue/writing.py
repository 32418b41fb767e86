"""The ports the catalogue's writers need: the store that upserts what TMDb says, and a lock that
keeps several replicas from syncing at once. Referenced from `app.domain.shared.ports`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol

from app.domain.catalogue.movies import Genre, MovieData
from app.domain.tmdb.ports import TrendingWindow


@dataclass(frozen=True, slots=True)
class UpsertOutcome:
    """What one upsert did: movies inserted, movies whose data changed, movies left as they were.
    `ids` maps each TMDb id written to our id."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ids: tuple[tuple[int, int], ...] = ()


class CatalogueWriter(Protocol):
    async def upsert_genres(self, genres: Iterable[Genre]) -> None: ...

    async def upsert_movies(self, movies: Sequence[MovieData]) -> UpsertOutcome:
        """Insert or update by TMDb id in one statement; rows whose data did not change keep
        their `updated_at`; fields a source leaves empty (runtime...) keep what we had."""
        ...

    async def local_ids(self, tmdb_ids: Iterable[int]) -> dict[int, int]:
        """Our movie id for each of these TMDb ids that is in the catalogue, in one query."""
        ...

    async def stored(self, tmdb_id: int) -> tuple[int, MovieData, tuple[Genre, ...]] | None:
        """Our id, data and named genres of the catalogue's movie with this TMDb id."""
        ...

    async def replace_trending(
        self, window: TrendingWindow, ranked: Sequence[tuple[int, int]]
    ) -> None:
        """Replace the window's trending list with these (rank, our movie id), stamped with the
        transaction's time."""
        ...


class SyncLock(Protocol):
    def try_hold(self, name: str) -> AbstractAsyncContextManager[bool]:
        """Held for the `async with` block when the answer is True; False when another process
        holds it (never waits)."""
        ...

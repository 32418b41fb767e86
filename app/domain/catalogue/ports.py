"""The ports of the catalogue: the repositories its readers and staff writers use, and the writer
that upserts what TMDb says."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from app.domain.catalogue.movies import Genre, Movie, MovieData
from app.domain.catalogue.queries import MovieQuery
from app.domain.shared.pagination import PageRequest
from app.domain.social.ratings import Rating
from app.domain.tmdb.ports import TrendingWindow


class MovieRepository(Protocol):
    async def count(self, query: MovieQuery) -> int:
        """How many movies match the filters (ordering ignored)."""
        ...

    async def page(self, query: MovieQuery, page: PageRequest) -> list[Movie]:
        """One page of matches in the query's order, ties broken by id."""
        ...

    async def page_with_count(
        self, query: MovieQuery, page: PageRequest
    ) -> tuple[list[Movie], int]:
        """A page of a search and the number of results it serves: every match, ranked, when
        at most `MAX_SEARCH_RESULTS` match; otherwise that many of the most popular matches plus
        as many of the most popular exact title matches, ranked the same way. The count is 0
        past the end."""
        ...

    async def recently_added(self, limit: int) -> list[Movie]:
        """The movies most recently added to the catalogue, newest first."""
        ...

    async def top_rated(self, min_votes: int, limit: int) -> list[Movie]:
        """At least `min_votes` TMDb votes, best vote average first."""
        ...

    async def get(self, movie_id: int, *, for_update: bool = False) -> Movie | None: ...

    async def rating_distribution(self, movie_id: int) -> dict[int, int]:
        """Local ratings by score; scores nobody gave are absent."""
        ...

    async def rating_by(self, user_id: int, movie_id: int) -> Rating | None: ...

    async def add(self, data: MovieData) -> Movie:
        """Raises `Conflict` when the TMDb id is already in the catalogue."""
        ...

    async def replace(self, movie_id: int, data: MovieData) -> Movie:
        """Every field from `data`; the local aggregates and `created_at` stay."""
        ...

    async def delete(self, movie_id: int) -> bool: ...


class GenreRepository(Protocol):
    async def all(self) -> list[Genre]:
        """Every genre, by name."""
        ...

    async def by_ids(self, genre_ids: Iterable[int]) -> dict[int, Genre]: ...

    async def matching(self, ids: Iterable[int], lower_names: Iterable[str]) -> list[Genre]:
        """Genres whose id is one of `ids` or whose name, case-insensitively, is in `names`."""
        ...


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

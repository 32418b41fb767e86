"""An in-memory catalogue store and unit of work for the TMDb use cases' unit tests. Writes are
staged per unit of work and applied on `commit()`, like a transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.domain.catalogue.movies import Genre, MovieData
from app.domain.catalogue.writing import UpsertOutcome


@dataclass
class CatalogueState:
    movies: dict[int, tuple[int, MovieData]] = field(default_factory=dict)  # tmdb id -> (id, data)
    genres: dict[int, str] = field(default_factory=dict)
    trending: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # (rank, id)
    next_id: int = 1


class InMemoryCatalogueWriter:
    def __init__(self, state: CatalogueState) -> None:
        self._state = state
        self.staged_movies: dict[int, tuple[int, MovieData]] = {}
        self.staged_genres: dict[int, str] = {}
        self.staged_trending: dict[str, list[tuple[int, int]]] = {}

    async def upsert_genres(self, genres: Iterable[Genre]) -> None:
        self.staged_genres.update({genre.id: genre.name for genre in genres})

    async def upsert_movies(self, movies: Sequence[MovieData]) -> UpsertOutcome:
        created = updated = unchanged = 0
        ids = []
        for movie in {m.tmdb_id: m for m in movies if m.tmdb_id is not None}.values():
            assert movie.tmdb_id is not None
            current = self.staged_movies.get(movie.tmdb_id) or self._state.movies.get(movie.tmdb_id)
            if current is None:
                local_id = self._state.next_id
                self._state.next_id += 1
                created += 1
            elif current[1] == movie:
                unchanged += 1
                continue
            else:
                local_id = current[0]
                updated += 1
            self.staged_movies[movie.tmdb_id] = (local_id, movie)
            ids.append((movie.tmdb_id, local_id))
        return UpsertOutcome(created, updated, unchanged, tuple(ids))

    async def local_ids(self, tmdb_ids: Iterable[int]) -> dict[int, int]:
        return {i: self._state.movies[i][0] for i in tmdb_ids if i in self._state.movies}

    async def stored(self, tmdb_id: int) -> tuple[int, MovieData, tuple[Genre, ...]] | None:
        if tmdb_id not in self._state.movies:
            return None
        local_id, movie = self._state.movies[tmdb_id]
        names = self._state.genres
        return local_id, movie, tuple(Genre(g, names[g]) for g in movie.genre_ids if g in names)

    async def replace_trending(self, window: str, ranked: Sequence[tuple[int, int]]) -> None:
        self.staged_trending[window] = list(ranked)

    def apply(self) -> None:
        self._state.movies.update(self.staged_movies)
        self._state.genres.update(self.staged_genres)
        self._state.trending.update(self.staged_trending)
        self.staged_movies, self.staged_genres, self.staged_trending = {}, {}, {}


class InMemoryCatalogueUnitOfWork:
    def __init__(self, state: CatalogueState) -> None:
        self.catalogue = InMemoryCatalogueWriter(state)

    async def __aenter__(self) -> InMemoryCatalogueUnitOfWork:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.catalogue.staged_movies, self.catalogue.staged_genres = {}, {}
        self.catalogue.staged_trending = {}

    async def commit(self) -> None:
        self.catalogue.apply()


class InMemoryCatalogueDatabase:
    def __init__(self) -> None:
        self.state = CatalogueState()

    def unit_of_work(self) -> InMemoryCatalogueUnitOfWork:
        return InMemoryCatalogueUnitOfWork(self.state)

    async def ping(self) -> bool:
        return True

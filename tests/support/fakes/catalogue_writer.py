"""Fake of the `CatalogueWriter`: upserts by TMDb id into the fake's movies and genres."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields, replace

from app.domain.catalogue.movies import Genre, Movie, MovieData
from app.domain.catalogue.ports import UpsertOutcome
from app.domain.tmdb.ports import TrendingWindow
from tests.support.fakes.store import FakeStore, NewId, now

# Only TMDb's `/movie/{id}` states these: a list item's None keeps what was stored.
DETAILS_FIELDS = ("imdb_id", "tagline", "status", "runtime")
# What the writer stores of a TMDb movie (MovieLens ids are the importer's business).
WRITTEN_FIELDS = tuple(f.name for f in fields(MovieData) if f.name != "movielens_id")


def stored_data(movie: Movie) -> MovieData:
    return MovieData(**{name: getattr(movie, name) for name in WRITTEN_FIELDS})


class FakeCatalogueWriter:
    def __init__(self, store: FakeStore, new_id: NewId) -> None:
        self._store, self._new_id = store, new_id

    async def upsert_genres(self, genres: Iterable[Genre]) -> None:
        self._store.genres.update({genre.id: genre for genre in genres})

    async def upsert_movies(self, movies: Sequence[MovieData]) -> UpsertOutcome:
        by_tmdb_id = {movie.tmdb_id: movie for movie in movies if movie.tmdb_id is not None}
        local = await self.local_ids(by_tmdb_id)
        created = updated = unchanged = 0
        ids = []
        for tmdb_id in sorted(by_tmdb_id):
            movie = by_tmdb_id[tmdb_id]
            values = {name: getattr(movie, name) for name in WRITTEN_FIELDS}
            if tmdb_id not in local:
                at = now()
                row = Movie(id=self._new_id(), created_at=at, updated_at=at, **values)
                created += 1
            else:
                current = self._store.movies[local[tmdb_id]]
                for name in DETAILS_FIELDS:
                    if values[name] is None:
                        values[name] = getattr(current, name)
                if MovieData(**values) == stored_data(current):
                    unchanged += 1
                    continue
                row = replace(current, updated_at=now(), **values)
                updated += 1
            self._store.movies[row.id] = row
            ids.append((tmdb_id, row.id))
        return UpsertOutcome(created, updated, unchanged, tuple(ids))

    async def local_ids(self, tmdb_ids: Iterable[int]) -> dict[int, int]:
        wanted = set(tmdb_ids)
        return {m.tmdb_id: m.id for m in self._store.movies.values() if m.tmdb_id in wanted}

    async def stored(self, tmdb_id: int) -> tuple[int, MovieData, tuple[Genre, ...]] | None:
        found = [m for m in self._store.movies.values() if m.tmdb_id == tmdb_id]
        if not found:
            return None
        genres = self._store.genres
        named = tuple(genres[g] for g in found[0].genre_ids if g in genres)
        return found[0].id, stored_data(found[0]), named

    async def replace_trending(
        self, window: TrendingWindow, ranked: Sequence[tuple[int, int]]
    ) -> None:
        self._store.trending[window] = list(ranked)

"""Fakes of the catalogue's repositories. Search is a plain word match: ranking rules are
PostgreSQL's and are tested against PostgreSQL."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import fields, replace
from datetime import UTC, datetime

from app.domain.catalogue.movies import Genre, Movie, MovieData
from app.domain.catalogue.queries import MovieQuery, words
from app.domain.shared.errors import Conflict
from app.domain.shared.pagination import PageRequest
from app.domain.social.ratings import Rating
from tests.support.fakes.store import FakeStore, NewId

DATA_FIELDS = [item.name for item in fields(MovieData)]


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _matches(movie: Movie, query: MovieQuery) -> bool:
    year = movie.release_year
    checks = [
        query.year is None or year == query.year,
        query.year_gte is None or (year is not None and year >= query.year_gte),
        query.year_lte is None or (year is not None and year <= query.year_lte),
        query.min_rating is None or movie.vote_average >= query.min_rating,
        query.max_rating is None or movie.vote_average <= query.max_rating,
        query.min_popularity is None or movie.popularity >= query.min_popularity,
        query.min_runtime is None or (movie.runtime or -1) >= query.min_runtime,
        query.max_runtime is None
        or (movie.runtime is not None and movie.runtime <= query.max_runtime),
        query.min_votes is None or movie.vote_count >= query.min_votes,
        not query.language or movie.original_language == query.language.strip().lower(),
    ]
    if query.genre_ids:
        have = set(movie.genre_ids)
        wanted = set(query.genre_ids)
        checks.append(bool(have & wanted) if query.genre_mode == "any" else wanted <= have)
    if query.search_text:
        text = " ".join((movie.title, movie.original_title, movie.overview))
        checks.append(_has_words(text, words(query.search_text)))
    if query.title and query.title.strip():
        checks.append(_has_words(movie.title, query.title_words))
    return all(checks)


def _has_words(text: str, terms: tuple[str, ...]) -> bool:
    have = words(folded(text))
    wanted = [folded(term) for term in terms]
    if not wanted:
        return False
    *whole, last = wanted
    return all(term in have for term in whole) and any(word.startswith(last) for word in have)


class FakeMovieRepository:
    def __init__(self, store: FakeStore, new_id: NewId) -> None:
        self.data, self._new_id = store, new_id

    def _found(self, query: MovieQuery) -> list[Movie]:
        found = [movie for movie in self.data.movies.values() if _matches(movie, query)]
        name = query.order_field
        present = [movie for movie in found if getattr(movie, name) is not None]
        missing = [movie for movie in found if getattr(movie, name) is None]
        present.sort(key=lambda movie: (getattr(movie, name), movie.id), reverse=query.descending)
        missing.sort(key=lambda movie: movie.id, reverse=query.descending)
        return present + missing  # missing values last both ways, as NULLS LAST orders them

    async def count(self, query: MovieQuery) -> int:
        return len(self._found(query))

    async def page(self, query: MovieQuery, page: PageRequest) -> list[Movie]:
        return self._found(query)[page.offset : page.offset + page.limit]

    async def page_with_count(
        self, query: MovieQuery, page: PageRequest
    ) -> tuple[list[Movie], int]:
        items = await self.page(query, page)
        return items, (await self.count(query) if items else 0)

    async def recently_added(self, limit: int) -> list[Movie]:
        movies = self.data.movies.values()
        return sorted(movies, key=lambda m: (m.created_at, m.id), reverse=True)[:limit]

    async def top_rated(self, min_votes: int, limit: int) -> list[Movie]:
        voted = [m for m in self.data.movies.values() if m.vote_count >= min_votes]
        return sorted(voted, key=lambda m: (m.vote_average, m.id), reverse=True)[:limit]

    async def get(self, movie_id: int, *, for_update: bool = False) -> Movie | None:
        return self.data.movies.get(movie_id)

    async def rating_distribution(self, movie_id: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        for rating in self.data.ratings.values():
            if rating.movie_id == movie_id:
                counts[rating.score] = counts.get(rating.score, 0) + 1
        return counts

    async def rating_by(self, user_id: int, movie_id: int) -> Rating | None:
        found = [
            r for r in self.data.ratings.values() if (r.user_id, r.movie_id) == (user_id, movie_id)
        ]
        return found[0] if found else None

    async def add(self, data: MovieData) -> Movie:
        self._check_tmdb_id(data.tmdb_id, None)
        at = datetime.now(UTC)
        movie = Movie(
            id=self._new_id(),
            created_at=at,
            updated_at=at,
            **{name: getattr(data, name) for name in DATA_FIELDS},
        )
        self.data.movies[movie.id] = movie
        return movie

    async def replace(self, movie_id: int, data: MovieData) -> Movie:
        self._check_tmdb_id(data.tmdb_id, movie_id)
        values = {name: getattr(data, name) for name in DATA_FIELDS}
        movie = replace(self.data.movies[movie_id], updated_at=datetime.now(UTC), **values)
        self.data.movies[movie_id] = movie
        return movie

    async def delete(self, movie_id: int) -> bool:
        """The movie's ratings and playlist entries go with it, as the database cascades."""
        if self.data.movies.pop(movie_id, None) is None:
            return False
        for rating_id in [i for i, r in self.data.ratings.items() if r.movie_id == movie_id]:
            del self.data.ratings[rating_id]
        for playlist_id, items in self.data.playlist_items.items():
            self.data.playlist_items[playlist_id] = [item for item in items if item[0] != movie_id]
        return True

    def _check_tmdb_id(self, tmdb_id: int | None, movie_id: int | None) -> None:
        if tmdb_id is not None and any(
            m.tmdb_id == tmdb_id and m.id != movie_id for m in self.data.movies.values()
        ):
            raise Conflict(
                "A movie with that TMDb id already exists.",
                details=[{"field": "tmdb_id", "message": "taken"}],
            )


class FakeGenreRepository:
    def __init__(self, store: FakeStore) -> None:
        self.data = store

    async def all(self) -> list[Genre]:
        return sorted(self.data.genres.values(), key=lambda genre: genre.name)

    async def by_ids(self, genre_ids: Iterable[int]) -> dict[int, Genre]:
        return {i: self.data.genres[i] for i in set(genre_ids) if i in self.data.genres}

    async def matching(self, ids: Iterable[int], lower_names: Iterable[str]) -> list[Genre]:
        ids, names = set(ids), set(lower_names)
        return [g for g in self.data.genres.values() if g.id in ids or g.name.lower() in names]

"""`PostgresMovieRepository` and `PostgresGenreRepository`: the catalogue in PostgreSQL.

Reads select the movie's own columns only (never the search document); the filter and order
SQL lives in `movie_filters`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.fuzzy_search import forgiving_search_page
from app.adapters.postgres.genre_directory import GenreDirectory
from app.adapters.postgres.integrity import translate_integrity_errors
from app.adapters.postgres.movie_filters import (
    all_of,
    as_order_by,
    bound_filters,
    conditions,
    filter_values,
    ordering,
    plain_order_keys,
)
from app.adapters.postgres.ratings import rating_from_row, rating_select
from app.adapters.postgres.tables import MOVIE_INTERNAL_COLUMNS, genres, movies, ratings
from app.domain.catalogue.movies import Genre, Movie, MovieData
from app.domain.catalogue.queries import MovieQuery
from app.domain.shared.pagination import PageRequest
from app.domain.social.ratings import Rating

# A movie's own columns, as `Movie` carries them, straight from the table: all but the sum
# behind `rating_average` and the generated search columns.
MOVIE_COLUMNS = [column for column in movies.c if column.name not in MOVIE_INTERNAL_COLUMNS]
MOVIE_FIELDS = tuple(column.name for column in MOVIE_COLUMNS)


def movie_from_row(row: Any) -> Movie:
    values = {name: getattr(row, name) for name in MOVIE_FIELDS}
    values["genre_ids"] = tuple(row.genre_ids or ())
    return Movie(**values)


def _values(data: MovieData) -> dict[str, Any]:
    values = {name: getattr(data, name) for name in MovieData.__dataclass_fields__}
    values["genre_ids"] = list(data.genre_ids)
    return values


def count_statement(query: MovieQuery) -> Select[Any]:
    return select(func.count()).select_from(movies).where(all_of(conditions(query)))


def page_statement(query: MovieQuery, page: PageRequest) -> Select[Any]:
    return (
        select(*MOVIE_COLUMNS)
        .where(all_of(conditions(query)))
        .order_by(*ordering(query))
        .offset(page.offset)
        .limit(page.limit)
    )


def _has_text(query: MovieQuery) -> bool:
    return bool(query.title and query.title.strip()) or query.search_text is not None


# A query without search text is one of a few hundred shapes (which filters are set, the
# order): each shape's statements are built once, with its values bound at execution, so a page
# pays no statement building (it cost more than running the count).
@lru_cache(maxsize=1024)
def _shaped_count(names: frozenset[str]) -> Select[Any]:
    return select(func.count()).select_from(movies).where(all_of(bound_filters(names)))


@lru_cache(maxsize=1024)
def _shaped_page(names: frozenset[str], field: str, descending: bool) -> Select[Any]:
    return (
        select(*MOVIE_COLUMNS)
        .where(all_of(bound_filters(names)))
        .order_by(*as_order_by(plain_order_keys(field, descending)))
        .offset(bindparam("page_offset"))
        .limit(bindparam("page_limit"))
    )


class PostgresMovieRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def _movies(self, statement: Any) -> list[Movie]:
        return [movie_from_row(row) for row in await self._connection.execute(statement)]

    async def count(self, query: MovieQuery) -> int:
        if _has_text(query):
            return int((await self._connection.execute(count_statement(query))).scalar_one())
        values = filter_values(query)
        statement = _shaped_count(frozenset(values))
        return int((await self._connection.execute(statement, values)).scalar_one())

    async def page(self, query: MovieQuery, page: PageRequest) -> list[Movie]:
        if _has_text(query):
            return await self._movies(page_statement(query, page))
        values = filter_values(query)
        statement = _shaped_page(frozenset(values), query.order_field, query.descending)
        values.update(page_offset=page.offset, page_limit=page.limit)
        rows = await self._connection.execute(statement, values)
        return [movie_from_row(row) for row in rows]

    async def page_with_count(
        self, query: MovieQuery, page: PageRequest
    ) -> tuple[list[Movie], int]:
        rows, total = await forgiving_search_page(self._connection, query, page, MOVIE_COLUMNS)
        return [movie_from_row(row) for row in rows], total

    async def recently_added(self, limit: int) -> list[Movie]:
        statement = (
            select(*MOVIE_COLUMNS)
            .order_by(movies.c.created_at.desc(), movies.c.id.desc())
            .limit(limit)
        )
        return await self._movies(statement)

    async def top_rated(self, min_votes: int, limit: int) -> list[Movie]:
        statement = (
            select(*MOVIE_COLUMNS)
            .where(movies.c.vote_count >= min_votes)
            .order_by(movies.c.vote_average.desc(), movies.c.id.desc())
            .limit(limit)
        )
        return await self._movies(statement)

    async def get(self, movie_id: int, *, for_update: bool = False) -> Movie | None:
        statement = select(*MOVIE_COLUMNS).where(movies.c.id == movie_id)
        if for_update:
            statement = statement.with_for_update()
        row = (await self._connection.execute(statement)).first()
        return movie_from_row(row) if row else None

    async def rating_distribution(self, movie_id: int) -> dict[int, int]:
        statement = (
            select(ratings.c.score, func.count())
            .where(ratings.c.movie_id == movie_id)
            .group_by(ratings.c.score)
        )
        return {int(score): int(n) for score, n in await self._connection.execute(statement)}

    async def rating_by(self, user_id: int, movie_id: int) -> Rating | None:
        statement = rating_select().where(
            ratings.c.user_id == user_id, ratings.c.movie_id == movie_id
        )
        row = (await self._connection.execute(statement)).first()
        return rating_from_row(row) if row else None

    async def add(self, data: MovieData) -> Movie:
        with translate_integrity_errors():
            row = (
                await self._connection.execute(
                    insert(movies).values(**_values(data)).returning(*MOVIE_COLUMNS)
                )
            ).one()
        return movie_from_row(row)

    async def replace(self, movie_id: int, data: MovieData) -> Movie:
        statement = (
            update(movies)
            .where(movies.c.id == movie_id)
            .values(**_values(data), updated_at=func.now())
            .returning(*MOVIE_COLUMNS)
        )
        with translate_integrity_errors():
            row = (await self._connection.execute(statement)).one()
        return movie_from_row(row)

    async def delete(self, movie_id: int) -> bool:
        result = await self._connection.execute(delete(movies).where(movies.c.id == movie_id))
        return bool(result.rowcount)


class PostgresGenreRepository:
    """Reads through the process's `GenreDirectory` (`directory()` gives None once this unit of
    work has written genres: it then reads the database itself)."""

    def __init__(
        self,
        connection: AsyncConnection,
        directory: Callable[[], GenreDirectory | None] = lambda: None,
    ) -> None:
        self._connection = connection
        self._directory = directory

    async def all(self) -> list[Genre]:
        rows = await self._connection.execute(select(genres).order_by(genres.c.name))
        found = [Genre(row.id, row.name) for row in rows]
        directory = self._directory()
        if directory is not None:
            directory.keep(found)
        return found

    async def _table(self, ids: Iterable[int], lower_names: Iterable[str]) -> dict[int, Genre]:
        directory = self._directory()
        if directory is None:
            return {genre.id: genre for genre in await self.all()}
        return await directory.table(self.all, ids, lower_names)

    async def by_ids(self, genre_ids: Iterable[int]) -> dict[int, Genre]:
        wanted = set(genre_ids)
        table = await self._table(wanted, ())
        return {genre_id: table[genre_id] for genre_id in wanted if genre_id in table}

    async def matching(self, ids: Iterable[int], lower_names: Iterable[str]) -> list[Genre]:
        ids, lower_names = set(ids), set(lower_names)
        table = await self._table(ids, lower_names)
        return [
            genre
            for genre in table.values()
            if genre.id in ids or genre.name.lower() in lower_names
        ]

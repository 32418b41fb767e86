"""`PostgresCatalogueWriter`: what TMDb says about movies and genres, upserted by TMDb id.

One `INSERT ... ON CONFLICT (tmdb_id) DO UPDATE` per page. The update only fires for rows whose
data changed, so `updated_at` means "changed upstream" and a repeated sync writes nothing.
`xmax = 0` on a returned row tells an insert from an update. Generated columns are never written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Boolean, delete, func, literal_column, select, text, tuple_
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.tables import genres, movies, tmdb_trending
from app.domain.catalogue.movies import Genre, MovieData
from app.domain.catalogue.ports import UpsertOutcome
from app.domain.tmdb.ports import TrendingWindow

# Only `/movie/{id}` states these: a list item's None keeps what an earlier import stored.
DETAILS_COLUMNS = ("imdb_id", "tagline", "status", "runtime")
# What a TMDb list item always states, replaced on every upsert: the rest of `MovieData` but the
# ids (the TMDb id is the conflict key; the MovieLens id is the MovieLens import's).
LIST_COLUMNS = tuple(
    name
    for name in MovieData.__dataclass_fields__
    if name not in {"tmdb_id", "movielens_id", *DETAILS_COLUMNS}
)


def _row(movie: MovieData) -> dict[str, Any]:
    row = {name: getattr(movie, name) for name in (*LIST_COLUMNS, *DETAILS_COLUMNS)}
    row["tmdb_id"] = movie.tmdb_id
    row["genre_ids"] = list(movie.genre_ids)
    return row


def _upsert_movies_statement() -> Any:
    statement = insert(movies)
    new = statement.excluded
    values: dict[str, Any] = {name: new[name] for name in LIST_COLUMNS}
    values |= {name: func.coalesce(new[name], movies.c[name]) for name in DETAILS_COLUMNS}
    changed = tuple_(*(movies.c[name] for name in values)).is_distinct_from(
        tuple_(*values.values())
    )
    return statement.on_conflict_do_update(
        index_elements=[movies.c.tmdb_id], set_={**values, "updated_at": func.now()}, where=changed
    ).returning(
        movies.c.id,
        movies.c.tmdb_id,
        literal_column("movies.xmax = 0", Boolean).label("new"),
    )


UPSERT_MOVIES = _upsert_movies_statement()


class PostgresCatalogueWriter:
    def __init__(
        self, connection: AsyncConnection, genres_written: Callable[[], None] = lambda: None
    ) -> None:
        self._connection = connection
        self._genres_written = genres_written  # the process's genre directory must not keep

    async def upsert_genres(self, items: Iterable[Genre]) -> None:
        rows = {genre.id: {"id": genre.id, "name": genre.name} for genre in items}
        if not rows:
            return
        # Genre names are unique too, and an upsert arbitrates on the id alone: two transactions
        # inserting the same new genre would collide on the name. Genre writes are rare and
        # small, so they take turns (the lock ends with the transaction).
        await self._connection.execute(
            text("SELECT pg_advisory_xact_lock(hashtext('nexus:genres'))")
        )
        self._genres_written()
        statement = insert(genres).values(sorted(rows.values(), key=lambda row: row["id"]))
        statement = statement.on_conflict_do_update(
            index_elements=[genres.c.id],
            set_={"name": statement.excluded.name},
            where=genres.c.name.is_distinct_from(statement.excluded.name),
        )
        await self._connection.execute(statement)

    async def upsert_movies(self, items: Sequence[MovieData]) -> UpsertOutcome:
        # One row per TMDb id (a statement may not update a row twice), in id order so that
        # concurrent pages lock shared rows in the same order.
        by_id = {movie.tmdb_id: movie for movie in items if movie.tmdb_id is not None}
        if not by_id:
            return UpsertOutcome()
        rows = [_row(by_id[tmdb_id]) for tmdb_id in sorted(by_id)]
        # Many parameter sets with RETURNING: SQLAlchemy sends them as one multi-row INSERT
        # ("insertmanyvalues"), and the constant statement is compiled once per process.
        written = (await self._connection.execute(UPSERT_MOVIES, rows)).all()
        created = sum(1 for row in written if row.new)
        return UpsertOutcome(
            created=created,
            updated=len(written) - created,
            unchanged=len(rows) - len(written),
            ids=tuple((row.tmdb_id, row.id) for row in written),
        )

    async def local_ids(self, tmdb_ids: Iterable[int]) -> dict[int, int]:
        wanted = sorted(set(tmdb_ids))
        if not wanted:
            return {}
        query = select(movies.c.tmdb_id, movies.c.id).where(movies.c.tmdb_id.in_(wanted))
        return {row.tmdb_id: row.id for row in await self._connection.execute(query)}

    async def stored(self, tmdb_id: int) -> tuple[int, MovieData, tuple[Genre, ...]] | None:
        columns = [movies.c[name] for name in (*LIST_COLUMNS, *DETAILS_COLUMNS)]
        query = select(movies.c.id, movies.c.tmdb_id, *columns).where(movies.c.tmdb_id == tmdb_id)
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        data = {name: getattr(row, name) for name in (*LIST_COLUMNS, *DETAILS_COLUMNS)}
        data["genre_ids"] = tuple(row.genre_ids or ())
        movie = MovieData(tmdb_id=row.tmdb_id, **data)
        named = await self._connection.execute(
            select(genres.c.id, genres.c.name).where(genres.c.id.in_(list(movie.genre_ids)))
        )
        names = {item.id: item.name for item in named}
        return row.id, movie, tuple(Genre(g, names[g]) for g in movie.genre_ids if g in names)

    async def replace_trending(
        self, window: TrendingWindow, ranked: Sequence[tuple[int, int]]
    ) -> None:
        # Two syncs of one window would collide on (window, rank): the second waits here.
        # Readers are not blocked by this lock mode.
        await self._connection.execute(text("LOCK TABLE tmdb_trending IN SHARE ROW EXCLUSIVE MODE"))
        await self._connection.execute(
            delete(tmdb_trending).where(tmdb_trending.c.time_window == window)
        )
        if ranked:
            rows = [
                {"time_window": window, "rank": rank, "movie_id": movie_id}
                for rank, movie_id in ranked
            ]
            await self._connection.execute(insert(tmdb_trending).values(synced_at=func.now()), rows)

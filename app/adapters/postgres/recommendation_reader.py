"""`PostgresRecommendationReader`: the reads behind recommendations, similar and trending
movies, each one statement whatever the size of the user's history."""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.adapters.postgres.tables import movies
from app.domain.recommendations.entities import CandidateMovie, CatalogueFacts, HistoryEntry
from app.domain.recommendations.quality import LOCAL_VOTE_WEIGHT, Votes

# `Votes` field -> the movie column it is read from.
VOTE_COLUMNS = {
    "ratings_count": "ratings_count",
    "rating_average": "rating_average",
    "tmdb_vote_average": "vote_average",
    "tmdb_vote_count": "vote_count",
    "tmdb_popularity": "popularity",
}
# What a candidate needs of a movie (not its overview); `movies.c[name]` refuses, on import, a
# name the table does not have.
CANDIDATE_FIELDS = (
    "id",
    "title",
    "genre_ids",
    "original_language",
    "poster_path",
    "tmdb_id",
    "release_date",
)
MOVIE_COLUMNS = ", ".join(
    [f"m.{movies.c[name].name}" for name in (*CANDIDATE_FIELDS, *VOTE_COLUMNS.values())]
    + ["extract(year FROM m.release_date)::int AS year"]
)
GENRE_FILTER = "(CAST(:genre AS int) IS NULL OR m.genre_ids @> ARRAY[CAST(:genre AS int)])"


def candidate(row: Any) -> CandidateMovie:
    return CandidateMovie(
        movie_id=row.id,
        title=row.title,
        genre_ids=tuple(row.genre_ids),
        release_year=row.year,
        original_language=row.original_language,
        poster_path=row.poster_path,
        votes=Votes(**{field: getattr(row, column) for field, column in VOTE_COLUMNS.items()}),
        tmdb_id=row.tmdb_id,
        release_date=row.release_date,
    )


class PostgresRecommendationReader:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def history(self, user_id: int) -> list[HistoryEntry]:
        result = await self._connection.execute(
            text(
                "SELECT r.movie_id, m.title, r.score, m.genre_ids, r.created_at, "
                "extract(year FROM m.release_date)::int AS year, m.original_language "
                "FROM ratings r JOIN movies m ON m.id = r.movie_id WHERE r.user_id = :user"
            ),
            {"user": user_id},
        )
        return [
            HistoryEntry(
                row.movie_id,
                row.title,
                row.score,
                tuple(row.genre_ids),
                row.year,
                row.original_language,
                row.created_at,
            )
            for row in result
        ]

    async def movies(self, movie_ids: Collection[int]) -> list[CandidateMovie]:
        if not movie_ids:
            return []
        result = await self._connection.execute(
            text(f"SELECT {MOVIE_COLUMNS} FROM movies m WHERE m.id = ANY(:ids)"),  # noqa: S608
            {"ids": list(movie_ids)},
        )
        return [candidate(row) for row in result]

    async def best_known(
        self, *, genre: int | None, exclude: Collection[int], limit: int
    ) -> list[CandidateMovie]:
        result = await self._connection.execute(
            text(
                f"SELECT {MOVIE_COLUMNS} FROM movies m "  # noqa: S608 (constants only)
                f"WHERE {GENRE_FILTER} AND m.id <> ALL(:exclude) "
                "ORDER BY m.ratings_count DESC, m.vote_count DESC, m.id LIMIT :limit"
            ),
            {"genre": genre, "exclude": list(exclude), "limit": limit},
        )
        return [candidate(row) for row in result]

    async def related_by_genre(
        self, genre_ids: Collection[int], *, exclude: Collection[int], limit: int
    ) -> list[CandidateMovie]:
        if not genre_ids:
            return []
        result = await self._connection.execute(
            text(
                f"SELECT {MOVIE_COLUMNS} FROM movies m "  # noqa: S608 (constants only)
                "WHERE m.genre_ids && CAST(:genres AS int[]) AND m.id <> ALL(:exclude) "
                "ORDER BY m.ratings_count DESC, m.vote_count DESC, m.id LIMIT :limit"
            ),
            {"genres": list(genre_ids), "exclude": list(exclude), "limit": limit},
        )
        return [candidate(row) for row in result]

    async def catalogue_facts(self) -> CatalogueFacts:
        row = (
            await self._connection.execute(
                text(
                    "SELECT count(*) AS movies, "  # noqa: S608 (constants only)
                    f"coalesce(max({LOCAL_VOTE_WEIGHT} * ratings_count + vote_count), 0) AS most "
                    "FROM movies"
                )
            )
        ).one()
        shares = await self._connection.execute(
            text(
                "SELECT g.id, g.name, (SELECT count(*) FROM movies m WHERE g.id = ANY(m.genre_ids))"
                " AS movies FROM genres g"
            )
        )
        total = max(int(row.movies), 1)
        share, names = {}, {}
        for genre in shares:
            names[genre.id] = genre.name
            share[genre.id] = genre.movies / total
        return CatalogueFacts(share, names, float(row.most))

    async def activity_since(
        self, since: datetime, half_life_hours: float, *, genre: int | None, limit: int
    ) -> list[tuple[int, float]]:
        result = await self._connection.execute(
            text(
                "WITH events AS ("  # noqa: S608 (constants only)
                " SELECT movie_id, created_at AS at,"
                "  CASE WHEN coalesce(review, '') <> '' THEN 2 ELSE 1 END AS weight"  # + review
                " FROM ratings WHERE created_at >= :since"
                " UNION ALL SELECT movie_id, added_at, 1 FROM playlist_items"
                " WHERE added_at >= :since) "
                "SELECT e.movie_id, sum(e.weight * power(2.0, -extract(epoch FROM now() - e.at)"
                " / 3600.0 / :half_life)) AS activity "
                f"FROM events e JOIN movies m ON m.id = e.movie_id WHERE {GENRE_FILTER} "
                "GROUP BY e.movie_id ORDER BY activity DESC, e.movie_id LIMIT :limit"
            ),
            {"since": since, "half_life": half_life_hours, "genre": genre, "limit": limit},
        )
        return [(row.movie_id, float(row.activity)) for row in result]

    async def tmdb_trending_ranks(
        self, window: str, synced_since: datetime, *, genre: int | None, limit: int
    ) -> list[tuple[int, int]]:
        result = await self._connection.execute(
            text(
                "SELECT t.movie_id, t.rank FROM tmdb_trending t "  # noqa: S608 (constants only)
                "JOIN movies m ON m.id = t.movie_id "
                f"WHERE t.time_window = :window AND t.synced_at >= :since AND {GENRE_FILTER} "
                "ORDER BY t.rank LIMIT :limit"
            ),
            {"window": window, "since": synced_since, "genre": genre, "limit": limit},
        )
        return [(row.movie_id, row.rank) for row in result]


def reading(database: Any) -> Any:
    """A factory of readers: `async with reading() as reader`. Every read is one statement, so
    the connection runs in autocommit: no BEGIN and ROLLBACK round trips per request."""

    @asynccontextmanager
    async def open_reader() -> AsyncIterator[PostgresRecommendationReader]:
        async with database.engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            yield PostgresRecommendationReader(connection)

    return open_reader

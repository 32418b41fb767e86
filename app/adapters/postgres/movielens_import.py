"""`PostgresMovieLensImporter`: MovieLens movies, users and ratings into our tables in one
transaction. Rows are COPYed into temporary staging tables and merged with set-based upserts,
so 100 000 ratings take seconds and a second run changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.accounts.usernames import canonical_username
from app.model_fitting.movielens import MovieLensData
from app.model_fitting.movielens_format import TMDB_GENRES

COPY_CHUNK = 50_000
USERNAME_PREFIX = "movielens-"
# Progress: (phase, done, total).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class ImportCounts:
    movies: int
    users: int
    ratings: int


STAGING = """
CREATE TEMPORARY TABLE ml_movies (
    movielens_id integer PRIMARY KEY, title text, release_date date, genre_ids integer[],
    imdb_id text, tmdb_id integer) ON COMMIT DROP;
CREATE TEMPORARY TABLE ml_users (n integer PRIMARY KEY) ON COMMIT DROP;
CREATE TEMPORARY TABLE ml_ratings (
    user_n integer, movielens_id integer, score smallint, rated_at timestamptz) ON COMMIT DROP;
"""

MERGE = [
    # The 19 TMDb genres, so every genre id we store has a name.
    "INSERT INTO genres (id, name) "
    "SELECT * FROM unnest(CAST(:ids AS int[]), CAST(:names AS text[])) ON CONFLICT DO NOTHING",
    # A TMDb id another MovieLens movie already holds (or an earlier line of this file) stays off.
    """UPDATE ml_movies s SET tmdb_id = NULL
       WHERE EXISTS (SELECT 1 FROM movies m WHERE m.tmdb_id = s.tmdb_id
                     AND m.movielens_id IS NOT NULL AND m.movielens_id <> s.movielens_id)
          OR EXISTS (SELECT 1 FROM ml_movies o WHERE o.tmdb_id = s.tmdb_id
                     AND o.movielens_id < s.movielens_id)""",
    # A movie already in the catalogue from TMDb becomes this MovieLens movie, not a twin.
    """UPDATE movies m SET movielens_id = s.movielens_id, updated_at = now()
       FROM ml_movies s
       WHERE m.tmdb_id = s.tmdb_id AND m.movielens_id IS NULL
         AND NOT EXISTS (SELECT 1 FROM movies x WHERE x.movielens_id = s.movielens_id)""",
    # TMDb's description wins over MovieLens's where we have one (a non-empty overview).
    """INSERT INTO movies (movielens_id, title, original_title, release_date, genre_ids,
                           imdb_id, tmdb_id)
       SELECT movielens_id, title, title, release_date, genre_ids, imdb_id, tmdb_id
       FROM ml_movies
       ON CONFLICT (movielens_id) DO UPDATE SET
         title = CASE WHEN movies.overview = '' THEN EXCLUDED.title ELSE movies.title END,
         genre_ids = CASE WHEN movies.overview = '' THEN EXCLUDED.genre_ids
                          ELSE movies.genre_ids END,
         release_date = COALESCE(movies.release_date, EXCLUDED.release_date),
         imdb_id = COALESCE(movies.imdb_id, EXCLUDED.imdb_id),
         tmdb_id = COALESCE(movies.tmdb_id, EXCLUDED.tmdb_id)
       WHERE (movies.title, movies.genre_ids, movies.release_date, movies.imdb_id,
              movies.tmdb_id) IS DISTINCT FROM
             (EXCLUDED.title, EXCLUDED.genre_ids, EXCLUDED.release_date, EXCLUDED.imdb_id,
              EXCLUDED.tmdb_id)""",
    """INSERT INTO users (username, username_canonical, email, password_hash)
        SELECT CAST(:prefix AS text) || n, CAST(:canonical_prefix AS text) || n,
               CAST(:prefix AS text) || n || '@example.invalid', :hash
        FROM ml_users ORDER BY n
        ON CONFLICT DO NOTHING""",
    """UPDATE users u SET password_hash = :hash, updated_at = now()
        FROM ml_users s
        WHERE CAST(:hash AS text) IS NOT NULL
          AND u.username_canonical = CAST(:canonical_prefix AS text) || s.n
          AND u.password_hash IS DISTINCT FROM :hash""",
    # The latest line wins when a file rates the same movie twice.
    """INSERT INTO ratings (user_id, movie_id, score, created_at, updated_at)
        SELECT DISTINCT ON (u.id, m.id) u.id, m.id, s.score, s.rated_at, s.rated_at
        FROM ml_ratings s
        JOIN users u ON u.username_canonical = CAST(:canonical_prefix AS text) || s.user_n
        JOIN movies m ON m.movielens_id = s.movielens_id
        ORDER BY u.id, m.id, s.rated_at DESC
        ON CONFLICT (user_id, movie_id) DO UPDATE SET
          score = EXCLUDED.score, updated_at = EXCLUDED.updated_at
        WHERE ratings.score <> EXCLUDED.score""",
    # Aggregates recounted from the rows themselves, so they agree with them whatever was there.
    """UPDATE movies m SET ratings_count = a.count, ratings_sum = a.sum
       FROM (SELECT r.movie_id, count(*) AS count, sum(r.score) AS sum
             FROM ratings r JOIN movies mm ON mm.id = r.movie_id
             JOIN ml_movies s ON s.movielens_id = mm.movielens_id
             GROUP BY r.movie_id) a
       WHERE m.id = a.movie_id
         AND (m.ratings_count, m.ratings_sum) IS DISTINCT FROM (a.count, a.sum)""",
    # Fresh statistics, or the planner keeps the empty-table estimates and picks slow plans.
    "ANALYZE movies",
    "ANALYZE users",
    "ANALYZE ratings",
]


class PostgresMovieLensImporter:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def load(
        self,
        data: MovieLensData,
        password_hash: str | None,
        progress: Progress,
        username_prefix: str = USERNAME_PREFIX,
    ) -> ImportCounts:
        """Stage and merge everything; the caller commits."""
        raw = await self._connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        for statement in STAGING.split(";"):
            if statement.strip():
                await self._connection.execute(text(statement))
        movies = {movie.movielens_id: movie for movie in data.movies}
        await driver.copy_records_to_table(
            "ml_movies",
            records=[
                (
                    m.movielens_id,
                    m.title[:500] or f"MovieLens {m.movielens_id}",
                    date(m.year, 1, 1) if m.year else None,  # MovieLens gives the year only
                    list(m.genre_ids),
                    m.imdb_id,
                    m.tmdb_id,
                )
                for m in movies.values()
            ],
        )
        progress("movies", len(movies), len(movies))
        users = sorted({int(n) for n in data.users.tolist()})
        await driver.copy_records_to_table("ml_users", records=[(n,) for n in users])
        total = len(data.users)
        for start in range(0, total, COPY_CHUNK):
            end = min(start + COPY_CHUNK, total)
            await driver.copy_records_to_table(
                "ml_ratings",
                records=zip(
                    data.users[start:end].tolist(),
                    data.items[start:end].tolist(),
                    data.scores[start:end].tolist(),
                    [datetime.fromtimestamp(t, UTC) for t in data.timestamps[start:end].tolist()],
                    strict=True,
                ),
            )
            progress("ratings staged", end, total)
        unknown = await self._connection.scalar(
            text(
                "SELECT count(*) FROM ml_ratings r WHERE NOT EXISTS "
                "(SELECT 1 FROM ml_movies m WHERE m.movielens_id = r.movielens_id)"
            )
        )
        if unknown:
            # Ratings of movies the file does not describe still count: a placeholder title.
            await self._connection.execute(
                text(
                    "INSERT INTO ml_movies (movielens_id, title, genre_ids) "
                    "SELECT DISTINCT movielens_id, 'MovieLens ' || movielens_id, '{}' "
                    "FROM ml_ratings r WHERE NOT EXISTS "
                    "(SELECT 1 FROM ml_movies m WHERE m.movielens_id = r.movielens_id)"
                )
            )
        parameters = {
            "ids": list(TMDB_GENRES),
            "names": list(TMDB_GENRES.values()),
            "hash": password_hash,
            "prefix": username_prefix,
            # Digits fold to themselves: the canonical name is the canonical prefix and the number.
            "canonical_prefix": canonical_username(username_prefix),
        }
        for done, statement in enumerate(MERGE, start=1):
            await self._connection.execute(text(statement), parameters)
            progress("merging", done, len(MERGE))
        staged_movies = await self._connection.scalar(text("SELECT count(*) FROM ml_movies"))
        return ImportCounts(movies=int(staged_movies or 0), users=len(users), ratings=total)

"""A user's statistics as six aggregate queries, whatever the number of their ratings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.social.stats import GenreFacts, RatedMovie, StatsFacts

_TOTALS = text("""
SELECT count(*) AS total,
       avg(r.score)::float8 AS average,
       count(*) FILTER (WHERE r.score = 1) AS s1,
       count(*) FILTER (WHERE r.score = 2) AS s2,
       count(*) FILTER (WHERE r.score = 3) AS s3,
       count(*) FILTER (WHERE r.score = 4) AS s4,
       count(*) FILTER (WHERE r.score = 5) AS s5,
       count(*) FILTER (WHERE r.review IS NOT NULL AND r.review <> '') AS reviews,
       coalesce(sum(m.runtime), 0) AS minutes,
       count(*) FILTER (WHERE m.ratings_count > 1) AS compared,
       avg(r.score) FILTER (WHERE m.ratings_count > 1)::float8 AS own_on_compared,
       (sum(m.ratings_sum - r.score) FILTER (WHERE m.ratings_count > 1))::float8
         / nullif(sum(m.ratings_count - 1) FILTER (WHERE m.ratings_count > 1), 0)
         AS community_on_compared
FROM ratings r JOIN movies m ON m.id = r.movie_id
WHERE r.user_id = :user_id
""")

_EXTREMES = text("""
(SELECT 'highest' AS kind, r.movie_id, m.title, r.score
   FROM ratings r JOIN movies m ON m.id = r.movie_id WHERE r.user_id = :user_id
   ORDER BY r.score DESC, r.created_at DESC, r.id DESC LIMIT 1)
UNION ALL
(SELECT 'lowest' AS kind, r.movie_id, m.title, r.score
   FROM ratings r JOIN movies m ON m.id = r.movie_id WHERE r.user_id = :user_id
   ORDER BY r.score ASC, r.created_at DESC, r.id DESC LIMIT 1)
""")

_GENRES = text("""
SELECT g.id, g.name, count(*) AS ratings,
       count(*) FILTER (WHERE r.score >= 4) AS liked,
       avg(r.score)::float8 AS average
FROM ratings r
JOIN movies m ON m.id = r.movie_id
CROSS JOIN LATERAL unnest(m.genre_ids) AS movie_genre(genre_id)
JOIN genres g ON g.id = movie_genre.genre_id
WHERE r.user_id = :user_id
GROUP BY g.id, g.name
""")

_DECADES = text("""
SELECT (extract(year FROM m.release_date)::int / 10) * 10 AS decade, count(*) AS ratings
FROM ratings r JOIN movies m ON m.id = r.movie_id
WHERE r.user_id = :user_id AND m.release_date IS NOT NULL
GROUP BY 1
""")

_MONTHS = text("""
SELECT (date_trunc('month', r.created_at AT TIME ZONE 'UTC'))::date AS month, count(*) AS ratings
FROM ratings r
WHERE r.user_id = :user_id AND r.created_at >= :since
GROUP BY 1
""")

_PLAYLISTS = text("SELECT count(*) FROM playlists WHERE owner_id = :user_id")


class PostgresStatsRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def facts(self, user_id: int, months_since: datetime) -> StatsFacts:
        run = self._connection.execute
        params = {"user_id": user_id}
        totals = (await run(_TOTALS, params)).one()
        extremes = {row.kind: row for row in await run(_EXTREMES, params)}
        genres = tuple(
            GenreFacts(row.id, row.name, row.ratings, row.liked, row.average)
            for row in await run(_GENRES, params)
        )
        decades = tuple((row.decade, row.ratings) for row in await run(_DECADES, params))
        months = tuple(
            (row.month, row.ratings)
            for row in await run(_MONTHS, {"user_id": user_id, "since": months_since})
        )
        playlists = (await run(_PLAYLISTS, params)).scalar_one()
        return StatsFacts(
            total_ratings=totals.total,
            average_rating=totals.average,
            distribution=tuple((score, getattr(totals, f"s{score}")) for score in range(1, 6)),
            reviews=totals.reviews,
            watch_minutes=int(totals.minutes),
            compared_movies=totals.compared,
            own_average_on_compared=totals.own_on_compared,
            community_average_on_compared=totals.community_on_compared,
            highest=_rated(extremes.get("highest")),
            lowest=_rated(extremes.get("lowest")),
            genres=genres,
            decades=decades,
            months=months,
            playlists=playlists,
        )


def _rated(row: Any | None) -> RatedMovie | None:
    return None if row is None else RatedMovie(row.movie_id, row.title, row.score)

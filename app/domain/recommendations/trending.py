"""`TrendingMovies`: what is hot now, from local activity with time decay, blended with TMDb's
trending rank for the window when a sync stored a fresh one, else with TMDb's popularity."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.domain.recommendations.codec import decode, encode
from app.domain.recommendations.entities import TrendingMovie
from app.domain.recommendations.recommend import Reading
from app.domain.recommendations.trending_blend import trending_scores
from app.domain.shared import cache_keys
from app.domain.shared.ports import Cache

WINDOWS = {"day": timedelta(days=1), "week": timedelta(days=7)}
HALF_LIFE_HOURS = {"day": 6.0, "week": 48.0}
# A stored TMDb list older than twice its window no longer says what is hot.
RANK_MAX_AGE = {window: 2 * length for window, length in WINDOWS.items()}
TRENDING_TTL = 60.0
CANDIDATES = 200


class TrendingMovies:
    """Ratings, reviews and playlist additions in the window, each weighted by
    2^(-age / half-life); score = 0.7 * activity / top activity + 0.3 * TMDb's signal: its
    trending rank for the window as 10 / (9 + rank) when synced within twice the window (0 for
    movies not in that list), else its log-scaled popularity. Cached for a minute under a key
    naming every filter."""

    def __init__(self, reading: Reading, cache: Cache) -> None:
        self._reading, self._cache = reading, cache

    async def __call__(
        self, window: str, limit: int, genre: int | None, now: datetime
    ) -> list[TrendingMovie]:
        key = cache_keys.trending(window, limit, genre)
        cached = await self._cache.get(key)
        async with self._reading() as reader:
            if cached:
                rows = decode(cached)
                movies = {m.movie_id: m for m in await reader.movies([row[0] for row in rows])}
                return [
                    TrendingMovie(movies[row[0]], row[1], row[2], row[3] if len(row) > 3 else None)
                    for row in rows
                    if row[0] in movies
                ]
            activity = dict(
                await reader.activity_since(
                    now - WINDOWS[window], HALF_LIFE_HOURS[window], genre=genre, limit=CANDIDATES
                )
            )
            ranks = dict(
                await reader.tmdb_trending_ranks(
                    window, now - RANK_MAX_AGE[window], genre=genre, limit=CANDIDATES
                )
            )
            movies = {m.movie_id: m for m in await reader.movies(activity.keys() | ranks.keys())}
            if len(movies) < limit:
                extra = await reader.best_known(genre=genre, exclude=list(movies), limit=limit)
                movies.update({m.movie_id: m for m in extra})
        popularity = {i: m.votes.tmdb_popularity for i, m in movies.items()}
        scores = trending_scores(movies, activity, ranks, popularity)
        # Shown relative to the most active movie of the window: 0..1, as documented.
        top = max(activity.values(), default=0.0) or 1.0
        ranked = [
            TrendingMovie(movie, round(activity.get(i, 0.0) / top, 3), scores[i], ranks.get(i))
            for i, movie in movies.items()
        ]
        # Ties (movies nobody here touched and TMDb does not list) go to the more popular.
        ranked.sort(
            key=lambda t: (-t.score, -t.activity, -popularity[t.movie.movie_id], t.movie.movie_id)
        )
        ranked = ranked[:limit]
        payload = [[t.movie.movie_id, t.activity, t.score, t.tmdb_rank] for t in ranked]
        await self._cache.set(key, encode(payload), TRENDING_TTL)
        return ranked

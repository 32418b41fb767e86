"""`TrendingMovies`: what is hot now, from local activity with time decay, blended with
TMDb's popularity (its own measure of current interest) when the movie came from TMDb."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from app.domain import cache_keys
from app.domain.ports import Cache
from app.domain.recommendations.codec import decode, encode
from app.domain.recommendations.entities import TrendingMovie
from app.domain.recommendations.recommend import Reading

WINDOWS = {"day": timedelta(days=1), "week": timedelta(days=7)}
HALF_LIFE_HOURS = {"day": 6.0, "week": 48.0}
LOCAL_SHARE = 0.7  # local activity leads; TMDb's popularity fills in and breaks ties
TRENDING_TTL = 60.0
CANDIDATES = 200


class TrendingMovies:
    """Ratings, reviews and playlist additions in the window, each weighted by
    2^(-age / half-life); score = 0.7 * activity / top activity + 0.3 * log-scaled TMDb
    popularity. Cached for a minute under a key naming every filter."""

    def __init__(self, reading: Reading, cache: Cache) -> None:
        self._reading, self._cache = reading, cache

    async def __call__(
        self, window: str, limit: int, genre: int | None, now: datetime
    ) -> list[TrendingMovie]:
        key = cache_keys.trending(window, limit, genre)
        cached = await self._cache.get(key)
        async with self._reading() as reader:
            if cached:
                ids_and_scores = decode(cached)
                movies = {
                    m.movie_id: m for m in await reader.movies([i for i, *_ in ids_and_scores])
                }
                return [
                    TrendingMovie(movies[i], activity, score)
                    for i, activity, score in ids_and_scores
                    if i in movies
                ]
            activity = dict(
                await reader.activity_since(
                    now - WINDOWS[window], HALF_LIFE_HOURS[window], genre=genre, limit=CANDIDATES
                )
            )
            movies = {m.movie_id: m for m in await reader.movies(list(activity))}
            if len(movies) < limit:
                extra = await reader.best_known(genre=genre, exclude=list(movies), limit=limit)
                movies.update({m.movie_id: m for m in extra})
        top_activity = max(activity.values(), default=0.0)
        top_popularity = max((m.votes.tmdb_popularity for m in movies.values()), default=0.0)
        ranked = []
        for movie_id, movie in movies.items():
            local = activity.get(movie_id, 0.0) / top_activity if top_activity > 0 else 0.0
            tmdb = (
                math.log1p(movie.votes.tmdb_popularity) / math.log1p(top_popularity)
                if top_popularity > 0
                else 0.0
            )
            score = round(LOCAL_SHARE * local + (1 - LOCAL_SHARE) * tmdb, 4)
            ranked.append(TrendingMovie(movie, round(activity.get(movie_id, 0.0), 4), score))
        ranked.sort(key=lambda t: (-t.score, -t.activity, t.movie.movie_id))
        ranked = ranked[:limit]
        payload = [[t.movie.movie_id, t.activity, t.score] for t in ranked]
        await self._cache.set(key, encode(payload), TRENDING_TTL)
        return ranked

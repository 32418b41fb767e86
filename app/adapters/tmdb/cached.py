"""`CachedTmdbClient`: cache-aside around any TMDb client, so the domain never knows.

Every answer is kept under its request's path and sorted parameters: 24 h for lists, details
and genres, 1 h for searches. Concurrent misses for one key make one upstream call. Entries
outlive their freshness by `stale_seconds`: when TMDb then fails for a transient reason, the
stale copy is served (pages say so through `TmdbPage.stale`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

from app.adapters.coalescing import SingleFlight
from app.adapters.tmdb import codec
from app.adapters.tmdb.requests import (
    TmdbRequest,
    details_request,
    genres_request,
    list_request,
    search_request,
)
from app.domain.catalogue.movies import Genre
from app.domain.shared.ports import Cache
from app.domain.tmdb.ports import (
    TRANSIENT_TMDB_ERRORS,
    ListCategory,
    TmdbClient,
    TmdbMovieDetails,
    TmdbPage,
    TrendingWindow,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
DAY = 24 * 3600.0
SEARCH_TTL = 3600.0
LIST_TTL = DETAILS_TTL = GENRES_TTL = DAY
# TMDb's terms are read as allowing cached data for up to six months; we keep far less.
DEFAULT_STALE_SECONDS = 7 * DAY


class CachedTmdbClient:
    def __init__(
        self,
        inner: TmdbClient,
        cache: Cache,
        *,
        language: str = "en-US",
        stale_seconds: float = DEFAULT_STALE_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._inner = inner
        self._cache = cache
        self._language = language
        self._stale_seconds = stale_seconds
        self._clock = clock
        self._single_flight: SingleFlight[tuple[Any, bool]] = SingleFlight()

    async def genres(self) -> tuple[Genre, ...]:
        value, _ = await self._cached(
            genres_request(self._language), GENRES_TTL, self._inner.genres, codec.load_genres
        )
        return value

    async def movie_list(
        self, category: ListCategory, page: int = 1, *, window: TrendingWindow = "day"
    ) -> TmdbPage:
        request = list_request(category, page, window, self._language)
        value, stale = await self._cached(
            request,
            LIST_TTL,
            lambda: self._inner.movie_list(category, page, window=window),
            codec.load_page,
        )
        return replace(value, stale=stale)

    async def search(
        self, query: str, *, page: int = 1, year: int | None = None, include_adult: bool = False
    ) -> TmdbPage:
        request = search_request(query, page, year, include_adult, self._language)
        value, stale = await self._cached(
            request,
            SEARCH_TTL,
            lambda: self._inner.search(query, page=page, year=year, include_adult=include_adult),
            codec.load_page,
        )
        return replace(value, stale=stale)

    async def movie(self, tmdb_id: int) -> TmdbMovieDetails:
        request = details_request(tmdb_id, self._language)
        value, _ = await self._cached(
            request, DETAILS_TTL, lambda: self._inner.movie(tmdb_id), codec.load_details
        )
        return value

    async def _cached(
        self,
        request: TmdbRequest,
        ttl: float,
        fetch: Callable[[], Awaitable[T]],
        load: Callable[[Any], T],
    ) -> tuple[T, bool]:
        """The value and whether it is a stale copy standing in for a failed call."""
        key = request.cache_key()
        stale_copy: T | None = None
        raw = await self._cache.get(key)
        envelope = codec.decode(raw) if raw is not None else None
        if envelope is not None:
            try:
                value = load(envelope["value"])
            except (KeyError, TypeError, ValueError):
                log.warning("ignoring an unreadable cached TMDb entry %s", request.path)
            else:
                if self._clock() - envelope.get("fetched_at", 0) < ttl:
                    return value, False
                stale_copy = value

        async def fetch_and_store() -> tuple[Any, bool]:
            try:
                fresh = await fetch()
            except TRANSIENT_TMDB_ERRORS as error:
                if stale_copy is None:
                    raise
                log.warning("TMDb failed (%s); serving a stale copy of %s", error, request.path)
                return stale_copy, True
            envelope = {"fetched_at": self._clock(), "value": codec.dump(fresh)}  # type: ignore[arg-type]
            await self._cache.set(key, codec.encode(envelope), ttl + self._stale_seconds)
            return fresh, False

        result: tuple[T, bool] = await self._single_flight.run(key, fetch_and_store)
        return result

"""`SyncCatalogue`: copy one of TMDb's movie lists into the catalogue."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from app.domain.catalogue.movies import MovieData
from app.domain.shared import cache_keys
from app.domain.shared.errors import DomainError
from app.domain.shared.ports import Cache, Database
from app.domain.tmdb.ports import MAX_PAGE, ListCategory, TmdbClient, TmdbPage, TrendingWindow
from app.domain.tmdb.trending import StoreTrendingRanks

log = logging.getLogger(__name__)

# TMDb allows roughly 40 requests a second; 20 in flight stays below it at real latencies.
MAX_CONCURRENCY = 20


@dataclass(frozen=True, slots=True)
class SyncRequest:
    category: ListCategory = "popular"
    pages: int = 1
    window: TrendingWindow = "day"
    details: bool = False  # also fetch `/movie/{id}` for runtime, imdb id, tagline, status
    concurrency: int = 8


@dataclass(slots=True)
class SyncReport:
    pages_requested: int
    pages_synced: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failed_pages: dict[int, str] = field(default_factory=dict)
    trending_ranks: int = 0  # ranks stored for the window (trending syncs only)

    @property
    def ok(self) -> bool:
        return not self.failed_pages


PageDone = Callable[[int, SyncReport], None]


class SyncCatalogue:
    """Genres first, then pages fetched concurrently (bounded), each page written in its own
    transaction: a page that fails for good is reported, never aborts the others and never
    leaves half a page behind. Running it twice changes nothing the second time except rows
    whose data changed upstream. The cached details of changed movies are invalidated. A trending
    sync then replaces the window's stored TMDb ranks (`StoreTrendingRanks`)."""

    def __init__(self, tmdb: TmdbClient, database: Database, cache: Cache | None = None) -> None:
        self._tmdb = tmdb
        self._database = database
        self._cache = cache

    async def __call__(self, request: SyncRequest, on_page: PageDone | None = None) -> SyncReport:
        pages = min(request.pages, MAX_PAGE)
        report = SyncReport(pages_requested=pages)
        genres = await self._tmdb.genres()
        async with self._database.unit_of_work() as uow:
            await uow.catalogue.upsert_genres(genres)
            await uow.commit()

        concurrency = max(1, min(request.concurrency, MAX_CONCURRENCY))
        limit = asyncio.Semaphore(concurrency)  # TMDb requests in flight
        # Writes wait here rather than in the connection pool, whose wait times out.
        writers = asyncio.Semaphore(concurrency)
        synced: dict[int, tuple[MovieData, ...]] = {}  # page number -> TMDb's order

        async def sync_page(number: int) -> TmdbPage | None:
            try:
                async with limit:
                    page = await self._tmdb.movie_list(
                        request.category, number, window=request.window
                    )
                movies = list(page.movies)
                if request.details:
                    movies = await self._with_details(movies, limit)
                async with writers:
                    await self._write(movies, report)
                report.pages_synced += 1
                synced[number] = page.movies
                return page
            except DomainError as error:
                log.warning("TMDb sync: page %d failed: %s", number, error.message)
                report.failed_pages[number] = error.message
            except Exception as error:  # a database failure must not abort the other pages
                log.exception("TMDb sync: page %d failed", number)
                report.failed_pages[number] = type(error).__name__
            finally:
                if on_page is not None:
                    on_page(number, report)
            return None

        # Page 1 alone first: it says how many pages exist, so we never ask for missing ones.
        first = await sync_page(1)
        if first is not None and first.total_pages:
            pages = min(pages, first.total_pages)
            report.pages_requested = pages
        await asyncio.gather(*(sync_page(number) for number in range(2, pages + 1)))
        if request.category == "trending":
            report.trending_ranks = await StoreTrendingRanks(self._database)(request.window, synced)
        return report

    async def _with_details(
        self, movies: list[MovieData], limit: asyncio.Semaphore
    ) -> list[MovieData]:
        """Details replace list items; a movie whose details fail keeps its list data."""

        async def details(movie: MovieData) -> MovieData:
            if movie.tmdb_id is None:
                return movie
            try:
                async with limit:
                    return (await self._tmdb.movie(movie.tmdb_id)).movie
            except DomainError as error:
                log.warning("TMDb sync: details of %s failed: %s", movie.tmdb_id, error.message)
                return movie

        return list(await asyncio.gather(*(details(movie) for movie in movies)))

    async def _write(self, movies: list[MovieData], report: SyncReport) -> None:
        async with self._database.unit_of_work() as uow:
            outcome = await uow.catalogue.upsert_movies(movies)
            await uow.commit()
        if self._cache is not None and outcome.ids:
            details = (cache_keys.movie_detail(i) for _, i in outcome.ids)
            await self._cache.delete(*details, cache_keys.catalogue_version())
        report.created += outcome.created
        report.updated += outcome.updated
        report.unchanged += outcome.unchanged

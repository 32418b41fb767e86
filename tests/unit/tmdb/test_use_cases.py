"""The TMDb use cases against in-memory fakes: syncing, searching and importing."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest

from app.adapters.memory.cache import InMemoryCache
from app.bootstrap.use_cases import build_tmdb
from app.domain.shared import cache_keys
from app.domain.shared.errors import InvalidInput
from app.domain.tmdb.ports import ListCategory, TmdbPage, TmdbUnavailable, TrendingWindow
from app.domain.tmdb.sync import MAX_CONCURRENCY, SyncCatalogue, SyncRequest
from app.domain.tmdb.use_cases import TmdbUseCases
from tests.support.fakes import FakeDatabase
from tests.support.fakes.tmdb import InMemoryTmdbClient


class SlowTmdb(InMemoryTmdbClient):
    """Records how many list requests are in flight at once."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = self.most_in_flight = 0

    async def movie_list(
        self, category: ListCategory, page: int = 1, *, window: TrendingWindow = "day"
    ) -> TmdbPage:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0.002)
        self.in_flight -= 1
        return await super().movie_list(category, page, window=window)


def tmdb_cases(tmdb: InMemoryTmdbClient, database: FakeDatabase) -> TmdbUseCases:
    """The TMDb use cases as the composition root builds them, over the fakes."""
    cases = build_tmdb(tmdb, database)
    assert cases is not None
    return cases


def local_id(database: FakeDatabase, tmdb_id: int) -> int:
    return next(m.id for m in database.store.movies.values() if m.tmdb_id == tmdb_id)


@pytest.fixture
def database() -> FakeDatabase:
    return FakeDatabase()


async def test_sync_writes_every_page_and_is_idempotent(
    database: FakeDatabase,
) -> None:
    tmdb = InMemoryTmdbClient()
    sync = SyncCatalogue(tmdb, database)
    first = await sync(SyncRequest(pages=5))
    second = await sync(SyncRequest(pages=5))
    assert (first.created, first.pages_synced) == (100, 5)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 100)
    assert len(database.store.genres) == 19 and len(database.store.movies) == 100


@pytest.mark.parametrize(("asked", "allowed"), [(3, 3), (8, 8), (50, MAX_CONCURRENCY)])
async def test_concurrency_is_bounded(database: FakeDatabase, asked: int, allowed: int) -> None:
    tmdb = SlowTmdb()
    await SyncCatalogue(tmdb, database)(SyncRequest(pages=60, concurrency=asked))
    assert tmdb.most_in_flight == allowed


async def test_a_failing_page_is_reported_and_the_others_are_written(
    database: FakeDatabase,
) -> None:
    tmdb = InMemoryTmdbClient()
    tmdb.failing_pages = {2: TmdbUnavailable("TMDb answered 503")}
    report = await SyncCatalogue(tmdb, database)(SyncRequest(pages=4))
    assert report.failed_pages == {2: "TMDb answered 503"} and not report.ok
    assert report.pages_synced == 3 and len(database.store.movies) == 60


async def test_pages_are_capped_at_500(database: FakeDatabase) -> None:
    tmdb = InMemoryTmdbClient()
    seen: list[int] = []
    report = await SyncCatalogue(tmdb, database)(
        SyncRequest(pages=10_000, concurrency=20), on_page=lambda page, _: seen.append(page)
    )
    assert report.pages_requested == 500 and max(seen) == 500 and report.ok


async def test_search_marks_what_the_catalogue_holds(database: FakeDatabase) -> None:
    tmdb = InMemoryTmdbClient()
    await tmdb_cases(tmdb, database).import_movie(550)
    results = await tmdb_cases(tmdb, database).search("  fight club ")
    marked = {found.movie.tmdb_id: found for found in results.results}
    assert marked[550].local_id == local_id(database, 550)
    assert all(found.local_id is None for tmdb_id, found in marked.items() if tmdb_id != 550)
    assert [genre.name for genre in marked[550].genres] == ["Drama", "Thriller", "Comedy"]


@pytest.mark.parametrize(("query", "page"), [("", 1), ("   ", 1), ("x", 0), ("x", 501)])
async def test_search_refuses_empty_queries_and_pages_out_of_range(
    database: FakeDatabase, query: str, page: int
) -> None:
    tmdb = InMemoryTmdbClient()
    with pytest.raises(InvalidInput):
        await tmdb_cases(tmdb, database).search(query, page=page)
    assert tmdb.calls["search"] == 0


async def test_search_works_without_genre_names(database: FakeDatabase) -> None:
    class NoGenres(InMemoryTmdbClient):
        async def genres(self) -> Any:
            raise TmdbUnavailable()

    results = await tmdb_cases(NoGenres(), database).search("club")
    assert results.results and all(found.genres == () for found in results.results)


async def test_import_creates_once(database: FakeDatabase) -> None:
    tmdb = InMemoryTmdbClient()
    importing = tmdb_cases(tmdb, database).import_movie
    first = await importing(11)
    again = await importing(11)
    assert first.created and not again.created
    assert first.found.local_id == again.found.local_id
    assert again.found.movie.runtime == 121 and tmdb.calls["movie"] == 1


async def test_a_sync_invalidates_the_cached_details_of_changed_movies(
    database: FakeDatabase,
) -> None:
    class Changing(InMemoryTmdbClient):
        vote = 5.0

        async def movie_list(
            self, category: ListCategory, page: int = 1, *, window: TrendingWindow = "day"
        ) -> TmdbPage:
            found = await super().movie_list(category, page, window=window)
            first = replace(found.movies[0], vote_average=self.vote)
            return replace(found, movies=(first, *found.movies[1:]))

    tmdb, cache = Changing(), InMemoryCache()
    sync = SyncCatalogue(tmdb, database, cache)
    await sync(SyncRequest(pages=1))
    changed, unchanged = (local_id(database, i) for i in (640146, 502356))
    for movie_id in (changed, unchanged):
        await cache.set(cache_keys.movie_detail(movie_id), b"cached", 60)
    tmdb.vote = 9.0
    report = await sync(SyncRequest(pages=1))
    assert report.updated == 1
    assert await cache.get(cache_keys.movie_detail(changed)) is None
    assert await cache.get(cache_keys.movie_detail(unchanged)) == b"cached"

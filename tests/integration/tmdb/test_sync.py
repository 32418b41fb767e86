"""`SyncCatalogue` end to end: the HTTP client, the fake TMDb over loopback, a real PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Row, func, select

from app.adapters.postgres.database import PostgresDatabase
from app.adapters.postgres.tables import genres, movies
from app.adapters.tmdb.client import HttpxTmdbClient
from app.domain.tmdb.ports import LIST_CATEGORIES, TmdbCredentialsRejected
from app.domain.tmdb.sync import SyncCatalogue, SyncReport, SyncRequest
from tests.support.fake_tmdb import Answer, FakeTmdb
from tests.support.tmdb_fixtures import MakeTmdbClient


async def movie_rows(database: PostgresDatabase) -> dict[int, Row[Any]]:
    async with database.unit_of_work() as uow:
        return {row.tmdb_id: row for row in await uow.connection.execute(select(movies))}


async def test_every_category_syncs(
    tmdb_client: HttpxTmdbClient, catalogue_database: PostgresDatabase, fake_tmdb: FakeTmdb
) -> None:
    sync = SyncCatalogue(tmdb_client, catalogue_database)
    for category in LIST_CATEGORIES:
        report = await sync(SyncRequest(category=category, pages=3, window="week", concurrency=3))
        assert report.ok and report.pages_synced == 3, category
        # Page 1 is the document's example: its films may already be in from another list.
        assert report.created + report.updated + report.unchanged == 60, category
    assert fake_tmdb.count("/trending/movie/week") == 3
    assert len(await movie_rows(catalogue_database)) >= 4 * 40 + 20


async def test_genres_come_first_and_a_second_run_changes_nothing(
    tmdb_client: HttpxTmdbClient, catalogue_database: PostgresDatabase, fake_tmdb: FakeTmdb
) -> None:
    sync = SyncCatalogue(tmdb_client, catalogue_database)
    request = SyncRequest(category="popular", pages=4, concurrency=4)
    first = await sync(request)
    assert fake_tmdb.calls[0].path == "/3/genre/movie/list"
    before = await movie_rows(catalogue_database)
    second = await sync(request)
    assert (first.created, first.updated) == (80, 0)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 80)
    after = await movie_rows(catalogue_database)
    assert {k: r.updated_at for k, r in after.items()} == {
        k: r.updated_at for k, r in before.items()
    }
    async with catalogue_database.unit_of_work() as uow:
        assert await uow.connection.scalar(select(func.count()).select_from(genres)) == 19


async def test_failing_pages_are_reported_and_never_half_written(
    tmdb_client: HttpxTmdbClient, catalogue_database: PostgresDatabase, fake_tmdb: FakeTmdb
) -> None:
    fake_tmdb.always("/movie/popular", Answer.server_error_text(), page=3)
    fake_tmdb.always("/movie/popular", Answer.malformed_json(), page=5)
    fake_tmdb.script("/movie/popular", Answer.rate_limited("0"), page=4)  # recovers on retry
    report = await SyncCatalogue(tmdb_client, catalogue_database)(
        SyncRequest(category="popular", pages=6, concurrency=8)
    )
    assert sorted(report.failed_pages) == [3, 5] and not report.ok
    assert report.pages_synced == 4 and report.created == 80
    stored = await movie_rows(catalogue_database)
    page_3 = range(1_000_040, 1_000_060)
    assert not any(tmdb_id in stored for tmdb_id in page_3)
    assert all(tmdb_id in stored for tmdb_id in range(1_000_060, 1_000_080))  # page 4


async def test_pages_stop_at_tmdbs_total_and_at_500(
    tmdb_client: HttpxTmdbClient, catalogue_database: PostgresDatabase, fake_tmdb: FakeTmdb
) -> None:
    fake_tmdb.always(
        "/movie/upcoming",
        Answer.json(200, {"page": 1, "results": [], "total_pages": 2, "total_results": 0}),
        page=1,
    )
    report = await SyncCatalogue(tmdb_client, catalogue_database)(
        SyncRequest(category="upcoming", pages=900)
    )
    assert report.pages_requested == 2 and report.ok
    assert fake_tmdb.count("/movie/upcoming") == 2


async def test_details_fill_runtime_and_imdb_id(
    tmdb_client: HttpxTmdbClient, catalogue_database: PostgresDatabase, fake_tmdb: FakeTmdb
) -> None:
    fake_tmdb.always("/movie/1000025", Answer.server_error_text())  # keeps its list data
    report = await SyncCatalogue(tmdb_client, catalogue_database)(
        SyncRequest(category="popular", pages=2, details=True, concurrency=4)
    )
    assert report.ok and report.created == 40
    stored = await movie_rows(catalogue_database)
    assert stored[1_000_021].runtime == 90 + 1_000_021 % 60
    assert stored[1_000_021].imdb_id == "tt1000021"
    assert stored[1_000_025].runtime is None
    details_calls = [c for c in fake_tmdb.calls if c.path.removeprefix("/3/movie/").isdigit()]
    assert len(details_calls) == 40 + 3  # one per movie, and the failing one's three retries


async def test_rejected_credentials_stop_the_sync_before_any_page(
    make_tmdb_client: MakeTmdbClient, catalogue_database: PostgresDatabase, fake_tmdb: FakeTmdb
) -> None:
    with pytest.raises(TmdbCredentialsRejected):
        await SyncCatalogue(make_tmdb_client(api_key="not-the-key"), catalogue_database)(
            SyncRequest(pages=3)
        )
    assert fake_tmdb.count("/movie/popular") == 0


async def test_progress_is_reported_per_page(
    tmdb_client: HttpxTmdbClient, catalogue_database: PostgresDatabase
) -> None:
    seen: list[int] = []

    def on_page(page: int, report: SyncReport) -> None:
        seen.append(page)

    await SyncCatalogue(tmdb_client, catalogue_database)(SyncRequest(pages=5), on_page=on_page)
    assert sorted(seen) == [1, 2, 3, 4, 5] and seen[0] == 1

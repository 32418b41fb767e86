"""A trending sync stores TMDb's rank per window: the fake TMDb over loopback, real PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.adapters.postgres.database import PostgresDatabase
from app.adapters.postgres.tables import movies, tmdb_trending
from app.adapters.tmdb.client import HttpxTmdbClient
from app.domain.tmdb.sync import SyncCatalogue, SyncRequest
from tests.support import fake_tmdb_data as data
from tests.support.fake_tmdb import Answer, FakeTmdb


async def stored_ranks(database: PostgresDatabase, window: str) -> list[tuple[int, int]]:
    """(rank, TMDb id) stored for the window, best first."""
    query = (
        select(tmdb_trending.c.rank, movies.c.tmdb_id)
        .join(movies, movies.c.id == tmdb_trending.c.movie_id)
        .where(tmdb_trending.c.time_window == window)
        .order_by(tmdb_trending.c.rank)
    )
    async with database.unit_of_work() as uow:
        return [(row.rank, row.tmdb_id) for row in await uow.connection.execute(query)]


def tmdb_order(*pages: int) -> list[int]:
    return [item["id"] for page in pages for item in data.list_page("trending", page)["results"]]


def one_page(ids: list[int]) -> dict[str, Any]:
    items = {item["id"]: item for item in data.list_page("trending", 1)["results"]}
    results = [items[i] for i in ids]
    return {"page": 1, "results": results, "total_pages": 1, "total_results": len(results)}


async def test_a_trending_sync_stores_the_ranks_of_its_window_only(
    tmdb_client: HttpxTmdbClient, catalogue_database: PostgresDatabase, fake_tmdb: FakeTmdb
) -> None:
    sync = SyncCatalogue(tmdb_client, catalogue_database)
    report = await sync(SyncRequest(category="trending", pages=2, window="day"))
    assert report.ok and report.trending_ranks == 40
    assert fake_tmdb.count("/trending/movie/day") == 2
    assert await stored_ranks(catalogue_database, "day") == list(
        enumerate(tmdb_order(1, 2), start=1)
    )
    assert await stored_ranks(catalogue_database, "week") == []

    await sync(SyncRequest(category="popular", pages=1))  # other lists leave the ranks alone
    assert len(await stored_ranks(catalogue_database, "day")) == 40


async def test_a_second_sync_replaces_the_window_wholesale(
    tmdb_client: HttpxTmdbClient, catalogue_database: PostgresDatabase, fake_tmdb: FakeTmdb
) -> None:
    sync = SyncCatalogue(tmdb_client, catalogue_database)
    await sync(SyncRequest(category="trending", pages=2, window="day"))
    await sync(SyncRequest(category="trending", pages=1, window="week"))
    week_before = await stored_ranks(catalogue_database, "week")

    reordered = list(reversed(tmdb_order(1)))[:5]
    fake_tmdb.script("/trending/movie/day", Answer.json(200, one_page(reordered)), page=1)
    report = await sync(SyncRequest(category="trending", pages=2, window="day"))
    assert report.trending_ranks == 5
    assert await stored_ranks(catalogue_database, "day") == list(enumerate(reordered, start=1))
    assert await stored_ranks(catalogue_database, "week") == week_before


async def test_without_page_one_the_previous_ranks_stay(
    tmdb_client: HttpxTmdbClient, catalogue_database: PostgresDatabase, fake_tmdb: FakeTmdb
) -> None:
    sync = SyncCatalogue(tmdb_client, catalogue_database)
    await sync(SyncRequest(category="trending", pages=1, window="week"))
    before = await stored_ranks(catalogue_database, "week")
    fake_tmdb.always("/trending/movie/week", Answer.server_error_text(), page=1)
    report = await sync(SyncRequest(category="trending", pages=2, window="week"))
    assert not report.ok and report.trending_ranks == 0
    assert await stored_ranks(catalogue_database, "week") == before

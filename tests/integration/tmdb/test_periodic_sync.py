"""The optional periodic sync inside the service, and the advisory lock that keeps replicas from
syncing at the same time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from app.adapters.postgres.database import PostgresDatabase
from app.adapters.postgres.job_lock import PostgresJobLock
from app.adapters.postgres.tables import movies
from app.adapters.tmdb.client import HttpxTmdbClient
from app.adapters.tmdb.periodic_sync import JOB_NAME, PeriodicCatalogueSync
from app.bootstrap.jobs import FirstRun, Job, PeriodicJob
from app.bootstrap.settings import Settings
from app.domain.tmdb.sync import SyncCatalogue, SyncRequest
from tests.support.fake_tmdb import API_KEY, FakeTmdb


async def count_movies(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(movies)) or 0)


async def test_the_lock_is_held_by_one_holder_at_a_time(catalogue_engine: AsyncEngine) -> None:
    first, second = PostgresJobLock(catalogue_engine), PostgresJobLock(catalogue_engine)
    async with first.try_hold("job") as held:
        async with second.try_hold("job") as also_held:
            assert held and not also_held
        async with second.try_hold("another job") as other:
            assert other
    async with second.try_hold("job") as held_after_release:
        assert held_after_release


async def test_a_replica_skips_while_another_syncs(
    tmdb_client: HttpxTmdbClient,
    catalogue_database: PostgresDatabase,
    catalogue_engine: AsyncEngine,
    fake_tmdb: FakeTmdb,
) -> None:
    def replica() -> PeriodicJob:
        sync = PeriodicCatalogueSync(
            SyncCatalogue(tmdb_client, catalogue_database), SyncRequest(pages=2)
        )
        job = Job(JOB_NAME, sync, interval=3600, first_run=FirstRun.AT_START)
        return PeriodicJob(job, PostgresJobLock(catalogue_engine))

    fake_tmdb.latency = 0.05  # long enough for both replicas to overlap
    one, two = replica(), replica()
    results = await asyncio.gather(one.run_once(), two.run_once())
    assert sorted(results) == [False, True]
    assert one.runs + two.runs == 1
    assert fake_tmdb.count("/movie/popular") == 2
    assert await count_movies(catalogue_engine) == 40


async def test_the_service_syncs_periodically_when_asked(
    make_settings: Callable[..., Settings],
    fake_tmdb: FakeTmdb,
    start_app: Callable[[Settings], Awaitable[FastAPI]],
    catalogue_engine: AsyncEngine,
) -> None:
    settings = make_settings(
        tmdb_base_url=fake_tmdb.base_url,
        tmdb_api_key=API_KEY,
        tmdb_sync_interval=3600,
        tmdb_sync_pages=2,
        tmdb_sync_category="now_playing",
    )
    await start_app(settings)
    for _ in range(100):
        if await count_movies(catalogue_engine) == 40:
            break
        await asyncio.sleep(0.05)
    assert await count_movies(catalogue_engine) == 40
    assert fake_tmdb.count("/movie/now_playing") == 2
    # Off by default: the plain settings start no sync.
    assert make_settings().tmdb_sync_interval == 0

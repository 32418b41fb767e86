"""The model refresh job: one replica at a time (PostgreSQL advisory lock), a first model when
ratings exist and none does, a rebuild only when enough ratings are new; every replica then
serves the new version."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import FastAPI
from sqlalchemy import text

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.postgres.job_lock import PostgresJobLock
from app.adapters.postgres.recommender_models import PostgresModelStore
from app.adapters.served_model import PostgresModelProvider
from app.bootstrap.jobs import FirstRun, Job, PeriodicJob
from app.bootstrap.recommendations import JOB_NAME, PeriodicModelBuild
from app.bootstrap.settings import Settings
from app.cli.movielens import run_import
from app.cli.progress import ProgressBar
from app.domain.shared import cache_keys
from app.model_fitting.building import build_and_store
from tests.support.movielens_files import small_release


def refresh_job(
    database: PostgresDatabase, lock: PostgresJobLock, min_change: float
) -> PeriodicJob:
    build = PeriodicModelBuild(database, min_change)
    return PeriodicJob(Job(JOB_NAME, build, 3600, FirstRun.AT_START), lock)


async def model_ids(database: PostgresDatabase) -> list[int]:
    async with database.engine.connect() as connection:
        rows = await connection.execute(text("SELECT id FROM recommender_models ORDER BY id"))
        return [row[0] for row in rows]


async def test_one_replica_builds_while_another_holds_the_lock(settings: Settings) -> None:
    assert settings.database_url is not None
    await run_import(settings, small_release(), None, ProgressBar())
    engine = create_engine(settings.database_url)
    database = PostgresDatabase(engine)
    lock = PostgresJobLock(engine)
    replica = refresh_job(database, lock, 0.01)
    provider = PostgresModelProvider(engine, check_seconds=0)
    try:
        assert (await provider.current()).version is None
        async with lock.try_hold(replica.job.lock_name) as held:  # another replica is building
            assert held
            assert await replica.run_once() is False
        assert await replica.run_once() is True
        versions = await model_ids(database)
        assert len(versions) == 1
        served = await provider.current()
        assert served.version == versions[0]
        assert served.score({1: 1.0}, exclude=[1], limit=3)
        # Nothing new since: the next run has nothing to do.
        assert await replica.run_once() is False
        assert await model_ids(database) == versions
    finally:
        await replica.stop()
        await database.dispose()


async def test_enough_new_ratings_make_a_rebuild(settings: Settings) -> None:
    assert settings.database_url is not None
    await run_import(settings, small_release(), None, ProgressBar())
    engine = create_engine(settings.database_url)
    database = PostgresDatabase(engine)
    replica = refresh_job(database, PostgresJobLock(engine), 0.5)
    try:
        assert await replica.run_once() is True
        async with engine.begin() as connection:
            total = await connection.scalar(text("SELECT count(*) FROM ratings"))
            # Ratings made after the build, but fewer than half the model's: no rebuild yet.
            await connection.execute(
                text(
                    "UPDATE ratings SET created_at = now() + interval '1 minute' "
                    "WHERE id IN (SELECT id FROM ratings ORDER BY id LIMIT :n)"
                ),
                {"n": int(total * 0.4)},
            )
        assert await replica.run_once() is False
        async with engine.begin() as connection:
            await connection.execute(
                text("UPDATE ratings SET created_at = now() + interval '1 minute'")
            )
        assert await replica.run_once() is True
        assert len(await model_ids(database)) == 2
    finally:
        await database.dispose()


async def test_the_service_builds_the_first_model_at_start(
    settings: Settings, start_app: Callable[[Settings], Awaitable[FastAPI]]
) -> None:
    await run_import(settings, small_release(), None, ProgressBar())
    app = await start_app(settings)
    job = app.state.runtime.scheduler.jobs[JOB_NAME]
    for _ in range(200):
        if job.runs:
            break
        await asyncio.sleep(0.05)
    assert job.runs == 1
    models = app.state.runtime.models
    assert (await models.current()).version is not None


async def test_models_are_loaded_before_a_request_asks(
    make_settings: Callable[..., Settings], start_app: Callable[[Settings], Awaitable[FastAPI]]
) -> None:
    settings = make_settings(model_check_seconds=0.1)
    await run_import(settings, small_release(), None, ProgressBar())
    database = PostgresDatabase(create_engine(str(settings.database_url)))
    try:
        first = await build_and_store(database, lambda uow: PostgresModelStore(uow.connection))
        app = await start_app(settings)
        models = app.state.runtime.models
        assert isinstance(models, PostgresModelProvider)
        assert models.loaded.version == first.model_id  # at start-up, before any request
        # So are the catalogue figures every score is relative to.
        assert await app.state.runtime.cache.get(cache_keys.catalogue_facts()) is not None
        # Another replica stores a new version: the preload job loads it, no request needed.
        second = await build_and_store(database, lambda uow: PostgresModelStore(uow.connection))
        for _ in range(100):
            if models.loaded.version == second.model_id:
                break
            await asyncio.sleep(0.05)
        assert models.loaded.version == second.model_id
    finally:
        await database.dispose()


async def test_the_periodic_build_stops_cleanly(settings: Settings) -> None:
    assert settings.database_url is not None
    engine = create_engine(settings.database_url)
    database = PostgresDatabase(engine)
    replica = refresh_job(database, PostgresJobLock(engine), 0.01)
    replica.start()
    await replica.stop()
    await database.dispose()

"""The periodic model build: one replica at a time (PostgreSQL advisory lock), and every replica
then serves the new version."""

from __future__ import annotations

from sqlalchemy import text

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.postgres.job_lock import PostgresJobLock
from app.adapters.served_model import PostgresModelProvider
from app.bootstrap.recommendations import LOCK_NAME, PeriodicModelBuild
from app.bootstrap.settings import Settings
from app.cli.movielens import run_import
from app.cli.progress import ProgressBar
from tests.support.movielens_files import small_release


async def test_one_replica_builds_while_another_holds_the_lock(settings: Settings) -> None:
    assert settings.database_url is not None
    await run_import(settings, small_release(), None, ProgressBar())
    engine = create_engine(settings.database_url)
    database = PostgresDatabase(engine)
    lock = PostgresJobLock(engine)
    replica = PeriodicModelBuild(database, lock, interval=3600)
    provider = PostgresModelProvider(engine, check_seconds=0)
    try:
        assert (await provider.current()).version is None
        async with lock.try_hold(LOCK_NAME) as held:  # another replica is building
            assert held
            assert await replica.run_once() is False
        assert await replica.run_once() is True
        async with engine.connect() as connection:
            versions = (await connection.execute(text("SELECT id FROM recommender_models"))).all()
        assert len(versions) == 1
        served = await provider.current()
        assert served.version == versions[0][0]
        assert served.score({1: 1.0}, exclude=[1], limit=3)
    finally:
        await replica.stop()
        await database.dispose()


async def test_the_periodic_build_stops_cleanly(settings: Settings) -> None:
    assert settings.database_url is not None
    engine = create_engine(settings.database_url)
    database = PostgresDatabase(engine)
    replica = PeriodicModelBuild(database, PostgresJobLock(engine), interval=3600)
    replica.start()
    await replica.stop()
    await database.dispose()

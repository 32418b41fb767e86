"""The recommendation side of a running service: the served model, preloaded at start and on
every new version, and the model refresh job: a first model at start when ratings exist and
none does, then a rebuild every `MODEL_REFRESH_INTERVAL` seconds when at least
`MODEL_REFRESH_MIN_CHANGE` of the ratings are new (one replica at a time: the job mechanism)."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack

from sqlalchemy.ext.asyncio import AsyncEngine

from app.adapters.postgres.database import PostgresDatabase, create_engine
from app.adapters.postgres.recommendation_reader import reading
from app.adapters.postgres.recommender_models import PostgresModelStore
from app.adapters.served_model import PostgresModelProvider
from app.bootstrap.allocator import release_free_memory
from app.bootstrap.jobs import FirstRun, Job, Scheduler
from app.bootstrap.settings import Settings
from app.domain.recommendations.ports import RecommendationPorts
from app.domain.recommendations.recommend import catalogue_facts
from app.domain.shared.ports import Cache
from app.model_fitting.freshness import rebuild_reason

log = logging.getLogger(__name__)
JOB_NAME = "model-refresh"
PRELOAD_JOB_NAME = "model-preload"


class PeriodicModelBuild:
    """The body of the refresh job: builds when `rebuild_reason` gives one, after which the
    provider loads the new version before requests ask for it."""

    def __init__(
        self,
        database: PostgresDatabase,
        min_change: float | None,
        models: PostgresModelProvider | None = None,
    ) -> None:
        self._database, self._min_change, self._models = database, min_change, models

    async def __call__(self) -> bool:
        async with self._database.unit_of_work() as uow:
            state = await PostgresModelStore(uow.connection).ratings_since_model()
        reason = rebuild_reason(state, self._min_change)
        if reason is None:
            return False
        log.info("building the recommendation model: %s", reason)
        # Imported here: the fitting code (scipy) is loaded in a process only when it builds.
        from app.model_fitting.building import build_and_store

        built = await build_and_store(
            self._database, lambda uow: PostgresModelStore(uow.connection)
        )
        log.info("model %d built in %.1fs", built.model_id, built.seconds)
        if self._models is not None:
            await self._models.refresh()
        return True


async def start_recommendations(
    settings: Settings,
    stack: AsyncExitStack,
    database: PostgresDatabase,
    engine: AsyncEngine,
    scheduler: Scheduler,
    cache: Cache,
) -> RecommendationPorts:
    models = PostgresModelProvider(engine, settings.model_check_seconds)
    # Builds read every rating and COPY a million weights: no statement time-out, one
    # connection of their own, so requests' pool and limits are untouched.
    assert settings.database_url is not None
    build_engine = create_engine(
        settings.database_url,
        pool_size=1,
        max_overflow=1,
        statement_timeout_ms=0,
        connect_timeout=settings.database_connect_timeout,
    )
    build_database = PostgresDatabase(build_engine)
    stack.push_async_callback(build_database.dispose)
    try:
        # The first request must pay neither for loading the model nor for the catalogue
        # figures every score is relative to (nor for opening the first connection).
        await models.refresh()
        async with reading(database)() as reader:
            await catalogue_facts(reader, cache)
            # Prepares the statements a personal list runs (nobody has user id 0).
            await reader.history(0)
            known = await reader.best_known(genre=None, exclude=(), limit=1)
            await reader.movies([movie.movie_id for movie in known])
    except Exception:  # the database may answer later: then the preload job or a request loads
        log.warning("no model preloaded at start: the database did not answer", exc_info=True)
    refresh_on = settings.model_refresh_interval > 0
    build = PeriodicModelBuild(
        build_database, settings.model_refresh_min_change if refresh_on else None, models
    )
    scheduler.add(Job(JOB_NAME, build, settings.model_refresh_interval, FirstRun.AT_START))
    if settings.model_check_seconds > 0:
        # Each replica loads a version another replica built, ahead of its requests.
        async def preload() -> bool:
            loaded = await models.refresh()
            if loaded:
                release_free_memory()  # the load's buffers, left in the allocator's arenas
            return loaded

        scheduler.add(
            Job(
                PRELOAD_JOB_NAME,
                preload,
                settings.model_check_seconds,
                FirstRun.AFTER_INTERVAL,
                exclusive=False,
            )
        )
    return RecommendationPorts(reading=reading(database), models=models)

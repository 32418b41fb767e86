"""The recommendation side of a running service: the served model and, when
`MODEL_REFRESH_INTERVAL` is set, a periodic rebuild that one replica at a time runs (PostgreSQL
advisory lock), with the fit in a worker thread so requests never wait on it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from contextlib import AsyncExitStack

from sqlalchemy.ext.asyncio import AsyncEngine

from app.adapters.postgres.database import PostgresDatabase
from app.adapters.postgres.job_lock import PostgresJobLock
from app.adapters.postgres.recommendation_reader import reading
from app.adapters.postgres.recommender_models import PostgresModelStore
from app.adapters.served_model import PostgresModelProvider
from app.bootstrap.settings import Settings
from app.domain.recommendations.ports import RecommendationPorts
from app.model_fitting.building import build_and_store

log = logging.getLogger(__name__)
LOCK_NAME = "nexus:build-model"


class PeriodicModelBuild:
    def __init__(self, database: PostgresDatabase, lock: PostgresJobLock, interval: float) -> None:
        self._database, self._lock, self._interval = database, lock, interval
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="model-refresh")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run_once(self) -> bool:
        """Build if no other replica is building; True when this one built."""
        async with self._lock.try_hold(LOCK_NAME) as held:
            if not held:
                return False
            built = await build_and_store(
                self._database, lambda uow: PostgresModelStore(uow.connection)
            )
            log.info("model %d built in %.1fs", built.model_id, built.seconds)
            return True

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.run_once()
            except Exception:
                log.exception("model refresh failed; the previous model stays in service")


def start_recommendations(
    settings: Settings, stack: AsyncExitStack, database: PostgresDatabase, engine: AsyncEngine
) -> RecommendationPorts:
    if settings.model_refresh_interval:
        periodic = PeriodicModelBuild(
            database, PostgresJobLock(engine), settings.model_refresh_interval
        )
        periodic.start()
        stack.push_async_callback(periodic.stop)
    models = PostgresModelProvider(engine, settings.model_check_seconds)
    return RecommendationPorts(reading=reading(database), models=models)

"""An app over a small clustered catalogue (imported as MovieLens data) with a built model."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from app.adapters.postgres.recommender_models import PostgresModelStore
from app.bootstrap.recommendations import JOB_NAME
from app.bootstrap.settings import Settings
from app.cli.movielens import run_import
from app.cli.progress import ProgressBar
from app.model_fitting.building import BuiltModel, build_and_store
from tests.support.movielens_files import small_release


async def rebuild(app: FastAPI) -> BuiltModel:
    return await build_and_store(
        app.state.runtime.database, lambda uow: PostgresModelStore(uow.connection)
    )


@pytest.fixture
async def app(
    make_settings: Callable[..., Settings],
    start_app: Callable[[Settings], Awaitable[FastAPI]],
) -> FastAPI:
    settings = make_settings(model_check_seconds=0)
    await run_import(settings, small_release(), None, ProgressBar())
    started = await start_app(settings)
    async with started.state.runtime.database.unit_of_work() as uow:
        # Some TMDb figures, so quality and popularity have something to say.
        await uow.connection.execute(
            text(
                "UPDATE movies SET vote_average = 5 + (id % 5), vote_count = 10 * id, "
                "popularity = id, poster_path = '/p' || id || '.jpg'"
            )
        )
        await uow.commit()
    # The service builds a first model at start (ratings exist, no model does); wait for it, so
    # that the build below is the only other one and tests see one settled version.
    refresh = started.state.runtime.scheduler.jobs[JOB_NAME]
    for _ in range(600):
        if refresh.runs:
            break
        await asyncio.sleep(0.05)
    assert refresh.runs == 1
    await rebuild(started)
    return started

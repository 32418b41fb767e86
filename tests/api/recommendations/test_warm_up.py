"""Warm-up before serving: it runs on real data and on an empty database, opens connections,
leaves no trace in the request metrics, and never stops a start."""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable

import pytest
from fastapi import FastAPI

from app.bootstrap import warm_up
from app.bootstrap.settings import Settings
from tests.conftest import client_for

StartApp = Callable[[Settings], Awaitable[FastAPI]]


async def test_warm_up_opens_connections_and_serves_nothing_visible(
    app: FastAPI,
    make_settings: Callable[..., Settings],
    start_app: StartApp,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # `app` holds the small MovieLens release, a model and users with ratings.
    caplog.set_level(logging.INFO, logger=warm_up.__name__)
    warmed = await start_app(make_settings(warm_up=True, model_check_seconds=0))
    assert "warmed up in" in caplog.text and "stopped early" not in caplog.text
    assert "answered" not in caplog.text
    assert warmed.state.runtime.database.engine.pool.checkedin() >= warm_up.CONNECTIONS
    assert gc.get_freeze_count() > 0  # what it built is out of the collector's sight
    async with client_for(warmed) as client:
        metrics = (await client.get("/metrics")).text
        listed = await client.get("/api/movies/recommendations/", params={"limit": 3})
    assert listed.status_code == 200 and len(listed.json()) == 3
    assert 'path="/api/movies/recommendations/"' not in metrics


async def test_a_database_without_data_warms_up_too(
    make_settings: Callable[..., Settings], start_app: StartApp
) -> None:
    warmed = await start_app(make_settings(warm_up=True))
    async with client_for(warmed) as client:
        assert (await client.get("/api/movies/recommendations/")).status_code == 200


async def test_a_failing_warm_up_does_not_stop_the_start(
    make_settings: Callable[..., Settings], start_app: StartApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(app: FastAPI) -> None:
        raise RuntimeError("cannot warm")

    monkeypatch.setattr(warm_up, "_warm", broken)
    warmed = await start_app(make_settings(warm_up=True))
    async with client_for(warmed) as client:
        assert (await client.get("/healthz")).status_code == 200

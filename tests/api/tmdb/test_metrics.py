"""`/metrics` counts every call the service makes to TMDb, retries included, by endpoint
template and outcome, with the fake TMDb behind it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI

from app.bootstrap.settings import Settings
from tests.api.operations.test_metrics import value
from tests.conftest import client_for
from tests.support.fake_tmdb import Answer, FakeTmdb

StartApp = Callable[[Settings], Awaitable[FastAPI]]


async def test_tmdb_calls_and_errors_show_on_metrics(
    tmdb_settings: Settings, start_app: StartApp, fake_tmdb: FakeTmdb
) -> None:
    app = await start_app(tmdb_settings)
    fake_tmdb.script("/search/movie", Answer.server_error_text(), Answer.rate_limited("0"))

    async with client_for(app) as client:
        found = await client.get("/api/tmdb/search/", params={"q": "fight club"})
        text = (await client.get("/metrics")).text

    assert found.status_code == 200  # the third attempt succeeded
    labels = {"upstream": "tmdb", "endpoint": "/search/movie"}
    for outcome in ("5xx", "429", "ok"):
        assert value(text, "nexus_upstream_calls_total", **labels, outcome=outcome) == 1
    assert value(text, "nexus_upstream_errors_total", **labels, outcome="5xx") == 1
    assert value(text, "nexus_upstream_errors_total", **labels, outcome="429") == 1
    assert value(text, "nexus_upstream_errors_total", **labels, outcome="ok") == 0
    assert value(text, "nexus_upstream_call_duration_seconds_count", **labels) == 3
    assert "fake-read-token" not in text


async def test_a_tmdb_time_out_is_counted_per_attempt(
    tmdb_settings: Settings, start_app: StartApp, fake_tmdb: FakeTmdb
) -> None:
    app = await start_app(tmdb_settings.model_copy(update={"tmdb_max_retries": 1}))
    fake_tmdb.always("/search/movie", Answer.hang(1.0))

    async with client_for(app) as client:
        failed = await client.get("/api/tmdb/search/", params={"q": "slow"})
        text = (await client.get("/metrics")).text

    assert failed.status_code >= 500  # the proxy's own answer for a TMDb time-out
    labels = {"upstream": "tmdb", "endpoint": "/search/movie", "outcome": "timeout"}
    assert value(text, "nexus_upstream_errors_total", **labels) == 2
